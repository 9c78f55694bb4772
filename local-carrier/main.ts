// Runs the local carrier service as its own process (npm run carrier).
import path from 'node:path';
import { loadConfig, requireCarrierWebhookSecret } from '../lib/config';
import { parseDuration } from '../lib/duration';
import { startLocalCarrier } from './server';

const config = loadConfig();
const port = Number(process.env.LOCAL_CARRIER_PORT ?? new URL(config.localCarrierUrl).port);
const carrier = startLocalCarrier(
  {
    stateFile: path.join(config.dataDir, 'local-carrier.json'),
    webhookUrl: process.env.LOCAL_CARRIER_WEBHOOK_URL ?? `${config.publicUrl}/api/carriers/local/events`,
    webhookSecret: requireCarrierWebhookSecret(config),
    // Unset (as npm start leaves it): the test controls (scenarios, faults, the bookings list) answer 404.
    testToken: process.env.LOCAL_CARRIER_TEST_TOKEN || undefined,
    stepMs: parseDuration(process.env.LOCAL_CARRIER_STEP ?? '10s'),
  },
  port,
  process.env.LOCAL_CARRIER_HOST ?? '127.0.0.1',
);
carrier.server.on('listening', () => console.log(`local carrier listening on ${port}`));
process.on('SIGTERM', () => carrier.close());
process.on('SIGINT', () => carrier.close());

// The HTTP API process (npm run api).
import type { AddressInfo } from 'node:net';
import { createDb } from '../db/client';
import { runExclusive } from '../db/exclusive';
import { loadConfig, requireCarrierWebhookSecret } from '../lib/config';
import { connectTemporal } from '../lib/temporal';
import { startPendingWorkflows } from '../orders/intake';
import { expireDuePoints } from '../orders/points';
import { backorderServer } from '../orders/backorders';
import { ensureSchedules } from '../orders/schedules';
import { createApp } from './app';
import { lowStockMailer } from '../mail/manager';
import { createMailer } from '../mail/transport';
import { ensureBootstrapAdmin, retireLegacyKeys } from '../access/key-store';
import { describeError } from '../lib/redact';
import { configureLog, log } from '../lib/log';
import { startTracing, stopTracing } from '../lib/tracing';

/** How often stored orders without a running workflow are handed to Temporal again. */
const PENDING_SWEEP_MS = 15_000;

async function main(): Promise<void> {
  const config = loadConfig();
  configureLog('api', config.logFormat);
  requireCarrierWebhookSecret(config); // before anything starts: a webhook nobody can sign is no webhook
  const db = createDb(config.databaseUrl);
  await startTracing('api', config); // before the Temporal client, which then carries each trace into Temporal
  const temporal = await connectTemporal(config);
  // A schedule that cannot be set up now (Temporal still starting) is set up by the next API start; orders go on.
  await ensureSchedules(temporal, config).catch((err) =>
    log.warn(`the Temporal schedules were not set up: ${describeError(err)}`),
  );
  if (config.bootstrapAdminKey) await ensureBootstrapAdmin(db, config.bootstrapAdminKey);
  else await retireLegacyKeys(db);

  const serveBackorders = backorderServer(db, temporal, config.loyalty.tiers);
  // With several API processes, one sweeps at a time (db/exclusive.ts); the others skip the round.
  const sweep = () =>
    Promise.all([
      runExclusive(db, config.databaseUrl, 'pending-order sweep', () =>
        startPendingWorkflows(db, temporal, config),
      ).catch((err) => log.warn(`pending-order sweep failed: ${describeError(err)}`)),
      runExclusive(db, config.databaseUrl, 'backorder sweep', serveBackorders).catch((err) =>
        log.warn(`backorder sweep failed: ${describeError(err)}`),
      ),
      runExclusive(db, config.databaseUrl, 'points expiry', () => expireDuePoints(db)).catch((err) =>
        log.warn(`points expiry failed: ${describeError(err)}`),
      ),
    ]);
  await sweep();
  const sweeper = setInterval(() => void sweep(), PENDING_SWEEP_MS);

  const notifyManager = lowStockMailer(db, createMailer(config.smtpUrl), config.mailFrom, config.managerEmail);
  const app = createApp(db, temporal, config, notifyManager, serveBackorders);
  const server = app.listen(config.port, config.host, () => {
    // The address actually bound, so the line cannot claim loopback while every interface listens.
    const { address, port } = server.address() as AddressInfo;
    log.info(`API listening on http://${address.includes(':') ? `[${address}]` : address}:${port}`);
  });
  const stop = () => {
    clearInterval(sweeper);
    server.close(() => {
      void Promise.all([db.$disconnect(), temporal.connection.close(), stopTracing()]).then(() => process.exit(0));
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  log.error(describeError(err, true));
  process.exit(1);
});

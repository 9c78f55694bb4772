// The HTTP API process (npm run api).
import type { AddressInfo } from 'node:net';
import { createDb } from '../db/client';
import { loadConfig, requireCarrierWebhookSecret } from '../lib/config';
import { connectTemporal } from '../lib/temporal';
import { startPendingWorkflows } from '../orders/intake';
import { backorderServer } from '../orders/backorders';
import { createApp } from './app';
import { lowStockMailer } from '../mail/manager';
import { createMailer } from '../mail/transport';
import { ensureBootstrapAdmin, retireLegacyKeys } from '../access/key-store';
import { describeError } from '../lib/redact';

/** How often stored orders without a running workflow are handed to Temporal again. */
const PENDING_SWEEP_MS = 15_000;

async function main(): Promise<void> {
  const config = loadConfig();
  requireCarrierWebhookSecret(config); // before anything starts: a webhook nobody can sign is no webhook
  const db = createDb(config.databaseUrl);
  const temporal = await connectTemporal(config);
  if (config.bootstrapAdminKey) await ensureBootstrapAdmin(db, config.bootstrapAdminKey);
  else await retireLegacyKeys(db);

  const serveBackorders = backorderServer(db, temporal);
  const sweep = () =>
    Promise.all([
      startPendingWorkflows(db, temporal, config).catch((err) =>
        console.warn(`pending-order sweep failed: ${describeError(err)}`),
      ),
      serveBackorders().catch((err) => console.warn(`backorder sweep failed: ${describeError(err)}`)),
    ]);
  await sweep();
  const sweeper = setInterval(() => void sweep(), PENDING_SWEEP_MS);

  const notifyManager = lowStockMailer(db, createMailer(config.smtpUrl), config.mailFrom, config.managerEmail);
  const app = createApp(db, temporal, config, notifyManager, serveBackorders);
  const server = app.listen(config.port, config.host, () => {
    // The address actually bound, so the line cannot claim loopback while every interface listens.
    const { address, port } = server.address() as AddressInfo;
    console.log(`API listening on http://${address.includes(':') ? `[${address}]` : address}:${port}`);
  });
  const stop = () => {
    clearInterval(sweeper);
    server.close(() => {
      void Promise.all([db.$disconnect(), temporal.connection.close()]).then(() => process.exit(0));
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error(describeError(err, true));
  process.exit(1);
});

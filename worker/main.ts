// The Temporal worker: runs order workflows and their activities (npm run worker).
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { LocalCarrierAdapter } from '../carriers/local';
import { LocalPaymentAdapter } from '../payments/local';
import { createDb } from '../db/client';
import { loadConfig } from '../lib/config';
import { crashPointInterceptors } from '../lib/faults';
import { temporalDataConverter } from '../lib/temporal';
import { createMailer } from '../mail/transport';

async function main(): Promise<void> {
  const config = loadConfig();
  const dataConverter = temporalDataConverter(config);
  const db = createDb(config.databaseUrl);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    dataConverter,
    ...Object.fromEntries(Object.entries(config.worker).filter(([, value]) => value !== undefined)),
    // Test-only crash points around activities (lib/faults.ts); none unless OMS_FAULT_CRASH_AT is set.
    interceptors: { activity: crashPointInterceptors() },
    activities: createActivities({
      db,
      mailer: createMailer(config.smtpUrl),
      carrier: new LocalCarrierAdapter(config.localCarrierUrl),
      payments: new LocalPaymentAdapter(path.join(config.dataDir, 'local-payments.jsonl')),
      config,
    }),
  });
  console.log(`worker polling task queue "${config.taskQueue}" on ${config.temporalAddress}`);
  // Worker.run() resolves after SIGINT/SIGTERM once in-flight tasks are done.
  await worker.run();
  await connection.close();
  await db.$disconnect();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

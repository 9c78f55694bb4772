// The Temporal worker: runs order workflows and their activities (npm run worker).
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { LocalCarrierAdapter } from '../carriers/local';
import { LocalPaymentAdapter, localPaymentFiles } from '../payments/local';
import { createDb } from '../db/client';
import { loadConfig } from '../lib/config';
import { crashPointInterceptors } from '../lib/faults';
import { temporalDataConverter } from '../lib/temporal';
import { temporalTlsConfig } from '../lib/temporal-tls';
import { createMailer } from '../mail/transport';
import { workflowInterceptorModules } from './interceptors';

async function main(): Promise<void> {
  const config = loadConfig();
  const dataConverter = temporalDataConverter(config, config.workerPlainPayloads);
  const db = createDb(config.databaseUrl);
  // The SDK's own metrics (task latencies, slots, polls, sticky cache) at http://<address>/metrics; the Runtime is
  // one per process and must be installed before the first connection. Unset: the SDK's default Runtime, no metrics.
  if (config.workerMetricsAddress) {
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: config.workerMetricsAddress } } } });
    console.log(`worker metrics at http://${config.workerMetricsAddress}/metrics`);
  }
  const connection = await NativeConnection.connect({
    address: config.temporalAddress,
    tls: temporalTlsConfig(config.temporalTls),
  });
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    dataConverter,
    ...Object.fromEntries(Object.entries(config.worker).filter(([, value]) => value !== undefined)),
    // Test-only crash points around activities (lib/faults.ts); none unless OMS_FAULT_CRASH_AT is set.
    interceptors: { activity: crashPointInterceptors(), workflowModules: workflowInterceptorModules },
    activities: createActivities({
      db,
      mailer: createMailer(config.smtpUrl),
      carrier: new LocalCarrierAdapter(config.localCarrierUrl),
      payments: new LocalPaymentAdapter(localPaymentFiles(config.dataDir)),
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

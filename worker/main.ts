// The Temporal worker: runs order workflows and their activities (npm run worker).
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { LocalCarrierAdapter } from '../carriers/local';
import { LocalPaymentAdapter, localPaymentFiles } from '../payments/local';
import { createDb } from '../db/client';
import { loadConfig } from '../lib/config';
import { crashPointInterceptors } from '../lib/faults';
import { temporalDataConverter } from '../lib/temporal';
import { configureLog, log } from '../lib/log';
import { lowerPriority } from '../lib/priority';
import { describeError } from '../lib/redact';
import { startTracing, stopTracing } from '../lib/tracing';
import { temporalTlsConfig } from '../lib/temporal-tls';
import { createMailer } from '../mail/transport';
import { sdkLogger } from './sdk-log';
import { workerTracing } from './tracing';

async function main(): Promise<void> {
  const config = loadConfig();
  configureLog('worker', config.logFormat);
  lowerPriority(config.workerNice);
  const dataConverter = temporalDataConverter(config, config.workerPlainPayloads);
  const db = createDb(config.databaseUrl);
  // The Runtime is one per process and must be installed before the first connection: the SDK's own metrics (task
  // latencies, slots, polls, sticky cache) at http://<address>/metrics, and its log lines (the Rust core's too) as
  // JSON with ours. Neither asked for: the SDK's default Runtime, no metrics, its lines as text.
  const metrics = config.workerMetricsAddress
    ? { prometheus: { bindAddress: config.workerMetricsAddress } }
    : undefined;
  const jsonLog = config.logFormat === 'json';
  if (metrics || jsonLog) {
    Runtime.install({
      logger: jsonLog ? sdkLogger() : undefined,
      telemetryOptions: { metrics, logging: jsonLog ? { forward: {} } : undefined },
    });
  }
  if (metrics) log.info(`worker metrics at http://${config.workerMetricsAddress}/metrics`);
  const tracing = await workerTracing(await startTracing('worker', config));
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
    interceptors: {
      activity: [...crashPointInterceptors(), ...tracing.activity],
      workflowModules: tracing.workflowModules,
    },
    sinks: tracing.sinks,
    activities: createActivities({
      db,
      mailer: createMailer(config.smtpUrl),
      carrier: new LocalCarrierAdapter(config.localCarrierUrl),
      payments: new LocalPaymentAdapter(localPaymentFiles(config.dataDir)),
      config,
    }),
  });
  log.info(`worker polling task queue "${config.taskQueue}" on ${config.temporalAddress}`);
  // Worker.run() resolves after SIGINT/SIGTERM once in-flight tasks are done.
  await worker.run();
  await connection.close();
  await db.$disconnect();
  await stopTracing();
}

main().catch((err) => {
  log.error(describeError(err, true));
  process.exit(1);
});

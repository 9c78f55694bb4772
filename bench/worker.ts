/**
 * The bench's own worker process: the baseline workflow (bench/workflows/) and its no-op activity
 * (bench/activities.ts) on a task queue of their own, so the production worker (worker/main.ts) bundles no bench
 * code. bench/run.ts starts it with the environment the stack gives its worker and configures it the same way
 * (connection, payload codec, tuning settings, activity interceptors), so the baseline measures the same engine.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../lib/config';
import { crashPointInterceptors } from '../lib/faults';
import { lowerPriority } from '../lib/priority';
import { temporalDataConverter } from '../lib/temporal';
import { temporalTlsConfig } from '../lib/temporal-tls';
import { createBenchActivities } from './activities';
import { BENCH_READY, BENCH_TASK_QUEUE } from './support';

async function main(): Promise<void> {
  const config = loadConfig();
  lowerPriority(config.workerNice);
  const connection = await NativeConnection.connect({
    address: config.temporalAddress,
    tls: temporalTlsConfig(config.temporalTls),
  });
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: BENCH_TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    dataConverter: temporalDataConverter(config, config.workerPlainPayloads),
    ...Object.fromEntries(Object.entries(config.worker).filter(([, value]) => value !== undefined)),
    interceptors: { activity: crashPointInterceptors() },
    activities: createBenchActivities(),
  });
  console.log(`${BENCH_READY} "${BENCH_TASK_QUEUE}" on ${config.temporalAddress}`);
  // Worker.run() resolves after SIGINT/SIGTERM once in-flight tasks are done.
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

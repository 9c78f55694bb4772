/**
 * The benchmark baseline (bench/, docs/benchmarks.md): as many activities, timers and Updates as an order's
 * history, doing no work. Deterministic; nothing in the order lifecycle uses it. Runs on the bench's own worker
 * (bench/worker.ts, task queue BENCH_TASK_QUEUE), never on the production worker.
 */
import {
  condition,
  defineUpdate,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import { LOCAL_RETRY_UNTIL_DONE, RETRY_UNTIL_DONE } from '../../workflows/activity-options';
import type { createBenchActivities } from '../activities';

export interface BenchBaselineInput {
  activities: number;
  /** Of those, how many run as local activities (an order's database steps do); absent in older runs: none. */
  localActivities?: number;
  /** Timers that fire (1 ms, like the order's zero-length after-sales window). */
  timers: number;
  /** Timers cancelled before they fire (like an order's SLA timers, which end with their stage). */
  cancelledTimers: number;
  updates: number;
}

/** One staff-like action: the bench sends `updates` of these, one at a time. */
export const benchStep = defineUpdate<number, []>('benchStep');

const remote = proxyActivities<ReturnType<typeof createBenchActivities>>(RETRY_UNTIL_DONE);
const local = proxyLocalActivities<ReturnType<typeof createBenchActivities>>(LOCAL_RETRY_UNTIL_DONE);

export async function benchBaselineWorkflow(input: BenchBaselineInput): Promise<number> {
  let received = 0;
  setHandler(benchStep, () => ++received);
  let cancelled = 0;
  // A day-long timer that ends when `work` does: started and cancelled in separate workflow tasks, as an SLA is.
  const withCancelledTimer = async (work: () => Promise<void>) => {
    if (cancelled >= input.cancelledTimers) return work();
    cancelled++;
    let done = false;
    const timer = condition(() => done, '1 day');
    await work();
    done = true;
    await timer;
  };
  // Local and ordinary activities interleaved, as an order's database steps and emails are.
  const localEvery = (input.localActivities ?? 0) / input.activities;
  let localDone = 0;
  const noop = (i: number) => {
    if (localDone >= Math.round((i + 1) * localEvery)) return remote.benchNoop();
    localDone++;
    return local.benchNoop();
  };
  // Like an order: about half the activities before the staff action (review, allocation), the rest after it.
  const before = Math.ceil(input.activities / 2);
  for (let i = 0; i < before; i++) await withCancelledTimer(() => noop(i));
  await withCancelledTimer(() => condition(() => received >= input.updates).then(() => undefined));
  for (let i = before; i < input.activities; i++) await withCancelledTimer(() => noop(i));
  for (let i = 0; i < input.timers; i++) await sleep(1);
  return received;
}

/**
 * The benchmark baseline (bench/, docs/benchmarks.md): an order's history without the order. Derived from a
 * recorded order (bench/scenarios.ts, historyShape), it schedules as many activities (local and remote), timers,
 * Updates, signals and search-attribute upserts as the order did, and starts a child with its own activities and
 * signals as the order's shipment does; every activity does nothing. Deterministic; nothing in the order
 * lifecycle uses it. Runs on the bench's own worker (bench/worker.ts, task queue BENCH_TASK_QUEUE).
 */
import {
  condition,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { LOCAL_RETRY_UNTIL_DONE, RETRY_UNTIL_DONE } from '../../workflows/activity-options';
import { OrderStatusAttribute } from '../../workflows/definitions';
import type { createBenchActivities } from '../activities';

/** What one workflow of the baseline does; the parent's child (an order's shipment) has its own. */
export interface BenchBaselineShape {
  activities: number;
  /** Of those, how many run as local activities (an order's database steps do); absent in older runs: none. */
  localActivities?: number;
  /** Timers that fire (1 ms, like the order's zero-length after-sales window). */
  timers: number;
  /** Timers cancelled before they fire (like an order's SLA timers, which end with their stage). */
  cancelledTimers: number;
  /** Search-attribute upserts (an order's status changes); absent in older runs: none. */
  upserts?: number;
}

export interface BenchBaselineChildShape extends BenchBaselineShape {
  /** Signals the bench sends the child (the carrier's tracking events arrive so). */
  signalsFromOutside: number;
  /** Signals the child sends its parent (the shipment tells the order it was booked). */
  signalsToParent: number;
}

export interface BenchBaselineInput extends BenchBaselineShape {
  /** Staff actions: the bench sends this many `benchStep` Updates, one at a time. */
  updates: number;
  /** The shipment-like child, started after the Updates; absent in older runs (they had none). */
  child?: BenchBaselineChildShape;
}

/** One staff-like action: the bench sends `updates` of these, one at a time. */
export const benchStep = defineUpdate<number, []>('benchStep');
/** What the bench sends the child, as the carrier's webhooks reach a shipment. */
export const benchOutsideSignal = defineSignal<[number]>('benchOutside');
/** What the child sends its parent, as a shipment's booking reaches the order. */
export const benchChildSignal = defineSignal<[number]>('benchChild');

/** The child's workflow id, so the bench can signal it. */
export const benchChildId = (parentId: string) => `${parentId}-child`;

const remote = proxyActivities<ReturnType<typeof createBenchActivities>>(RETRY_UNTIL_DONE);
const local = proxyLocalActivities<ReturnType<typeof createBenchActivities>>(LOCAL_RETRY_UNTIL_DONE);

/** Waits for `work` inside a cancelled timer while the shape has such timers left (see runShape). */
type Wait = (work: () => Promise<unknown>) => Promise<void>;

/**
 * Runs `shape`'s activities and upserts, interleaved, with `middle` after half the activities. Cancelled timers go
 * first to the waits `middle` makes (an order's SLA timers run while it waits for staff and for its parcel), then
 * to ordinary activities: a timer around a local activity would start and end within one workflow task, and the
 * SDK never sends such a timer to the server.
 */
async function runShape(shape: BenchBaselineShape, middle: (wait: Wait) => Promise<void>): Promise<void> {
  let cancelled = 0;
  // A day-long timer that ends when `work` does: started and cancelled in separate workflow tasks, as an SLA is.
  const wait: Wait = async (work) => {
    if (cancelled >= shape.cancelledTimers) {
      await work();
      return;
    }
    cancelled++;
    let done = false;
    const timer = condition(() => done, '1 day');
    await work();
    done = true;
    await timer;
  };
  // Local and ordinary activities interleaved, as an order's database steps and emails are; an upsert with each of
  // the first activities, as an order's status changes come with its steps.
  const localEvery = (shape.localActivities ?? 0) / Math.max(1, shape.activities);
  let localDone = 0;
  let upserted = 0;
  const upsert = () => {
    upserted++;
    upsertSearchAttributes([{ key: OrderStatusAttribute, value: `BENCH_${upserted}` }]);
  };
  const noop = async (i: number) => {
    if (upserted < (shape.upserts ?? 0)) upsert();
    if (localDone >= Math.round((i + 1) * localEvery)) return wait(() => remote.benchNoop());
    localDone++;
    return local.benchNoop();
  };
  const before = Math.ceil(shape.activities / 2);
  for (let i = 0; i < before; i++) await noop(i);
  await middle(wait);
  for (let i = before; i < shape.activities; i++) await noop(i);
  while (upserted < (shape.upserts ?? 0)) upsert();
  for (let i = 0; i < shape.timers; i++) await sleep(1);
}

export async function benchBaselineWorkflow(input: BenchBaselineInput): Promise<number> {
  let received = 0;
  let fromChild = 0;
  setHandler(benchStep, () => ++received);
  setHandler(benchChildSignal, () => void fromChild++);
  await runShape(input, async (wait) => {
    await wait(() => condition(() => received >= input.updates));
    const { child } = input;
    if (!child) return;
    // Like the order's shipment: started, tells the parent, and the parent waits for both.
    const handle = await startChild(benchBaselineChildWorkflow, {
      workflowId: benchChildId(workflowInfo().workflowId),
      args: [child],
    });
    await wait(async () => {
      await condition(() => fromChild >= child.signalsToParent);
      await handle.result();
    });
  });
  return received;
}

export async function benchBaselineChildWorkflow(shape: BenchBaselineChildShape): Promise<number> {
  let outside = 0;
  setHandler(benchOutsideSignal, () => void outside++);
  await runShape(shape, async (wait) => {
    const parent = getExternalWorkflowHandle(workflowInfo().parent!.workflowId);
    for (let i = 0; i < shape.signalsToParent; i++) await parent.signal(benchChildSignal, i);
    await wait(() => condition(() => outside >= shape.signalsFromOutside));
  });
  return outside;
}

/**
 * The benchmark scenarios (see docs/benchmarks.md). Each makes a product and stock of its own through the API,
 * and marks its orders with an externalId prefix, so scenarios on one stack do not disturb each other.
 */
import autocannon from 'autocannon';
import { WorkflowNotFoundError } from '@temporalio/client';
import { eventually, type TestSystem } from '../test/support/system';
import { newProduct, orderBody, scansFor } from '../test/support/orders';
import type { PickListAnswer, StockCheck, StockLevelList, StoredOrder } from '../test/support/api';
import { orderWorkflowId } from '../domain/order-number';
import { shipmentWorkflowId } from '../workflows/definitions';
import { benchChildId, benchOutsideSignal, benchStep, type BenchBaselineInput } from './workflows/baseline';
import { summarize } from './stats';
import type {
  BaselineResult,
  BurstResult,
  Check,
  HistoryShape,
  WorkflowShape,
  HotSkuResult,
  IntakeResult,
  IntakeStep,
  LifecycleResult,
  OpenPoint,
  OpenResult,
  StaffResult,
} from './result';

import {
  BENCH_CARRIER_STEP_MS,
  BENCH_TASK_QUEUE,
  cpuMeter,
  statementMeter,
  mapLimit,
  memoryOf,
  memorySampler,
  pidOf,
  round1,
  round2,
  Semaphore,
  PROCESS_NAMES,
  sleep,
  startBenchWorker,
  statusCounts,
  sum,
  timedApi,
} from './support';

export interface BenchContext {
  system: TestSystem;
  runId: string;
  quick: boolean;
  checks: Check[];
  log: (line: string) => void;
  /** Where the worker and the API write their SQL statement counts (bench/statements-preload.cjs). */
  statementsDir: string;
}

const WAREHOUSE = 'WH-SH';
const BEFORE_PICKING = ['RECEIVED', 'IN_REVIEW', 'ALLOCATING'];

export function check(ctx: BenchContext, name: string, ok: boolean, detail: string): void {
  ctx.checks.push({ name, ok, detail });
  ctx.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
}

async function postOrder(ctx: BenchContext, body: Record<string, unknown>) {
  const response = await timedApi<StoredOrder>(ctx.system, 'POST', '/api/orders', body);
  const orderNumber = response.status === 201 || response.status === 200 ? response.body.orderNumber : undefined;
  return { status: response.status, ms: response.ms, orderNumber };
}

/** Picks every shipment waiting to be picked. Returns the POST /pick timings, or null when it was not ready yet. */
async function pickOrder(ctx: BenchContext, orderNumber: string): Promise<number[] | null> {
  const list = await timedApi<PickListAnswer>(ctx.system, 'GET', `/api/orders/${orderNumber}/pick-list`);
  if (list.status !== 200) return null;
  const shipments = list.body.shipments.filter((s) => s.phase === 'PICKING');
  if (shipments.length === 0) return null;
  const timings: number[] = [];
  for (const shipment of shipments) {
    const response = await timedApi(ctx.system, 'POST', `/api/orders/${orderNumber}/pick`, {
      shipment: shipment.seq,
      scans: scansFor(shipment),
    });
    if (response.status !== 200) return null;
    timings.push(response.ms);
  }
  return timings;
}

async function orderNumbers(ctx: BenchContext, prefix: string, status?: string): Promise<string[]> {
  const rows = await ctx.system.db.order.findMany({
    where: { externalId: { startsWith: prefix }, ...(status ? { status } : {}) },
    select: { orderNumber: true },
  });
  return rows.map((r) => r.orderNumber);
}

/** The marker a local activity's result is recorded under (Temporal's core SDK). */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** Counts of what one workflow's history holds. */
async function workflowShape(ctx: BenchContext, workflowId: string): Promise<WorkflowShape> {
  const history = await ctx.system.temporal.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const has = (key: string) => events.filter((e) => (e as Record<string, unknown>)[key] != null).length;
  const localActivities = events.filter(
    (e) => e.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER,
  ).length;
  return {
    activities: has('activityTaskScheduledEventAttributes') + localActivities,
    localActivities,
    timers: has('timerStartedEventAttributes'),
    timersFired: has('timerFiredEventAttributes'),
    updates: has('workflowExecutionUpdateAcceptedEventAttributes'),
    signalsReceived: has('workflowExecutionSignaledEventAttributes'),
    signalsSent: has('signalExternalWorkflowExecutionInitiatedEventAttributes'),
    upserts: has('upsertWorkflowSearchAttributesEventAttributes'),
    children: has('startChildWorkflowExecutionInitiatedEventAttributes'),
    workflowTasks: has('workflowTaskCompletedEventAttributes'),
    events: events.length,
  };
}

/** Counts of what a workflow's history holds and its first child's (an order's first shipment, say). */
async function historyShape(ctx: BenchContext, parentId: string, childId: string): Promise<HistoryShape> {
  const parent = await workflowShape(ctx, parentId);
  const child = parent.children > 0 ? await workflowShape(ctx, childId) : undefined;
  return {
    activities: parent.activities,
    localActivities: parent.localActivities,
    timers: parent.timers,
    timersFired: parent.timersFired + (child?.timersFired ?? 0),
    updates: parent.updates,
    signals: parent.signalsReceived + parent.signalsSent + (child ? child.signalsReceived + child.signalsSent : 0),
    children: parent.children,
    childActivities: child?.activities ?? 0,
    childLocalActivities: child?.localActivities ?? 0,
    childTimers: child?.timers ?? 0,
    events: parent.events,
    childEvents: child?.events ?? 0,
    parent,
    child,
  };
}

/** The baseline's input from an order's history: the same counts, in a parent and (when it had one) a child. */
function baselineInputFrom(shape: HistoryShape): BenchBaselineInput {
  const { parent, child } = shape;
  if (!parent) throw new Error('a history shape from before per-workflow counts cannot make a faithful baseline');
  return {
    activities: parent.activities,
    localActivities: parent.localActivities,
    timers: parent.timersFired,
    cancelledTimers: parent.timers - parent.timersFired,
    upserts: parent.upserts,
    updates: parent.updates,
    child: child && {
      activities: child.activities,
      localActivities: child.localActivities,
      timers: child.timersFired,
      cancelledTimers: child.timers - child.timersFired,
      upserts: child.upserts,
      signalsFromOutside: child.signalsReceived,
      signalsToParent: child.signalsSent,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Lifecycle throughput, and the baseline workflow with the same shape

export async function lifecycleScenario(
  ctx: BenchContext,
  options: { orders: number; concurrency: number },
): Promise<LifecycleResult> {
  const { system } = ctx;
  const n = options.orders;
  const prefix = `BL-${ctx.runId}-`;
  const product = await newProduct(system, { stock: { [WAREHOUSE]: Math.max(10_000, 2 * n + 10) } });
  const statements = await statementMeter(ctx.statementsDir);
  const cpu = cpuMeter(system);
  const started = Date.now();
  const picker = new Semaphore(options.concurrency);
  const picked = new Set<string>();
  const inFlight = new Set<string>();
  let postErrors = 0;
  let pickRetries = 0;

  const posting = mapLimit(
    Array.from({ length: n }, (_, i) => i),
    options.concurrency,
    async (i) => {
      const response = await postOrder(ctx, orderBody(product.sku, { externalId: `${prefix}${i}` }));
      if (response.status !== 201) postErrors++;
    },
  );
  // Staff pick whatever waits in PICKING, as it appears.
  const completed = eventually(
    `${n} lifecycle orders COMPLETED`,
    async () => {
      for (const orderNumber of await orderNumbers(ctx, prefix, 'PICKING')) {
        if (picked.has(orderNumber) || inFlight.has(orderNumber)) continue;
        inFlight.add(orderNumber);
        void picker
          .run(() => pickOrder(ctx, orderNumber))
          .then((timings) => {
            if (timings) picked.add(orderNumber);
            else pickRetries++;
          })
          .catch(() => pickRetries++)
          .finally(() => inFlight.delete(orderNumber));
      }
      const counts = await statusCounts(system, prefix);
      return (counts.COMPLETED ?? 0) >= n ? counts : undefined;
    },
    ctx.quick ? 180_000 : 1_800_000,
    250,
  );
  await posting;
  const counts = await completed;
  const wallS = (Date.now() - started) / 1000;
  const orders = await system.db.order.findMany({
    where: { externalId: { startsWith: prefix } },
    select: { orderNumber: true, createdAt: true },
  });
  const completedAt = new Map(
    (
      await system.db.auditEvent.findMany({
        where: { action: 'status COMPLETED', orderNumber: { in: orders.map((o) => o.orderNumber) } },
        select: { orderNumber: true, at: true },
      })
    ).map((a) => [a.orderNumber, a.at.getTime()]),
  );
  const latencies = orders.map((o) => (completedAt.get(o.orderNumber) ?? NaN) - o.createdAt.getTime());
  const lastCompletion = Math.max(...completedAt.values());
  const ordersPerS = n / ((lastCompletion - started) / 1000);
  const ours = {
    orders: n,
    concurrency: options.concurrency,
    postErrors,
    pickRetries,
    statuses: counts,
    wallSeconds: round1(wallS),
    completedPerSecond: round2(ordersPerS),
    latencyMs: summarize(latencies.filter((l) => Number.isFinite(l))),
    cpuSeconds: cpu(),
    statementsPerOrder: await statements(n),
  };
  ctx.log(`  orders: ${ours.completedPerSecond}/s, p50 ${ours.latencyMs.p50} ms, p99 ${ours.latencyMs.p99} ms`);
  ctx.log(`  SQL statements per order: ${JSON.stringify(ours.statementsPerOrder)}`);

  const orderNumber = orders[0].orderNumber;
  const shape = await historyShape(ctx, orderWorkflowId(orderNumber), shipmentWorkflowId(orderNumber, 1));
  const baselineInput = baselineInputFrom(shape);
  ctx.log(`  history of one order: ${JSON.stringify(shape)}`);
  // The baseline runs on the bench's own worker process (bench/worker.ts), started for it and stopped after.
  const benchWorker = await startBenchWorker(system);
  let baseline: BaselineResult;
  try {
    baseline = await Promise.race([baselineRun(ctx, n, options.concurrency, baselineInput), benchWorker.failed]);
  } finally {
    await benchWorker.stop();
  }
  ctx.log(`  baseline: ${baseline.completedPerSecond}/s, p50 ${baseline.latencyMs.p50} ms`);
  ctx.log(`  history of one baseline workflow: ${JSON.stringify(baseline.history)}`);
  return {
    ...ours,
    history: shape,
    baseline: { input: baselineInput, ...baseline },
    ratio: round2(ours.completedPerSecond / baseline.completedPerSecond),
  };
}

/** Sends a signal, waiting (briefly, then again) while its workflow has not been started yet. */
async function signalWhenStarted(send: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      return await send();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      await sleep(20);
    }
  }
}

async function baselineRun(
  ctx: BenchContext,
  n: number,
  concurrency: number,
  input: BenchBaselineInput,
): Promise<BaselineResult> {
  const { system } = ctx;
  const client = system.temporal;
  const cpu = cpuMeter(system, [...PROCESS_NAMES, 'benchWorker']);
  const started = Date.now();
  const updater = new Semaphore(concurrency);
  const finishedAt: number[] = [];
  const latencies: number[] = [];
  const runs: Promise<void>[] = [];
  await mapLimit(
    Array.from({ length: n }, (_, i) => i),
    concurrency,
    async (i) => {
      const startedOne = Date.now();
      const handle = await client.workflow.start('benchBaselineWorkflow', {
        workflowId: `bench-baseline-${ctx.runId}-${i}`,
        taskQueue: BENCH_TASK_QUEUE,
        args: [input],
      });
      runs.push(
        (async () => {
          for (let u = 0; u < input.updates; u++) await updater.run(() => handle.executeUpdate(benchStep));
          // The child's outside signals, as the carrier's webhooks reach a shipment: sent once it exists, a carrier
          // step apart (LOCAL_CARRIER_STEP in bench/run.ts), so each arrives in a workflow task of its own.
          if (input.child) {
            const child = client.workflow.getHandle(benchChildId(handle.workflowId));
            for (let s = 0; s < input.child.signalsFromOutside; s++) {
              if (s > 0) await sleep(BENCH_CARRIER_STEP_MS);
              await updater.run(() => signalWhenStarted(() => child.signal(benchOutsideSignal, s)));
            }
          }
          await handle.result();
          finishedAt.push(Date.now());
          latencies.push(Date.now() - startedOne);
        })(),
      );
    },
  );
  await Promise.all(runs);
  const seconds = (Math.max(...finishedAt) - started) / 1000;
  const firstId = `bench-baseline-${ctx.runId}-0`;
  return {
    history: await historyShape(ctx, firstId, benchChildId(firstId)),
    workflows: n,
    wallSeconds: round1(seconds),
    completedPerSecond: round2(n / seconds),
    latencyMs: summarize(latencies),
    cpuSeconds: cpu(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Intake latency at fixed rates (autocannon)

export async function intakeScenario(
  ctx: BenchContext,
  options: { rates: number[]; durationS: number; connections: number; holdP99Ms: number; pausedRate?: number },
): Promise<IntakeResult> {
  const { system } = ctx;
  const product = await newProduct(system, { stock: { [WAREHOUSE]: 1_000_000 } });
  const steps: IntakeStep[] = [];
  for (const rate of options.rates) steps.push(await intakeStep(ctx, product.sku, rate, options));
  const held = steps.filter(
    (s) =>
      s.latencyMs.p99 < options.holdP99Ms && s.non2xx === 0 && s.errors === 0 && s.achievedPerSecond >= 0.95 * s.rate,
  );
  // The same POSTs with the worker stopped (SIGSTOP): the API, its database and Temporal's start call alone,
  // without the CPU the accepted orders' workflows take on this shared machine. Continued before settling.
  let workerPaused: IntakeStep | null = null;
  if (options.pausedRate) {
    const worker = pidOf(system, 'worker');
    if (!worker) throw new Error('no worker process to pause');
    workerPaused = await intakeStep(ctx, product.sku, options.pausedRate, options, worker);
  }
  return {
    connections: options.connections,
    holdP99Ms: options.holdP99Ms,
    steps,
    highestRateHeld: held.length ? Math.max(...held.map((s) => s.rate)) : null,
    workerPaused,
  };
}

/**
 * POSTs at `rate` for the duration (autocannon), then waits until those orders have reached PICKING. With
 * `pausedWorker` (a pid), that process is stopped while the POSTs run.
 */
async function intakeStep(
  ctx: BenchContext,
  sku: string,
  rate: number,
  options: { durationS: number; connections: number },
  pausedWorker?: number,
): Promise<IntakeStep> {
  const { system } = ctx;
  const prefix = `BI-${ctx.runId}-${rate}${pausedWorker ? 'p' : ''}-`;
  let seq = 0;
  const cpu = cpuMeter(system);
  if (pausedWorker) process.kill(pausedWorker, 'SIGSTOP');
  let result: autocannon.Result;
  try {
    result = await autocannon({
      url: system.apiUrl,
      connections: options.connections,
      overallRate: rate,
      duration: options.durationS,
      headers: { authorization: `Bearer ${system.adminKey}`, 'content-type': 'application/json' },
      requests: [
        {
          method: 'POST',
          path: '/api/orders',
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify(orderBody(sku, { externalId: `${prefix}${seq++}`, lines: [{ sku, quantity: 1 }] })),
          }),
        },
      ],
    });
  } finally {
    if (pausedWorker) process.kill(pausedWorker, 'SIGCONT');
  }
  const step: IntakeStep = {
    rate,
    workerPaused: Boolean(pausedWorker),
    durationS: options.durationS,
    requests: result.requests.total,
    achievedPerSecond: round1(result.requests.total / options.durationS),
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: round1(result.latency.average),
    },
    cpuSeconds: cpu(),
    settleSeconds: null,
  };
  ctx.log(
    `  ${rate}/s${pausedWorker ? ' (worker paused)' : ''}: ${step.requests} requests, p50 ${step.latencyMs.p50} ms, p99 ${step.latencyMs.p99} ms, non-2xx ${step.non2xx}, errors ${step.errors}`,
  );
  // Let the workflows of this step reach PICKING, so the next step starts from a quiet system.
  const settleStart = Date.now();
  try {
    await eventually(
      `intake orders at ${rate}/s to settle`,
      async () => (sum(await statusCounts(system, prefix), BEFORE_PICKING) === 0 ? true : undefined),
      ctx.quick ? 60_000 : 600_000,
      500,
    );
    step.settleSeconds = round1((Date.now() - settleStart) / 1000);
  } catch (err) {
    ctx.log(`  ${(err as Error).message}`);
  }
  return step;
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Staff actions: approve a flagged order, then pick it (Temporal Updates through the API)

export async function staffScenario(ctx: BenchContext, options: { orders: number }): Promise<StaffResult> {
  const { system } = ctx;
  const prefix = `BS-${ctx.runId}-`;
  const product = await newProduct(system, { stock: { [WAREHOUSE]: 2 * options.orders + 10 } });
  await mapLimit(
    Array.from({ length: options.orders }, (_, i) => i),
    10,
    (i) => postOrder(ctx, orderBody(product.sku, { externalId: `${prefix}${i}`, payment: { status: 'PENDING' } })),
  );
  await eventually(
    'staff orders IN_REVIEW',
    async () => ((await statusCounts(system, prefix)).IN_REVIEW === options.orders ? true : undefined),
    120_000,
  );
  await sleep(1_000);
  const numbers = await orderNumbers(ctx, prefix);
  // One action at a time: the latency of the action itself, not of a queue of them.
  const approve: number[] = [];
  let approveErrors = 0;
  for (const orderNumber of numbers) {
    const response = await timedApi(system, 'POST', `/api/orders/${orderNumber}/approve`, { note: 'bench' });
    if (response.status === 200) approve.push(response.ms);
    else approveErrors++;
  }
  await eventually(
    'approved orders PICKING',
    async () => ((await statusCounts(system, prefix)).PICKING === numbers.length - approveErrors ? true : undefined),
    120_000,
  );
  await sleep(1_000);
  const pick: number[] = [];
  let pickErrors = 0;
  for (const orderNumber of await orderNumbers(ctx, prefix, 'PICKING')) {
    const timings = await pickOrder(ctx, orderNumber);
    if (timings) pick.push(...timings);
    else pickErrors++;
  }
  const result = {
    orders: options.orders,
    approveMs: summarize(approve),
    approveErrors,
    pickMs: summarize(pick),
    pickErrors,
  };
  ctx.log(
    `  approve p50 ${result.approveMs.p50} ms p99 ${result.approveMs.p99} ms; pick p50 ${result.pickMs.p50} ms p99 ${result.pickMs.p99} ms`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// 4. Hot SKU: many concurrent orders for a SKU with little stock

export async function hotSkuScenario(
  ctx: BenchContext,
  options: { orders: number; stock: number },
): Promise<HotSkuResult> {
  const { system } = ctx;
  const prefix = `BH-${ctx.runId}-`;
  const product = await newProduct(system, { stock: { [WAREHOUSE]: options.stock } });
  const started = Date.now();
  const responses = await Promise.all(
    Array.from({ length: options.orders }, (_, i) =>
      postOrder(
        ctx,
        orderBody(product.sku, { externalId: `${prefix}${i}`, lines: [{ sku: product.sku, quantity: 1 }] }),
      ),
    ),
  );
  const postedS = (Date.now() - started) / 1000;
  const accepted = responses.filter((r) => r.status === 201).length;
  let counts: Record<string, number> = {};
  let settledS: number | null = null;
  try {
    counts = await eventually(
      'hot SKU orders to settle in PICKING or BACKORDERED',
      async () => {
        const c = await statusCounts(system, prefix);
        return sum(c, ['PICKING', 'BACKORDERED']) === options.orders ? c : undefined;
      },
      ctx.quick ? 120_000 : 900_000,
    );
    settledS = (Date.now() - started) / 1000;
  } catch (err) {
    counts = await statusCounts(system, prefix);
    ctx.log(`  ${(err as Error).message}`);
  }
  const stock = await system.api<StockLevelList>('GET', `/api/inventory?sku=${encodeURIComponent(product.sku)}`);
  const level = stock.body.levels.map((l) => ({ location: l.location, onHand: l.onHand, reserved: l.reserved }));
  const reserved = level.reduce((t, l) => t + l.reserved, 0);
  const onHand = level.reduce((t, l) => t + l.onHand, 0);
  const ledger = (await system.api<StockCheck>('GET', '/api/inventory/check')).body;
  const result: HotSkuResult = {
    orders: options.orders,
    stock: options.stock,
    accepted,
    postSeconds: round1(postedS),
    settleSeconds: settledS === null ? null : round1(settledS),
    statuses: counts,
    reserved,
    onHand,
    levels: level,
    ledgerConsistent: ledger.consistent === true,
  };
  check(ctx, 'hot SKU: every order accepted', accepted === options.orders, `${accepted}/${options.orders}`);
  check(ctx, 'hot SKU: reserved == stock', reserved === options.stock, `reserved ${reserved}, stock ${options.stock}`);
  check(
    ctx,
    'hot SKU: PICKING == stock, the rest BACKORDERED',
    counts.PICKING === options.stock && counts.BACKORDERED === options.orders - options.stock,
    JSON.stringify(counts),
  );
  check(ctx, 'hot SKU: on hand unchanged', onHand === options.stock, `on hand ${onHand}`);
  check(
    ctx,
    'hot SKU: ledger consistent',
    result.ledgerConsistent,
    JSON.stringify(ledger.differences ?? ledger).slice(0, 200),
  );
  ctx.log(`  settled in ${result.settleSeconds} s`);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// 5. Burst: orders posted as fast as the API takes them

export async function burstScenario(
  ctx: BenchContext,
  options: { orders: number; concurrency: number },
): Promise<BurstResult> {
  const { system } = ctx;
  const prefix = `BB-${ctx.runId}-`;
  const product = await newProduct(system, { stock: { [WAREHOUSE]: options.orders + 10 } });
  const memory = memorySampler(system);
  const cpu = cpuMeter(system);
  const started = Date.now();
  const responses = await mapLimit(
    Array.from({ length: options.orders }, (_, i) => i),
    options.concurrency,
    (i) =>
      postOrder(
        ctx,
        orderBody(product.sku, { externalId: `${prefix}${i}`, lines: [{ sku: product.sku, quantity: 1 }] }),
      ),
  );
  const postedS = (Date.now() - started) / 1000;
  const statusCodes: Record<string, number> = {};
  for (const r of responses) statusCodes[r.status] = (statusCodes[r.status] ?? 0) + 1;
  const accepted = responses.filter((r) => r.status === 201 || r.status === 200).length;
  const serverErrors = responses.filter((r) => r.status >= 500).length;
  const timeout = ctx.quick ? 120_000 : 1_800_000;
  let leftReceivedS: number | null = null;
  let pickingS: number | null = null;
  try {
    await eventually(
      'burst orders to leave RECEIVED',
      async () => (((await statusCounts(system, prefix)).RECEIVED ?? 0) === 0 ? true : undefined),
      timeout,
      500,
    );
    leftReceivedS = (Date.now() - started) / 1000;
    await eventually(
      'burst orders to reach PICKING',
      async () => (((await statusCounts(system, prefix)).PICKING ?? 0) === accepted ? true : undefined),
      timeout,
      500,
    );
    pickingS = (Date.now() - started) / 1000;
  } catch (err) {
    ctx.log(`  ${(err as Error).message}`);
  }
  const peaks = memory();
  const orders = await system.db.order.count({ where: { externalId: { startsWith: prefix } } });
  const result: BurstResult = {
    orders: options.orders,
    concurrency: options.concurrency,
    sent: responses.length,
    accepted,
    serverErrors,
    statusCodes,
    ordersInDatabase: orders,
    postSeconds: round1(postedS),
    postedPerSecond: round1(options.orders / postedS),
    postLatencyMs: summarize(responses.map((r) => r.ms)),
    allLeftReceivedSeconds: leftReceivedS === null ? null : round1(leftReceivedS),
    allPickingSeconds: pickingS === null ? null : round1(pickingS),
    statuses: await statusCounts(system, prefix),
    ...peaks,
    workerHwmMiB: memoryOf(pidOf(system, 'worker'))?.hwmMiB ?? null,
    apiHwmMiB: memoryOf(pidOf(system, 'api'))?.hwmMiB ?? null,
    cpuSeconds: cpu(),
  };
  check(ctx, 'burst: accepted == sent', accepted === responses.length, `${accepted}/${responses.length}`);
  check(ctx, 'burst: no 5xx', serverErrors === 0, JSON.stringify(statusCodes));
  check(ctx, 'burst: one order per request in the database', orders === options.orders, `${orders}`);
  check(ctx, 'burst: every order left RECEIVED', leftReceivedS !== null, `${result.allLeftReceivedSeconds} s`);
  ctx.log(
    `  posted ${result.postedPerSecond}/s; all left RECEIVED after ${result.allLeftReceivedSeconds} s, PICKING after ${result.allPickingSeconds} s; worker peak ${peaks.workerPeakRssMiB} MiB, api ${peaks.apiPeakRssMiB} MiB`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// 6. Open workflows: worker memory with many orders waiting in PICKING

export async function openScenario(ctx: BenchContext, options: { levels: number[] }): Promise<OpenResult> {
  const { system } = ctx;
  const prefix = `BO-${ctx.runId}-`;
  const maxLevel = Math.max(...options.levels);
  const product = await newProduct(system, { stock: { [WAREHOUSE]: maxLevel + 10 } });
  const picking = () => system.db.order.count({ where: { status: 'PICKING' } });
  const points: OpenPoint[] = [];
  let posted = 0;
  for (const level of [...options.levels].sort((a, b) => a - b)) {
    const missing = Math.max(0, level - (await picking()));
    await mapLimit(
      Array.from({ length: missing }, (_, i) => posted + i),
      50,
      (i) =>
        postOrder(
          ctx,
          orderBody(product.sku, { externalId: `${prefix}${i}`, lines: [{ sku: product.sku, quantity: 1 }] }),
        ),
    );
    posted += missing;
    await eventually(
      `${level} orders in PICKING`,
      async () => (sum(await statusCounts(system, prefix), BEFORE_PICKING) === 0 ? true : undefined),
      ctx.quick ? 120_000 : 1_200_000,
      500,
    );
    await sleep(5_000); // let the worker go quiet
    const point: OpenPoint = {
      level,
      ordersInPicking: await picking(),
      openOrders: await system.db.order.count({ where: { status: { notIn: ['COMPLETED', 'CANCELLED', 'REJECTED'] } } }),
      worker: memoryOf(pidOf(system, 'worker')),
      api: memoryOf(pidOf(system, 'api')),
      temporal: memoryOf(pidOf(system, 'temporal')),
    };
    ctx.log(`  ${point.ordersInPicking} in PICKING: worker RSS ${point.worker?.rssMiB} MiB`);
    points.push(point);
  }
  return { points };
}

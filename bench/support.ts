/**
 * Small helpers the scenarios share: bounded concurrency, polling, process memory and CPU, order counts, and the
 * bench's own worker (bench/worker.ts) for the baseline workflow.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestSystem } from '../test/support/system';
import type { ApiResponse } from '../test/support/api';
import { ROOT_DIR } from '../lib/config';
import { providerFor } from '../db/providers';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `work` on every item with at most `limit` at a time; results in input order. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  });
  await Promise.all(runners);
  return results;
}

/** At most `limit` tasks at a time, for work that is queued while other work is going on. */
export class Semaphore {
  private active = 0;
  private waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export interface ProcessMemory {
  rssMiB: number;
  hwmMiB: number;
}

/** VmRSS and VmHWM (peak) of a process in MiB, from /proc (null where /proc is not there). */
export function memoryOf(pid: number | undefined): ProcessMemory | null {
  if (!pid) return null;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: round1(kib('VmRSS') / 1024), hwmMiB: round1(kib('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after "(comm) state"
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
export const round2 = (n: number) => Math.round(n * 100) / 100;

/** Processes the bench started itself (its own Temporal dev server in tuning runs), by name. */
export const ownProcesses: Record<string, number | undefined> = {};

export function pidOf(system: TestSystem, name: string): number | undefined {
  return system.stack.processes.find((p) => p.name === name)?.child.pid ?? ownProcesses[name];
}

/** The processes whose CPU the bench follows. */
export const PROCESS_NAMES = ['temporal', 'worker', 'api', 'carrier', 'maildev'] as const;

/**
 * CPU seconds of this machine's PostgreSQL server: every `postgres` process (the postmaster and its backends), with
 * the CPU of the children each has reaped (backends that ended). Null when no PostgreSQL runs here.
 */
function postgresCpuSeconds(): number | null {
  let total: number | null = null;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime: fields 14 to 17 of the line, 12 to 15 after "(comm) state"
    total = (total ?? 0) + (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
  }
  return total;
}

/**
 * CPU seconds per process (and the bench itself) between `start()` and the returned function's call; on PostgreSQL
 * also the database server's (`postgresql`).
 */
export function cpuMeter(system: TestSystem, names: readonly string[] = PROCESS_NAMES): () => Record<string, number> {
  const postgres = providerFor(system.stack.config.databaseUrl) === 'postgresql';
  const read = () => {
    const out: Record<string, number> = {};
    for (const name of names) out[name] = cpuSecondsOf(pidOf(system, name)) ?? 0;
    if (postgres) out.postgresql = postgresCpuSeconds() ?? 0;
    const own = process.cpuUsage();
    out.bench = (own.user + own.system) / 1e6;
    return out;
  };
  const before = read();
  return () => {
    const after = read();
    return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, round1(v - (before[k] ?? 0))]));
  };
}

/** SQL statements one process ran so far, by kind (bench/statements-preload.cjs). */
export interface StatementCounts {
  total: number;
  select: number;
  insert: number;
  update: number;
  delete: number;
  transaction: number;
  other: number;
}

const STATEMENT_KINDS = ['total', 'select', 'insert', 'update', 'delete', 'transaction', 'other'] as const;

/** The running totals of every worker and API process in `dir`, summed per role. */
function readStatements(dir: string): Record<'worker' | 'api', StatementCounts> {
  const zero = (): StatementCounts => ({
    total: 0,
    select: 0,
    insert: 0,
    update: 0,
    delete: 0,
    transaction: 0,
    other: 0,
  });
  const sums = { worker: zero(), api: zero() };
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const counts = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as StatementCounts & { role: string };
    if (counts.role !== 'worker' && counts.role !== 'api') continue;
    for (const kind of STATEMENT_KINDS) sums[counts.role][kind] += counts[kind];
  }
  return sums;
}

/**
 * SQL statements the worker and the API ran between the call and the returned function's, divided by `per` (the
 * orders of the scenario). The preload writes its totals every 500 ms, so both reads wait that long first.
 */
export async function statementMeter(dir: string) {
  await sleep(600);
  const before = readStatements(dir);
  return async (per: number) => {
    await sleep(600);
    const after = readStatements(dir);
    const perOrder = (role: 'worker' | 'api') =>
      Object.fromEntries(
        STATEMENT_KINDS.map((kind) => [kind, round1((after[role][kind] - before[role][kind]) / per)]),
      ) as unknown as StatementCounts;
    const worker = perOrder('worker');
    const api = perOrder('api');
    return { worker, api, total: round1(worker.total + api.total) };
  };
}

/** Samples worker and API memory every 250 ms until stopped; returns the peaks of VmRSS seen. */
export function memorySampler(system: TestSystem): () => { workerPeakRssMiB: number; apiPeakRssMiB: number } {
  let worker = 0;
  let api = 0;
  const sample = () => {
    worker = Math.max(worker, memoryOf(pidOf(system, 'worker'))?.rssMiB ?? 0);
    api = Math.max(api, memoryOf(pidOf(system, 'api'))?.rssMiB ?? 0);
  };
  sample();
  const timer = setInterval(sample, 250);
  return () => {
    clearInterval(timer);
    sample();
    return { workerPeakRssMiB: worker, apiPeakRssMiB: api };
  };
}

/** Order counts by status for orders whose externalId starts with `prefix`. */
export async function statusCounts(system: TestSystem, prefix: string): Promise<Record<string, number>> {
  const rows = await system.db.order.groupBy({
    by: ['status'],
    where: { externalId: { startsWith: prefix } },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}

export const sum = (counts: Record<string, number>, statuses?: string[]) =>
  Object.entries(counts)
    .filter(([status]) => !statuses || statuses.includes(status))
    .reduce((total, [, n]) => total + n, 0);

/**
 * One API call's answer, timed on the client: the body typed `Body` as the caller expects it (as `system.api`), or,
 * when no answer came (connection refused or reset), status 0 and the error. Check the status before the body.
 */
export type TimedResponse<Body> = { ms: number } & (ApiResponse<Body> | { status: 0; body: { error: string } });

/** One HTTP call to the API, timed on the client. */
export async function timedApi<Body = unknown>(
  system: TestSystem,
  method: string,
  route: string,
  body?: unknown,
): Promise<TimedResponse<Body>> {
  const started = performance.now();
  try {
    const response = await system.api<Body>(method, route, body);
    return { ...response, ms: performance.now() - started };
  } catch (err) {
    return { status: 0, body: { error: String(err) }, ms: performance.now() - started };
  }
}

/** The bench worker's task queue: the baseline workflow runs there, not on the stack's (production) one. */
export const BENCH_TASK_QUEUE = 'shop-oms-bench';

/** How far apart the local carrier's tracking events come in the bench, and the baseline child's outside signals. */
export const BENCH_CARRIER_STEP_MS = 50;
/** What bench/worker.ts prints once it polls. */
export const BENCH_READY = 'bench worker polling task queue';

export interface BenchWorker {
  /** Rejects if the process exits before `stop()`, so a run waiting on its workflows fails instead of hanging. */
  failed: Promise<never>;
  stop(): Promise<void>;
}

/**
 * Starts bench/worker.ts as its own process, with the environment the stack's worker has (addresses, payload keys,
 * tuning); resolves once it polls. Its CPU counts as `benchWorker` in cpuMeter while it runs.
 */
export async function startBenchWorker(system: TestSystem): Promise<BenchWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'bench', 'worker.ts')], {
    cwd: ROOT_DIR,
    env: system.stack.appEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping = false;
  const failed = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => {
      if (!stopping)
        reject(new Error(`the bench worker exited (${signal ?? `code ${code}`}):\n${output.slice(-4000)}`));
    }),
  );
  failed.catch(() => undefined);
  const stop = async () => {
    stopping = true;
    if (ownProcesses.benchWorker === child.pid) delete ownProcesses.benchWorker;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      failed,
      new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`the bench worker did not start within 120 s:\n${output}`)), 120_000);
        child.stdout.on('data', () => {
          if (output.includes(BENCH_READY)) resolve();
        });
      }),
    ]);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  ownProcesses.benchWorker = child.pid;
  return { failed, stop };
}

/**
 * `npm run bench`: the whole stack (startTestSystem: Temporal dev server, MailDev, carrier, worker, API as separate
 * processes) once per database, the scenarios on it, a JSON result file, and docs/benchmarks.md regenerated from
 * the results under docs/benchmarks/. See docs/benchmarks.md for what each scenario measures.
 *
 *   npm run bench -- --quick --db sqlite          smoke run (about a minute or two per database)
 *   npm run bench -- --label tuned --env OMS_WORKER_ACTIVITY_TASKS=200
 *   npm run bench -- --report                      only regenerate docs/benchmarks.md
 *   npm run bench -- --profile --only lifecycle    CPU profiles of the worker and the API, summarised in the result
 *   npm run bench -- --only console --console-orders 20000   the staff console's first screen over that many orders
 *   npm run bench -- --only import --import-rows 100000      a product CSV import with the health check alongside
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestSystem, type TestSystem } from '../test/support/system';
import { canReachPostgres, createTestDatabase, dropTestDatabase } from '../test/support/postgres';
import { ROOT_DIR } from '../lib/config';
import {
  burstScenario,
  hotSkuScenario,
  intakeScenario,
  lifecycleScenario,
  openScenario,
  staffScenario,
  type BenchContext,
} from './scenarios';
import { consoleScenario } from './console';
import { pricingScenario } from './pricing';
import { importEnv, importScenario } from './imports';
import { RESULTS_DIR, writeReport } from './report';
import type {
  BenchOptions,
  BenchResult,
  Check,
  BenchRun,
  Machine,
  ScenarioName,
  ScenarioResults,
  ScenarioSections,
} from './result';

export type { BenchOptions };
import { startOwnTemporal, type OwnTemporal } from './temporal-server';
import { BENCH_CARRIER_STEP_MS, ownProcesses } from './support';
import { summariseProfile, type ProfileSummary } from './profile';

const SCENARIOS = [
  'lifecycle',
  'staff',
  'open',
  'burst',
  'intake',
  'hot',
  'console',
  'import',
  'pricing',
] as const satisfies ScenarioName[];
type Scenario = (typeof SCENARIOS)[number];

function parseArgs(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const options: BenchOptions = {
    quick,
    databases: ['sqlite', 'postgresql'],
    orders: quick ? 20 : 500,
    concurrency: 20,
    burst: quick ? 200 : 5_000,
    burstConcurrency: 100,
    hot: quick ? 100 : 1_000,
    hotStock: quick ? 10 : 100,
    open: quick ? [100] : [1_000, 5_000],
    rates: quick ? [20, 50] : [50, 100, 200],
    pausedRate: quick ? 20 : 100,
    durationS: quick ? 3 : 30,
    connections: 20,
    staff: quick ? 10 : 50,
    consoleOrders: quick ? 1_000 : 10_000,
    importRows: quick ? 2_000 : 100_000,
    only: [...SCENARIOS],
    label: quick ? 'quick' : 'full',
    env: {},
    temporalPragmas: [],
    out: undefined,
    docs: !quick,
    profile: false,
    reportOnly: false,
  };
  const numbers = (text: string) => text.split(',').map((s) => Number(s.trim()));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--quick':
        break;
      case '--db': {
        const v = value();
        options.databases = v === 'both' ? ['sqlite', 'postgresql'] : [v as 'sqlite' | 'postgresql'];
        if (!['sqlite', 'postgresql', 'both'].includes(v)) throw new Error('--db: sqlite, postgresql or both');
        break;
      }
      case '--orders':
        options.orders = Number(value());
        break;
      case '--concurrency':
        options.concurrency = Number(value());
        break;
      case '--burst':
        options.burst = Number(value());
        break;
      case '--burst-concurrency':
        options.burstConcurrency = Number(value());
        break;
      case '--hot':
        options.hot = Number(value());
        break;
      case '--hot-stock':
        options.hotStock = Number(value());
        break;
      case '--open':
        options.open = numbers(value());
        break;
      case '--rates':
        options.rates = numbers(value());
        break;
      case '--paused-rate':
        options.pausedRate = Number(value());
        break;
      case '--duration':
        options.durationS = Number(value());
        break;
      case '--connections':
        options.connections = Number(value());
        break;
      case '--staff':
        options.staff = Number(value());
        break;
      case '--console-orders':
        options.consoleOrders = Number(value());
        break;
      case '--import-rows':
        options.importRows = Number(value());
        break;
      case '--only':
        options.only = value()
          .split(',')
          .map((s) => s.trim() as Scenario);
        for (const s of options.only) if (!SCENARIOS.includes(s)) throw new Error(`--only: unknown scenario ${s}`);
        break;
      case '--label':
        options.label = value();
        break;
      case '--env': {
        const v = value();
        const eq = v.indexOf('=');
        if (eq < 1) throw new Error(`--env: expected KEY=VALUE, got ${v}`);
        options.env[v.slice(0, eq)] = v.slice(eq + 1);
        break;
      }
      case '--temporal-pragma':
        options.temporalPragmas.push(value());
        break;
      case '--out':
        options.out = value();
        break;
      case '--no-docs':
        options.docs = false;
        break;
      case '--report':
        options.reportOnly = true;
        break;
      case '--profile':
        options.profile = true;
        break;
      default:
        throw new Error(`unknown option ${arg} (see bench/run.ts)`);
    }
  }
  return options;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT_DIR, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function machine(): Machine {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

async function runOnDatabase(
  database: 'sqlite' | 'postgresql',
  options: BenchOptions,
  log: (line: string) => void,
): Promise<BenchRun> {
  const started = Date.now();
  const checks: Check[] = [];
  const scenarios: ScenarioResults = {};
  const errors: Record<string, string> = {};
  let databaseUrl: string | undefined;
  let system: TestSystem | undefined;
  let temporal: OwnTemporal | undefined;
  const profileDir = options.profile ? fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-profile-')) : undefined;
  const loopDir = options.only.includes('import')
    ? fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-loop-'))
    : undefined;
  const statementsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-statements-'));
  try {
    if (database === 'postgresql') databaseUrl = await createTestDatabase('bench');
    if (options.temporalPragmas.length) {
      temporal = await startOwnTemporal(options.temporalPragmas);
      ownProcesses.temporal = temporal.child.pid;
    }
    system = await startTestSystem({
      databaseUrl,
      env: {
        OMS_AFTER_SALES_WINDOW: '0s',
        LOCAL_CARRIER_STEP: `${BENCH_CARRIER_STEP_MS}ms`,
        // The benchmarks post thousands of orders a minute with one key: the intake limit (3000/1m) must not throttle.
        OMS_INTAKE_RATE_LIMIT: '10000000/1m',
        ...(temporal ? { TEMPORAL_ADDRESS: temporal.address } : {}),
        ...preloadEnv(profileDir, loopDir, statementsDir),
        ...(loopDir ? importEnv(options.importRows, loopDir) : {}),
        ...options.env,
      },
    });
    const ctx: BenchContext = {
      system,
      runId: crypto.randomBytes(3).toString('hex'),
      quick: options.quick,
      checks,
      log,
      statementsDir,
    };
    const run = async <K extends Scenario>(name: K, work: () => Promise<ScenarioSections[K]>) => {
      if (!options.only.includes(name)) return;
      log(`[${database}] ${name}`);
      const t0 = Date.now();
      try {
        const section = { ...(await work()), scenarioSeconds: Math.round((Date.now() - t0) / 100) / 10 };
        // What `work` returns is checked against `name` at each call; TypeScript cannot follow a generic key into
        // the assignment (it asks for a value that would fit every scenario at once).
        scenarios[name] = section as ScenarioResults[K];
      } catch (err) {
        errors[name] = (err as Error).stack ?? String(err);
        checks.push({ name: `${name}: ran to the end`, ok: false, detail: (err as Error).message });
        log(`  FAIL ${name}: ${(err as Error).message}`);
      }
    };
    // Order matters: open runs first of the load scenarios (its levels start from almost no open orders), and hot SKU
    // after the others: its backordered orders stay, and the API's backorder sweep (every 15 s) works on them from
    // then on. The console comes last: it writes thousands of orders (PICKING among them, with no workflows) that
    // would count in the open scenario's levels.
    await run('lifecycle', () => lifecycleScenario(ctx, { orders: options.orders, concurrency: options.concurrency }));
    await run('staff', () => staffScenario(ctx, { orders: options.staff }));
    await run('open', () => openScenario(ctx, { levels: options.open }));
    await run('burst', () => burstScenario(ctx, { orders: options.burst, concurrency: options.burstConcurrency }));
    await run('intake', () =>
      intakeScenario(ctx, {
        rates: options.rates,
        durationS: options.durationS,
        connections: options.connections,
        holdP99Ms: 100,
        pausedRate: options.pausedRate,
      }),
    );
    await run('hot', () => hotSkuScenario(ctx, { orders: options.hot, stock: options.hotStock }));
    // Its promotions end with it, before the console's and the import's orders and products.
    await run('pricing', () =>
      pricingScenario(ctx, { iterations: options.quick ? 200 : 2_000, quotes: options.quick ? 20 : 200 }),
    );
    await run('console', () => consoleScenario(ctx, { orders: options.consoleOrders }));
    // Last: its 100,000 products would be in the console's and the other scenarios' way.
    if (loopDir)
      await run('import', () =>
        importScenario(ctx, { rows: options.importRows, loopDir, quietSeconds: options.quick ? 1 : 5 }),
      );
  } finally {
    await system?.stop().catch((err) => log(`stopping the stack: ${String(err)}`));
    await temporal?.stop().catch(() => undefined);
    if (databaseUrl) await dropTestDatabase(databaseUrl).catch(() => undefined);
    if (loopDir) fs.rmSync(loopDir, { recursive: true, force: true });
    fs.rmSync(statementsDir, { recursive: true, force: true });
  }
  const profiles = profileDir ? collectProfiles(profileDir, log) : undefined;
  return { database, seconds: Math.round((Date.now() - started) / 1000), scenarios, errors, checks, profiles };
}

/**
 * The bench's modules preloaded into the stack's processes through NODE_OPTIONS: the SQL statement counter (always),
 * the CPU profiler (`--cpu-prof` is refused there, so a preloaded module profiles through the inspector instead) and
 * the event-loop monitor.
 */
function preloadEnv(
  profileDir: string | undefined,
  loopDir: string | undefined,
  statementsDir: string,
): Record<string, string> {
  const preloads = [
    'statements-preload.cjs',
    ...(profileDir ? ['profile-preload.cjs'] : []),
    ...(loopDir ? ['loop-preload.cjs'] : []),
  ];
  const requires = preloads.map((file) => `--require ${JSON.stringify(path.join(ROOT_DIR, 'bench', file))}`);
  return {
    NODE_OPTIONS: [process.env.NODE_OPTIONS ?? '', ...requires].join(' ').trim(),
    OMS_BENCH_STATEMENTS_DIR: statementsDir,
    ...(profileDir ? { OMS_BENCH_PROFILE_DIR: profileDir } : {}),
  };
}

/** One summary per profiled process (worker, api), from the files written when the stack stopped. */
function collectProfiles(dir: string, log: (line: string) => void): Record<string, ProfileSummary> {
  const summaries: Record<string, ProfileSummary> = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const role = file.replace(/\.cpuprofile$/, '');
    summaries[role] = summariseProfile(path.join(dir, file));
    log(`  profile ${role}: ${summaries[role].busySeconds} s busy, ${dir}/${file}`);
  }
  if (!Object.keys(summaries).length) log(`  no profiles in ${dir} (a process was killed before it could write one)`);
  return summaries;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.reportOnly) {
    console.log(`wrote ${await writeReport()}`);
    return;
  }
  const log = (line: string) => console.log(line);
  const started = new Date();
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain']) !== '';
  // Each run names its database; --report does not run anything.
  const { databases: _databases, reportOnly: _reportOnly, ...settings } = options;
  const result: BenchResult = {
    label: options.label,
    date: started.toISOString(),
    commit: `${commit}${dirty ? '-dirty' : ''}`,
    machine: machine(),
    options: settings,
    env: options.env,
    temporalPragmas: options.temporalPragmas,
    runs: [],
    skipped: [],
    seconds: 0,
  };
  for (const database of options.databases) {
    if (database === 'postgresql' && !(await canReachPostgres())) {
      if (process.env.CI === 'true') throw new Error('PostgreSQL is not reachable, and CI=true requires it');
      const line = 'PostgreSQL not reachable (TEST_POSTGRES_URL): its benchmark is skipped';
      console.log(line);
      result.skipped.push(line);
      continue;
    }
    result.runs.push(await runOnDatabase(database, options, log));
  }
  result.seconds = Math.round((Date.now() - started.getTime()) / 1000);
  const out =
    options.out ??
    path.join(
      options.quick ? path.join(ROOT_DIR, 'bench', 'results') : RESULTS_DIR,
      `${started.toISOString().slice(0, 16).replace(/[:T]/g, '-')}-${options.label.replace(/[^\w.-]+/g, '_')}.json`,
    );
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${out} (${result.seconds} s)`);
  if (options.docs && !options.out) console.log(`wrote ${await writeReport()}`);
  const failed = result.runs.flatMap((r) => r.checks.filter((c) => !c.ok).map((c) => `${r.database}: ${c.name}`));
  if (failed.length) {
    console.error(`failed checks:\n  ${failed.join('\n  ')}`);
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

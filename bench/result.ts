/**
 * The result file of one `npm run bench` (docs/benchmarks/*.json; bench/results/*.json for --quick): what
 * bench/run.ts writes and bench/report.ts reads back. The scenarios (bench/scenarios.ts) return their sections as
 * typed here, so the writer and the reader share one definition. Result files are kept: a field that older files
 * under docs/benchmarks/ lack is optional here, and readers treat it as missing.
 */
import type { Summary } from './stats';
import type { ProfileSummary } from './profile';
import type { ProcessMemory, StatementCounts } from './support';
import type { BenchBaselineInput } from './workflows/baseline';

/** `T` with the properties `K` optional. */
type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** CPU seconds per process (cpuMeter in bench/support.ts), `bench` for the bench itself. */
export type CpuSeconds = Record<string, number>;
/** Order counts by status. */
export type StatusCounts = Record<string, number>;

export interface BenchResult {
  label: string;
  /** ISO 8601, when the run started. */
  date: string;
  /** Short commit hash, `-dirty` when the working tree had changes. */
  commit: string;
  machine: Machine;
  options: BenchResultOptions;
  /** The --env settings given to the stack. */
  env: Record<string, string>;
  /** --temporal-pragma: SQLite pragmas for the bench's own Temporal dev server. */
  temporalPragmas: string[];
  /** One per database benchmarked. */
  runs: BenchRun[];
  /** Why a database was not benchmarked (PostgreSQL not reachable). */
  skipped: string[];
  seconds: number;
}

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
}

/**
 * The command line's options, less the databases (each run names its own) and --report. `out` is there only when
 * --out was given; older files lack --paused-rate and --profile.
 */
export type BenchResultOptions = Optional<
  Omit<BenchOptions, 'databases' | 'reportOnly'>,
  'out' | 'pausedRate' | 'profile' | 'consoleOrders' | 'importRows'
>;

/** The scenarios on one database. */
export interface BenchRun {
  database: 'sqlite' | 'postgresql';
  seconds: number;
  /** Each scenario that ran to the end (--only picks them). */
  scenarios: ScenarioResults;
  /** The stack trace of each scenario that failed, by scenario. */
  errors: Record<string, string>;
  checks: Check[];
  /** With --profile: a summary of each profiled process's CPU profile, by process. */
  profiles?: Record<string, ProfileSummary>;
}

/** What each scenario returns (bench/scenarios.ts). */
export interface ScenarioSections {
  lifecycle: LifecycleResult;
  staff: StaffResult;
  open: OpenResult;
  burst: BurstResult;
  intake: IntakeResult;
  hot: HotSkuResult;
  console: ConsoleResult;
  import: ImportResult;
  pricing: PricingResult;
}

export type ScenarioName = keyof ScenarioSections;

/** Each scenario's section, with the seconds the scenario took (bench/run.ts adds them). */
export type ScenarioResults = { [K in ScenarioName]?: ScenarioSections[K] & { scenarioSeconds: number } };

// ---- 1. lifecycle ---------------------------------------------------------------------------------------------

export interface LifecycleResult {
  orders: number;
  concurrency: number;
  postErrors: number;
  pickRetries: number;
  statuses: StatusCounts;
  wallSeconds: number;
  completedPerSecond: number;
  latencyMs: Summary;
  cpuSeconds: CpuSeconds;
  /** SQL statements per completed order, worker and API (bench/statements-preload.cjs); absent in older runs. */
  statementsPerOrder?: { worker: StatementCounts; api: StatementCounts; total: number };
  /** The history of one order; files from before local activities lack their counts. */
  history: Optional<HistoryShape, 'localActivities' | 'childLocalActivities'>;
  baseline: { input: BenchBaselineInput } & BaselineResult;
  /** Orders per second over baseline workflows per second. */
  ratio: number;
}

export interface BaselineResult {
  /** One baseline workflow's history and its child's, to set beside the order's; absent in older files. */
  history?: HistoryShape;
  workflows: number;
  wallSeconds: number;
  completedPerSecond: number;
  latencyMs: Summary;
  cpuSeconds: CpuSeconds;
}

// ---- 2. intake ------------------------------------------------------------------------------------------------

export interface IntakeResult {
  connections: number;
  holdP99Ms: number;
  steps: IntakeStep[];
  /** The highest rate held with p99 under holdP99Ms, no errors and 95 % of the rate achieved; null: none. */
  highestRateHeld: number | null;
  /** The step with the worker stopped (null with --paused-rate 0; files from before it lack it). */
  workerPaused?: IntakeStep | null;
}

export interface IntakeStep {
  rate: number;
  /** Files from before the paused step lack it (their steps all ran with the worker running). */
  workerPaused?: boolean;
  durationS: number;
  requests: number;
  achievedPerSecond: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  cpuSeconds: CpuSeconds;
  /** Seconds until the step's orders reached PICKING; null when they did not in time. */
  settleSeconds: number | null;
}

// ---- 3. staff -------------------------------------------------------------------------------------------------

export interface StaffResult {
  orders: number;
  approveMs: Summary;
  approveErrors: number;
  pickMs: Summary;
  pickErrors: number;
}

// ---- 4. hot SKU -----------------------------------------------------------------------------------------------

export interface HotSkuResult {
  orders: number;
  stock: number;
  accepted: number;
  postSeconds: number;
  /** null when the orders did not settle in time. */
  settleSeconds: number | null;
  statuses: StatusCounts;
  reserved: number;
  onHand: number;
  levels: { location?: string; onHand: number; reserved: number }[];
  ledgerConsistent: boolean;
}

// ---- 5. burst -------------------------------------------------------------------------------------------------

export interface BurstResult {
  orders: number;
  concurrency: number;
  sent: number;
  accepted: number;
  serverErrors: number;
  /** Responses by HTTP status (0: no answer). */
  statusCodes: Record<string, number>;
  ordersInDatabase: number;
  postSeconds: number;
  postedPerSecond: number;
  postLatencyMs: Summary;
  /** null when that did not happen in time. */
  allLeftReceivedSeconds: number | null;
  allPickingSeconds: number | null;
  statuses: StatusCounts;
  workerPeakRssMiB: number;
  apiPeakRssMiB: number;
  workerHwmMiB: number | null;
  apiHwmMiB: number | null;
  cpuSeconds: CpuSeconds;
}

// ---- 6. open workflows ----------------------------------------------------------------------------------------

export interface OpenResult {
  points: OpenPoint[];
}

export interface OpenPoint {
  level: number;
  ordersInPicking: number;
  openOrders: number;
  /** null where the process or /proc was not there. */
  worker: ProcessMemory | null;
  api: ProcessMemory | null;
  temporal: ProcessMemory | null;
}

// ---- 7. staff console ----------------------------------------------------------------------------------------

export interface ConsoleResult {
  /** Orders the scenario wrote into the database (bench/console.ts seedOrders). */
  orders: number;
  /** All orders in the database when measured (the seeded ones, the demo shop's and earlier scenarios'). */
  ordersInDatabase: number;
  seedSeconds: number;
  seededStatuses: StatusCounts;
  seededLines: number;
  /** The open warnings seeded with them. */
  openWarnings: { delay: number; exception: number; lowStock: number };
  /** The machine's load average (1, 5, 15 min) as the browser loads began: others' work shares the cores. */
  loadAverage: number[];
  /** Fresh pages measured per series (after one warm-up load each). */
  loads: number;
  /** The goal for the first screen (Today, settled). */
  goalMs: number;
  /** page.goto('/') until Today shows no "…" (its figures are in), browser cache warm, ms. */
  todayMs: Summary;
  /** The same with the browser's cache disabled (the JS and CSS fetched again, as on a first visit). */
  todayNoCacheMs: Summary;
  /** page.goto('/orders') until the first page's rows are shown, ms. */
  ordersListMs: Summary;
  /** The requests of the Today loads (Resource Timing), p50 over the loads, by when they finished. */
  todayRequests: ConsoleRequestTiming[];
  todayNoCacheRequests: ConsoleRequestTiming[];
  /** The API routes behind the two screens, called by the bench one at a time (client-side ms). */
  api: { calls: number; summaryMs: Summary; listMs: Summary };
  assets: ConsoleAssets;
  /** Script errors in the console's pages (checked: none). */
  pageErrors: number;
}

export interface ConsoleRequestTiming {
  /** `document`, `JS`, `CSS` or an API path without its query. */
  request: string;
  /** How many loads had it (done before the screen settled or shortly after). */
  loads: number;
  /** ms from the navigation's start. */
  startMs: number;
  durationMs: number;
  endMs: number;
}

/** The console's JS and CSS in its build's assets/, bytes: raw (what the API sends) and gzipped. */
export interface ConsoleAssets {
  /** The build measured (OMS_CONSOLE_DIR, console/dist unless set; relative to the repository when inside it). */
  dir: string;
  /** When its index.html was written (ISO 8601). */
  builtAt: string;
  /** The asset files, by name (their hashes name the build). */
  names: string[];
  files: number;
  rawBytes: number;
  gzipBytes: number;
  js: { raw: number; gzip: number };
  css: { raw: number; gzip: number };
}

// ---- 8. CSV import ---------------------------------------------------------------------------------------------

export interface ImportResult {
  /** Product rows in the file (four sizes per product). */
  rows: number;
  megabytes: number;
  /** The import's HTTP status and (the start of) its answer. */
  status: number;
  answer: string;
  /** From sending the file until the answer, on the bench's side. */
  importSeconds: number;
  variantsInDatabase: number;
  /** GET /api/health was sent this often during the import, on a fixed schedule. */
  healthEveryMs: number;
  /** Its latency, ms, from when each request was due. */
  health: Summary;
  /** Health answers other than 200 (0: no answer). */
  healthNot200: number;
  /** The API's event loop during the import (bench/loop-preload.cjs); null when the preload was not in the API. */
  apiLoop: LoopStats | null;
  /** What the issue asks of the longest block, ms. */
  goalMs: number;
  /** The same probes for a few seconds just before, without an import: the machine's own noise. */
  quiet: { seconds: number; health: Summary; apiLoop: LoopStats | null };
  apiCpuSeconds: number;
  apiPeakRssMiB: number;
}

/** perf_hooks.monitorEventLoopDelay in one process between two asks: the intervals of its 10 ms timer, ms. */
export interface LoopStats {
  pid: number;
  /** Epoch ms of the window's start and end. */
  from: number;
  to: number;
  resolutionMs: number;
  samples: number;
  /** The longest interval between two runs of the timer: the longest time the loop was held, plus up to 10 ms. */
  maxMs: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

/** What `npm run bench` was asked to do (bench/run.ts parses it from the command line). */
export interface BenchOptions {
  quick: boolean;
  databases: ('sqlite' | 'postgresql')[];
  orders: number;
  concurrency: number;
  burst: number;
  burstConcurrency: number;
  hot: number;
  hotStock: number;
  open: number[];
  rates: number[];
  /** One more intake step at this rate with the worker stopped (0: none). */
  pausedRate: number;
  durationS: number;
  connections: number;
  staff: number;
  /** Orders written into the database for the console scenario. */
  consoleOrders: number;
  /** Product rows in the import scenario's CSV file. */
  importRows: number;
  only: ScenarioName[];
  label: string;
  env: Record<string, string>;
  /** SQLite pragmas for the embedded Temporal dev server (the bench then starts that server itself). */
  temporalPragmas: string[];
  out: string | undefined;
  docs: boolean;
  /** CPU-profile the worker and the API (bench/profile-preload.cjs) and keep a summary in the result. */
  profile: boolean;
  reportOnly: boolean;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface HistoryShape {
  /** Ordinary activities plus local ones (markers), in the order's history. */
  activities: number;
  localActivities: number;
  timers: number;
  timersFired: number;
  updates: number;
  signals: number;
  children: number;
  childActivities: number;
  childLocalActivities: number;
  childTimers: number;
  events: number;
  childEvents: number;
  /** Per workflow, the order's and its first shipment's; absent in files from before the faithful baseline. */
  parent?: WorkflowShape;
  child?: WorkflowShape;
}

/** What one workflow's history holds. */
export interface WorkflowShape {
  /** Ordinary activities plus local ones (markers). */
  activities: number;
  localActivities: number;
  timers: number;
  timersFired: number;
  updates: number;
  signalsReceived: number;
  signalsSent: number;
  upserts: number;
  children: number;
  workflowTasks: number;
  events: number;
}

// ---- 9. pricing ------------------------------------------------------------------------------------------------

export interface PricingResult {
  lines: number;
  promotions: number;
  iterations: number;
  /** The engine in process, per basket, in microseconds. */
  engineUs: Summary;
  /** POST /api/pricing/quote, milliseconds. */
  quoteMs: Summary;
  goalMs: number;
}

/**
 * Starts and stops the whole single-machine system: the embedded Temporal dev server and MailDev
 * (unless TEMPORAL_ADDRESS / SMTP_URL point elsewhere), migrations and demo data, the local carrier
 * service, the worker and the API, each as its own process. `npm start` and the end-to-end tests
 * both use it, so what the tests exercise is what a shop runs.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { loadConfig, ROOT_DIR, type Config } from '../lib/config';
import { generatePayloadKeys } from '../lib/payload-keys';
import { createDb } from '../db/client';
import { migrate } from '../db/migrate';
import { seedDemoShop } from '../db/seed';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../workflows/definitions';
import { ensureTemporalCli } from './temporal-cli';
import { PRIVATE_FILE_MODE, privateDir, privateFile, tightenTree } from '../lib/private-files';

export interface StackOptions {
  /** Environment for every process (configuration, see docs/configuration.md); defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Load the demo shop into an empty database. */
  demoData?: boolean;
  /** `'console'` prefixes each process's output on stdout; anything else is a folder for one log file per process. */
  logs?: string;
  log?: (line: string) => void;
  /** Aborting stops whatever has started (e.g. Ctrl-C during start-up). */
  signal?: AbortSignal;
  /**
   * Run the migrations, the carrier, the worker and the API from the compiled JavaScript under dist/ (`npm run
   * build`), the way the Docker image does, instead of the TypeScript through tsx. For checking the build.
   */
  compiled?: boolean;
  /** Launch into this group (a cluster's, which already runs its Temporal server) instead of a new one. */
  group?: ProcessGroup;
  /**
   * Several workers and API processes (a cluster, scripts/cluster.ts): the APIs listen on these ports and a balancer
   * (scripts/balancer.ts) on PORT spreads connections over them. Unset: one worker, one API on PORT.
   */
  replicas?: { workers: number; apiPorts: number[] };
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
  /** Kills the process at once (as a crash would), on purpose: not an unexpected exit. */
  kill(): Promise<void>;
  /** Kills the process at once (as a crash would) and starts it again with the same command. */
  crashAndRestart(): Promise<ManagedProcess>;
  /** Starts the same command again once this process has exited (stopped, or died on its own). */
  relaunch(): ManagedProcess;
}

export interface Stack {
  config: Config;
  /** What every process gets (no payload keys). */
  env: Record<string, string | undefined>;
  /** What the worker and the API get: `env` and the payload keys. */
  appEnv: Record<string, string | undefined>;
  /** The embedded MailDev's web user and password (HTTP basic auth on its UI and JSON API); none for an SMTP relay. */
  mailWebAuth?: { user: string; pass: string };
  processes: ManagedProcess[];
  /** Resolves with the process that exited while the stack was running. */
  unexpectedExit: Promise<ManagedProcess>;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 15_000;
const TSX = ['--import', 'tsx'];

/** Node's arguments for one of the processes' entry points: `worker/main.ts` through tsx, or its dist/ build. */
function entryArgs(entry: string, compiled: boolean | undefined): string[] {
  return compiled ? [path.join('dist', entry.replace(/\.ts$/, '.js'))] : [...TSX, entry];
}

function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = async () => {
      try {
        const value = await probe();
        if (value !== undefined) return resolve(value);
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) return reject(new Error(`${what} did not come up within ${timeoutMs / 1000}s`));
      setTimeout(() => void attempt(), 250);
    };
    void attempt();
  });
}

export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function httpOk(url: string): Promise<true | undefined> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return response.ok ? true : undefined;
}

/**
 * WAL for the dev server's SQLite file: its default rollback journal syncs a journal file on every write, which
 * about halved throughput (docs/benchmarks.md). NORMAL survives a process crash; a power cut may lose the last writes.
 */
export const DEV_SERVER_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

/** `temporal server start-dev` arguments for the embedded server (the bench passes other pragmas to compare). */
export function devServerArgs(options: {
  port: number;
  uiPort: number;
  dbFile: string;
  namespace: string;
  pragmas?: string[];
  /** The API's codec endpoint, so the Web UI can show managers decrypted payloads. */
  codecEndpoint?: string;
}): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    options.dbFile,
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    ...(options.pragmas ?? DEV_SERVER_PRAGMAS).flatMap((pragma) => ['--sqlite-pragma', pragma]),
    ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
    ...Object.entries(CUSTOM_SEARCH_ATTRIBUTES).flatMap(([key, type]) => ['--search-attribute', `${key}=${type}`]),
  ];
}

/**
 * Without OMS_PAYLOAD_KEYS, one payload key is generated on first start and kept (0600) in the data folder, so later
 * starts still decrypt the histories written under it.
 */
function embeddedPayloadKeys(dataDir: string): string {
  const file = path.join(dataDir, 'payload-keys');
  if (!fs.existsSync(file)) fs.writeFileSync(file, `${generatePayloadKeys('local-1')}\n`, { mode: 0o600, flag: 'wx' });
  return fs.readFileSync(file, 'utf8').trim();
}

/**
 * A secret for this installation only, made on first start and kept (0600) in the data folder, like the payload keys:
 * the carrier webhooks' HMAC secret, the embedded MailDev's web password.
 */
function installationSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, `${crypto.randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** MailDev's web user: the password is what protects it (data/maildev-web-pass). */
export const MAILDEV_WEB_USER = 'oms';

/** Only the worker and the API get the payload keys: not the Temporal server, MailDev or the carrier. */
const PAYLOAD_KEY_SETTINGS = ['OMS_PAYLOAD_KEYS', 'OMS_PAYLOAD_KEY_ID'];

type ProcessEnv = Record<string, string | undefined>;

/** Processes started together and stopped together, last first; each one's output to the console or a log file. */
export interface ProcessGroup {
  launch: (name: string, command: string, args: string[], env: ProcessEnv) => ManagedProcess;
  /** What runs now, in the order started. */
  processes: ManagedProcess[];
  /** Resolves with the process that exited on its own (not stopped, not killed on purpose). */
  unexpectedExit: Promise<ManagedProcess>;
  stop: () => Promise<void>;
}

export function createProcessGroup(options: Pick<StackOptions, 'logs' | 'log'>): ProcessGroup {
  const log = options.log ?? ((line: string) => console.log(line));
  const processes: ManagedProcess[] = [];
  let stopping = false;
  let reportExit: (p: ManagedProcess) => void = () => undefined;
  const unexpectedExit = new Promise<ManagedProcess>((resolve) => (reportExit = resolve));

  const launch = (name: string, command: string, args: string[], processEnv: ProcessEnv): ManagedProcess => {
    const child = spawn(command, args, {
      cwd: ROOT_DIR,
      env: processEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (options.logs === 'console' || options.logs === undefined) {
      for (const stream of [child.stdout, child.stderr]) {
        let partial = '';
        stream.on('data', (chunk: Buffer) => {
          const lines = (partial + chunk.toString()).split('\n');
          partial = lines.pop()!;
          for (const line of lines) if (line.trim()) console.log(`[${name}] ${line}`);
        });
      }
    } else {
      const logFile = path.join(options.logs, `${name}.log`);
      privateDir(options.logs);
      privateFile(logFile);
      const file = fs.createWriteStream(logFile, { flags: 'a', mode: PRIVATE_FILE_MODE });
      child.stdout.pipe(file);
      child.stderr.pipe(file);
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    /** Killed or stopped on purpose: not an unexpected exit. */
    let exitExpected = false;
    const replace = () => {
      const index = processes.indexOf(managed);
      if (index >= 0) processes.splice(index, 1);
      return launch(name, command, args, processEnv);
    };
    const managed: ManagedProcess = {
      name,
      child,
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        exitExpected = true;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      },
      async kill() {
        exitExpected = true;
        child.kill('SIGKILL');
        await exited;
      },
      async crashAndRestart() {
        await managed.kill();
        return replace();
      },
      relaunch() {
        if (child.exitCode === null && child.signalCode === null) throw new Error(`${name} is still running`);
        return replace();
      },
    };
    child.once('exit', (code, signal) => {
      if (!stopping && !exitExpected) {
        log(`${name} exited unexpectedly (${signal ?? `code ${code}`})`);
        reportExit(managed);
      }
    });
    processes.push(managed);
    return managed;
  };

  const stop = async () => {
    stopping = true;
    for (const p of [...processes].reverse()) await p.stop();
  };
  return { launch, processes, unexpectedExit, stop };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const baseEnv = { ...(options.env ?? process.env) };
  if (options.compiled && !fs.existsSync(path.join(ROOT_DIR, 'dist', 'worker', 'main.js')))
    throw new Error('dist/ has no build: run npm run build first');
  let config = loadConfig(baseEnv);
  const log = options.log ?? ((line: string) => console.log(line));
  // Customer data and keys live here: the owner's only (lib/private-files.ts), also what an older version left.
  privateDir(config.dataDir);
  tightenTree(config.dataDir);
  if (!config.payloadKeys) {
    baseEnv.OMS_PAYLOAD_KEYS = embeddedPayloadKeys(config.dataDir);
    config = loadConfig(baseEnv);
  }
  if (!config.carrierWebhookSecret) {
    baseEnv.CARRIER_WEBHOOK_SECRET = installationSecret(config.dataDir, 'carrier-webhook-secret');
    config = loadConfig(baseEnv);
  }
  const mailWebAuth = config.mailEmbedded
    ? { user: MAILDEV_WEB_USER, pass: installationSecret(config.dataDir, 'maildev-web-pass') }
    : undefined;

  // Every child sees the resolved addresses, so all agree on where everything is.
  const env: Record<string, string | undefined> = {
    ...baseEnv,
    PORT: String(config.port),
    OMS_DATA_DIR: config.dataDir,
    DATABASE_URL: config.databaseUrl,
    TEMPORAL_ADDRESS: config.temporalAddress,
    TEMPORAL_NAMESPACE: config.temporalNamespace,
    SMTP_URL: config.smtpUrl,
    CARRIER_LOCAL_URL: config.localCarrierUrl,
    OMS_PUBLIC_URL: config.publicUrl,
    OMS_TEMPORAL_UI_URL: config.temporalUiUrl,
  };
  const appEnv = { ...env };
  for (const name of PAYLOAD_KEY_SETTINGS) delete env[name];

  const group = options.group ?? createProcessGroup(options);
  const { launch, processes, unexpectedExit } = group;
  const stop = group.stop;
  const aborted = new Promise<never>((_, reject) => {
    options.signal?.addEventListener('abort', () => reject(new Error('start-up interrupted')), { once: true });
  });
  aborted.catch(() => undefined);

  try {
    if (config.temporalEmbedded) {
      const port = Number(config.temporalAddress.split(':').pop());
      if (await portInUse(port))
        throw new Error(`Port ${port} is taken: is Shop OMS already running? (set TEMPORAL_PORT to use another)`);
      const cli = ensureTemporalCli(log);
      launch(
        'temporal',
        cli,
        devServerArgs({
          port,
          uiPort: config.temporalUiPort,
          dbFile: path.join(config.dataDir, 'temporal.db'),
          namespace: config.temporalNamespace,
          codecEndpoint: `http://127.0.0.1:${config.port}/api/codec`,
        }),
        env,
      );
    }
    if (mailWebAuth) {
      // Through scripts/maildev.ts (masked log, no foreign origins), set by MailDev's own variables: the password
      // goes into this one process's environment, not onto a command line every user can list.
      privateDir(path.join(config.dataDir, 'maildev'));
      launch('maildev', process.execPath, [...TSX, 'scripts/maildev.ts'], {
        ...env,
        MAILDEV_SMTP_PORT: new URL(config.smtpUrl).port,
        MAILDEV_WEB_PORT: String(config.mailWebPort),
        MAILDEV_IP: '127.0.0.1',
        MAILDEV_WEB_IP: '127.0.0.1',
        MAILDEV_MAIL_DIRECTORY: path.join(config.dataDir, 'maildev'),
        MAILDEV_WEB_USER: mailWebAuth.user,
        MAILDEV_WEB_PASS: mailWebAuth.pass,
      });
    }

    if (options.compiled) {
      // The migration job's command in docker-compose.yml.
      const { stdout } = await promisify(execFile)(process.execPath, entryArgs('scripts/migrate.ts', true), {
        cwd: ROOT_DIR,
        env,
      });
      log(`database: ${stdout.trim()}`);
    } else {
      const applied = await migrate(config.databaseUrl);
      if (applied.length) log(`database: applied ${applied.length} migration(s): ${applied.join(', ')}`);
    }
    if (options.demoData) {
      const db = createDb(config.databaseUrl);
      try {
        if (await seedDemoShop(db)) log('database: loaded the demo shop');
      } finally {
        await db.$disconnect();
      }
    }

    const carrierPort = new URL(config.localCarrierUrl).port;
    launch('carrier', process.execPath, entryArgs('local-carrier/main.ts', options.compiled), env);

    if (config.temporalEmbedded) {
      await Promise.race([
        aborted,
        waitFor('Temporal', 120_000, async () => {
          const connection = await Connection.connect({ address: config.temporalAddress, connectTimeout: 2_000 });
          try {
            await connection.workflowService.describeNamespace({ namespace: config.temporalNamespace });
            return true;
          } finally {
            await connection.close();
          }
        }),
      ]);
    }
    const worker = entryArgs('worker/main.ts', options.compiled);
    const api = entryArgs('api/main.ts', options.compiled);
    const waits: Promise<unknown>[] = [];
    if (options.replicas) {
      const { workers, apiPorts } = options.replicas;
      for (let n = 1; n <= workers; n++) launch(`worker-${n}`, process.execPath, worker, appEnv);
      apiPorts.forEach((port, i) => {
        launch(`api-${i + 1}`, process.execPath, api, { ...appEnv, PORT: String(port) });
        waits.push(waitFor(`API ${i + 1}`, 120_000, () => httpOk(`http://127.0.0.1:${port}/api/health`)));
      });
      launch('balancer', process.execPath, [...TSX, 'scripts/balancer.ts'], {
        ...env,
        BALANCER_TARGETS: apiPorts.map((port) => `127.0.0.1:${port}`).join(','),
      });
    } else {
      launch('worker', process.execPath, worker, appEnv);
      launch('api', process.execPath, api, appEnv);
    }
    waits.push(
      waitFor('the API', 120_000, () => httpOk(`http://127.0.0.1:${config.port}/api/health`)),
      waitFor('the local carrier', 60_000, async () => ((await portInUse(Number(carrierPort))) ? true : undefined)),
    );
    if (config.mailEmbedded)
      waits.push(waitFor('MailDev', 60_000, () => httpOk(`http://127.0.0.1:${config.mailWebPort}/api/healthz`)));
    await Promise.race([
      Promise.all(waits),
      aborted,
      unexpectedExit.then((p) => Promise.reject(new Error(`${p.name} exited during start-up`))),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { config, env, appEnv, mailWebAuth, processes, unexpectedExit, stop };
}

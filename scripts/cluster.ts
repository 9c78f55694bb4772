/**
 * The topology docker-compose.yml describes, as processes on this machine (`npm run cluster`, and the cluster test):
 * the Temporal server (not the dev server) on PostgreSQL with its schema set up by temporal-sql-tool, its Web UI,
 * the app on PostgreSQL, several workers and API processes behind one address, MailDev and the carrier stand-in.
 *
 * Three databases on one PostgreSQL server, named from a prefix: `<prefix>` (the app), `<prefix>_temporal` and
 * `<prefix>_temporal_visibility`. Each is created when missing and brought to its schema's current version, so a
 * second start picks up where the first left off.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { msToTs } from '@temporalio/common/lib/time';
import { loadConfig } from '../lib/config';
import { privateDir } from '../lib/private-files';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../workflows/definitions';
import { createProcessGroup, startStack, type ManagedProcess, type Stack, type StackOptions } from './stack';
import { devAdminKey } from './start';
import { MissingToolError } from './temporal-cli';
import { ensureClusterTools, type ClusterTools } from './temporal-cluster-tools';
import {
  endpointOf,
  TEMPORAL_DYNAMIC_CONFIG,
  temporalServerConfig,
  temporalUiConfig,
  type PostgresEndpoint,
} from './temporal-cluster-config';

export const DEFAULT_CLUSTER_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface ClusterOptions extends Pick<StackOptions, 'demoData' | 'logs' | 'log' | 'signal'> {
  env?: Record<string, string | undefined>;
  /** A role on the PostgreSQL server that may create databases (OMS_CLUSTER_POSTGRES_URL). */
  postgresAdminUrl?: string;
  /** The databases' names start with this (OMS_CLUSTER_DATABASE_PREFIX, shop_oms_cluster). */
  databasePrefix?: string;
  workers?: number;
  apis?: number;
}

export interface Cluster {
  stack: Stack;
  temporalAddress: string;
  temporalUiUrl: string;
  /** The Temporal server's Prometheus metrics. */
  temporalMetricsUrl: string;
  databases: { app: string; temporal: string; visibility: string };
  /** Each API process's own address, behind the balancer. */
  apiUrls: string[];
  /** The running worker and API processes (a crashed and restarted one replaces its entry). */
  processes(prefix: 'worker' | 'api'): ManagedProcess[];
  stop(): Promise<void>;
}

const execFileAsync = promisify(execFile);
/** How long a closed order's history stays in Temporal (the app's database keeps the order itself). */
const RETENTION_MS = 7 * 24 * 3_600_000;

/** A port free right now: any (0), or one in [from, to) when given. */
function freePort(range?: { from: number; to: number }): Promise<number> {
  const candidate = range ? range.from + Math.floor(Math.random() * (range.to - range.from)) : 0;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err) => (range ? resolve(freePort(range)) : reject(err)));
    server.listen(candidate, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Temporal stores membership ports as smallint; above the ephemeral range's usual start is too high. */
const MEMBERSHIP_PORTS = { from: 20_000, to: 32_000 };

function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  });
}

/** temporal-sql-tool's version table exists once `setup-schema` has run; `update-schema` then brings it current. */
async function ensureTemporalSchema(
  tools: ClusterTools,
  adminUrl: string,
  postgres: PostgresEndpoint,
  database: string,
  schemaName: string,
): Promise<void> {
  await ensureDatabase(adminUrl, database);
  const setUp = await withClient(databaseUrl(adminUrl, database), async (client) => {
    const { rows } = await client.query<{ found: string | null }>("SELECT to_regclass('schema_version') AS found");
    return rows[0].found !== null;
  });
  const connection = [
    '--plugin',
    'postgres12',
    '--endpoint',
    postgres.host,
    '--port',
    String(postgres.port),
    '--user',
    postgres.user,
    '--database',
    database,
  ];
  // The password goes through the tool's environment variable, not onto a command line anyone can list.
  const env = { ...process.env, SQL_PASSWORD: postgres.password };
  if (!setUp) await execFileAsync(tools.sqlTool, [...connection, 'setup-schema', '-v', '0.0'], { env });
  await execFileAsync(tools.sqlTool, [...connection, 'update-schema', '--schema-name', schemaName], { env });
}

async function retryFor<T>(timeoutMs: number, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** The namespace and the search attributes the app uses; true when anything had to be added. */
async function ensureNamespace(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 5_000 });
  try {
    let added = false;
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs(RETENTION_MS),
      });
      added = true;
    }
    // A namespace just registered is unknown to the frontend until its namespace cache refreshes (seconds).
    const { customAttributes } = await retryFor(30_000, () =>
      connection.operatorService.listSearchAttributes({ namespace }),
    );
    const type = temporal.api.enums.v1.IndexedValueType;
    const missing = Object.entries(CUSTOM_SEARCH_ATTRIBUTES).filter(([name]) => !customAttributes?.[name]);
    if (missing.length) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(
          missing.map(([name, kind]) => [
            name,
            kind === 'Bool' ? type.INDEXED_VALUE_TYPE_BOOL : type.INDEXED_VALUE_TYPE_KEYWORD,
          ]),
        ),
      });
      added = true;
    }
    return added;
  } finally {
    await connection.close();
  }
}

async function waitForFrontend(address: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) throw new Error('start-up interrupted');
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the Temporal server did not come up: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function writeJson(file: string, value: object): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const baseEnv = { ...(options.env ?? process.env) };
  const log = options.log ?? ((line: string) => console.log(line));
  const adminUrl = options.postgresAdminUrl ?? process.env.OMS_CLUSTER_POSTGRES_URL ?? DEFAULT_CLUSTER_POSTGRES_URL;
  const prefix = options.databasePrefix ?? process.env.OMS_CLUSTER_DATABASE_PREFIX ?? 'shop_oms_cluster';
  const databases = { app: prefix, temporal: `${prefix}_temporal`, visibility: `${prefix}_temporal_visibility` };
  const postgres = endpointOf(adminUrl);
  const config = loadConfig(baseEnv);
  const tools = ensureClusterTools(log);

  log('cluster: PostgreSQL databases and Temporal schemas');
  await ensureTemporalSchema(tools, adminUrl, postgres, databases.temporal, 'postgresql/v12/temporal');
  await ensureTemporalSchema(tools, adminUrl, postgres, databases.visibility, 'postgresql/v12/visibility');
  await ensureDatabase(adminUrl, databases.app);

  const frontend = Number(new URL(`grpc://${config.temporalAddress}`).port);
  const [frontendHttp, history, matching, worker, metrics] = await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  );
  const [m1, m2, m3, m4] = await Promise.all(Array.from({ length: 4 }, () => freePort(MEMBERSHIP_PORTS)));
  const ports = { frontend, frontendHttp, history, matching, worker, membership: [m1, m2, m3, m4], metrics } as const;
  const temporalDir = path.join(config.dataDir, 'cluster', 'temporal');
  privateDir(config.dataDir);
  const dynamicConfigFile = path.join(temporalDir, 'dynamicconfig.yaml');
  writeJson(dynamicConfigFile, TEMPORAL_DYNAMIC_CONFIG);
  writeJson(
    path.join(temporalDir, 'config', 'cluster.yaml'),
    temporalServerConfig({
      postgres,
      databases: { main: databases.temporal, visibility: databases.visibility },
      ports: { ...ports, membership: [...ports.membership] },
      dynamicConfigFile,
    }),
  );
  const temporalAddress = `127.0.0.1:${frontend}`;
  const uiDir = path.join(config.dataDir, 'cluster', 'ui');
  writeJson(
    path.join(uiDir, 'config', 'cluster.yaml'),
    temporalUiConfig({
      temporalAddress,
      port: config.temporalUiPort,
      namespace: config.temporalNamespace,
      codecEndpoint: `http://127.0.0.1:${config.port}/api/codec`,
    }),
  );

  const group = createProcessGroup(options);
  const processEnv = { ...baseEnv };
  delete processEnv.OMS_PAYLOAD_KEYS; // the Temporal server never sees the payload keys
  const startServer = () =>
    group.launch(
      'temporal-server',
      tools.server,
      ['--root', temporalDir, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'],
      { ...processEnv, SQL_PASSWORD: postgres.password },
    );
  try {
    let server = startServer();
    await waitForFrontend(temporalAddress, 120_000, options.signal);
    if (await ensureNamespace(temporalAddress, config.temporalNamespace)) {
      // Each Temporal service caches the namespaces and search attributes it has read; on a new cluster it may
      // have read them before they existed. One restart makes every service read them afresh.
      log('cluster: namespace and search attributes added; restarting the Temporal server to load them');
      await server.stop();
      server = server.relaunch();
      await waitForFrontend(temporalAddress, 120_000, options.signal);
    }
    group.launch(
      'temporal-ui',
      tools.uiServer,
      ['--root', uiDir, '--config', 'config', '--env', 'cluster', 'start'],
      processEnv,
    );

    const apiPorts = await Promise.all(Array.from({ length: options.apis ?? 2 }, () => freePort()));
    const stack = await startStack({
      ...options,
      group,
      env: {
        ...baseEnv,
        TEMPORAL_ADDRESS: temporalAddress,
        DATABASE_URL: databaseUrl(adminUrl, databases.app),
        OMS_TEMPORAL_UI_URL: `http://127.0.0.1:${config.temporalUiPort}`,
      },
      replicas: { workers: options.workers ?? 2, apiPorts },
    });
    return {
      stack,
      temporalAddress,
      temporalUiUrl: `http://127.0.0.1:${config.temporalUiPort}`,
      temporalMetricsUrl: `http://127.0.0.1:${metrics}/metrics`,
      databases,
      apiUrls: apiPorts.map((port) => `http://127.0.0.1:${port}`),
      processes: (name) => group.processes.filter((p) => p.name.startsWith(`${name}-`)),
      stop: () => group.stop(),
    };
  } catch (err) {
    await group.stop();
    throw err;
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const adminKey = config.bootstrapAdminKey ?? devAdminKey(config.dataDir);
  const interrupt = new AbortController();
  let shutdown: (code: number) => Promise<void> = () => {
    interrupt.abort();
    return Promise.resolve();
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const cluster = await startCluster({
    env: { ...process.env, OMS_BOOTSTRAP_ADMIN_KEY: adminKey },
    demoData: true,
    logs: 'console',
    signal: interrupt.signal,
  });
  const api = `http://127.0.0.1:${config.port}`;
  console.log(
    [
      '',
      `Shop OMS cluster is up: ${cluster.processes('worker').length} workers, ${cluster.processes('api').length} API processes.`,
      `  Staff console  ${api}/   (the balancer; API reference ${api}/api/docs)`,
      `  Temporal       ${cluster.temporalAddress} (server on PostgreSQL; metrics ${cluster.temporalMetricsUrl})`,
      `  Temporal UI    ${cluster.temporalUiUrl}   (read-only)`,
      `  Databases      ${Object.values(cluster.databases).join(', ')}`,
      `The admin key: ${config.bootstrapAdminKey ? 'OMS_BOOTSTRAP_ADMIN_KEY' : path.join(config.dataDir, 'dev-admin-key')}.`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping the cluster...');
    await cluster.stop();
    process.exit(code);
  };
  const crashed = await cluster.stack.unexpectedExit;
  console.error(`${crashed.name} stopped; shutting the rest down.`);
  await shutdown(1);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof MissingToolError ? err.message : err);
    process.exit(1);
  });
}

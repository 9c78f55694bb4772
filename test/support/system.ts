/**
 * The whole system for an end-to-end test: the same stack `npm start` runs (Temporal dev server,
 * MailDev, local carrier, worker, API as separate processes) on free ports and a fresh data folder.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import type { Client } from '@temporalio/client';
import { createDb, type Db } from '../../db/client';
import { requireCarrierWebhookSecret } from '../../lib/config';
import { connectTemporal } from '../../lib/temporal';
import { TEST_TOKEN_HEADER } from '../../local-carrier/server';
import { startCluster, type Cluster, type ClusterOptions } from '../../scripts/cluster';
import { startStack, type Stack } from '../../scripts/stack';
import type { ApiResponse } from './api';
import { closeTestPayments, openTestPayments } from './payments';

/** Ports for test servers: below the kernel's ephemeral range (32768 and up, /proc/sys/net/ipv4/ip_local_port_range). */
const TEST_PORTS = { from: 20_000, to: 32_000 };
/** Slices of that range, one per jest worker, so two suites starting at once never draw the same port. */
const PORT_SLICES = 4;
const handedOut = new Set<number>();

/**
 * A port free now, for a server a test system starts a moment later. Not one bound to 0 and let go: that comes from
 * the ephemeral range, where any outgoing connection in between (to PostgreSQL, Temporal, MailDev) may take it first,
 * and the server then fails to start (CI saw MailDev exit so). Each port is handed out once per process.
 */
export function freePort(): Promise<number> {
  const slice = (Number(process.env.JEST_WORKER_ID ?? 1) - 1) % PORT_SLICES;
  const size = Math.floor((TEST_PORTS.to - TEST_PORTS.from) / PORT_SLICES);
  const candidate = TEST_PORTS.from + slice * size + Math.floor(Math.random() * size);
  if (handedOut.has(candidate)) return freePort();
  // Taken at once, so a call alongside (ports are asked for several at a time) cannot draw it too.
  handedOut.add(candidate);
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(freePort()));
    server.listen(candidate, '127.0.0.1', () => server.close(() => resolve(candidate)));
  });
}

/**
 * Settings a developer may have exported that must not leak into a test stack. OMS_CONSOLE_DIR may: it names the
 * console build to serve (one being worked on, built elsewhere so as not to disturb a suite using console/dist).
 */
const CONFIG_KEYS =
  /^(PORT|DATABASE_URL|TEMPORAL_.*|SMTP_URL|MAIL_FROM|MANAGER_EMAIL|OMS_(?!CONSOLE_DIR$).*|MAILDEV_.*|CARRIER_.*|LOCAL_CARRIER_.*|OTEL_.*)$/;

export interface TestSystem {
  stack: Stack;
  /** When started as a cluster: its Temporal server, databases and API addresses. */
  cluster?: Cluster;
  adminKey: string;
  apiUrl: string;
  mailUrl: string;
  /** The local carrier service (test control endpoints such as POST /v1/scenarios). */
  carrierUrl: string;
  /** Headers the carrier's test controls require (LOCAL_CARRIER_TEST_TOKEN, local-carrier/server.ts). */
  carrierTestHeaders: Record<string, string>;
  /** Where each process's output goes (scripts/stack.ts): one `<process>.log` per process. */
  logsDir: string;
  /** Where managers' warning emails go (MANAGER_EMAIL; the default unless the test sets it). */
  managerEmail: string;
  db: Db;
  temporal: Client;
  dataDir: string;
  /**
   * One API call as `key` (the admin key unless given; null for none), `body` sent as JSON (a string as it is). The
   * answer's body is typed `Body` as the caller expects it (see api.ts), `unknown` unless said.
   */
  api<Body = unknown>(method: string, route: string, body?: unknown, key?: string | null): Promise<ApiResponse<Body>>;
  /** Stops every process and starts them again on the same data and ports (like Ctrl-C and `npm start`). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestSystem(
  options: {
    databaseUrl?: string;
    env?: Record<string, string>;
    /** Run the carrier, worker, API and migrations from dist/ (npm run build) instead of through tsx. */
    compiled?: boolean;
    /** Start a cluster (scripts/cluster.ts: Temporal server and the app on PostgreSQL, replicas) instead. */
    cluster?: Pick<ClusterOptions, 'postgresAdminUrl' | 'databasePrefix' | 'workers' | 'apis'>;
  } = {},
): Promise<TestSystem> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-test-'));
  // The payments tests' customers make (test/support/payments.ts) go into this system's payment stand-in too.
  openTestPayments(dataDir);
  const adminKey = `oms_test_${crypto.randomBytes(12).toString('hex')}`;
  const carrierTestToken = crypto.randomBytes(16).toString('hex');
  const [api, temporal, temporalUi, smtp, mailWeb, carrier] = await Promise.all(Array.from({ length: 6 }, freePort));
  const env: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !CONFIG_KEYS.test(key)),
  );
  Object.assign(env, {
    PORT: String(api),
    OMS_DATA_DIR: dataDir,
    DATABASE_URL: options.databaseUrl ?? `file:${path.join(dataDir, 'oms.db')}`,
    TEMPORAL_PORT: String(temporal),
    TEMPORAL_UI_PORT: String(temporalUi),
    MAILDEV_SMTP_PORT: String(smtp),
    MAILDEV_WEB_PORT: String(mailWeb),
    LOCAL_CARRIER_PORT: String(carrier),
    LOCAL_CARRIER_STEP: '1s',
    OMS_AFTER_SALES_WINDOW: '3s',
    OMS_BOOTSTRAP_ADMIN_KEY: adminKey,
    LOCAL_CARRIER_TEST_TOKEN: carrierTestToken,
    ...options.env,
  });
  const logsDir = path.join(dataDir, 'logs');
  const mailUrl = `http://127.0.0.1:${mailWeb}`;
  const launch = async (): Promise<Pick<TestSystem, 'stack' | 'cluster' | 'db' | 'temporal'>> => {
    const common = { env, demoData: true, logs: logsDir, log: () => undefined };
    const cluster = options.cluster ? await startCluster({ ...common, ...options.cluster }) : undefined;
    const stack = cluster?.stack ?? (await startStack({ ...common, compiled: options.compiled }));
    if (stack.mailWebAuth) MAIL_AUTH.set(mailUrl, stack.mailWebAuth);
    return { stack, cluster, db: createDb(stack.config.databaseUrl), temporal: await connectTemporal(stack.config) };
  };
  const disconnect = async (parts: Awaited<ReturnType<typeof launch>>) => {
    await parts.temporal.connection.close().catch(() => undefined);
    await parts.db.$disconnect().catch(() => undefined);
    await parts.stack.stop();
  };
  const apiUrl = `http://127.0.0.1:${api}`;

  const system: TestSystem = {
    ...(await launch()),
    adminKey,
    apiUrl,
    mailUrl,
    carrierUrl: `http://127.0.0.1:${carrier}`,
    carrierTestHeaders: { [TEST_TOKEN_HEADER]: carrierTestToken },
    logsDir,
    managerEmail: env.MANAGER_EMAIL ?? 'manager@shop-oms.local',
    dataDir,
    async api<Body>(
      method: string,
      route: string,
      body?: unknown,
      key: string | null = adminKey,
    ): Promise<ApiResponse<Body>> {
      const headers: Record<string, string> = {};
      if (key) headers.authorization = `Bearer ${key}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${apiUrl}${route}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Body };
    },
    async restart() {
      await disconnect(system);
      Object.assign(system, await launch());
    },
    async stop() {
      await disconnect(system);
      closeTestPayments(dataDir);
      MAIL_AUTH.delete(mailUrl);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return system;
}

/** The webhook secret the system's carrier signs with (generated into its data folder unless the test set one). */
export const carrierWebhookSecret = (system: TestSystem): string => requireCarrierWebhookSecret(system.stack.config);

/** Polls until `probe` returns a value that is not undefined, or fails with `what` after the timeout. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const cause = last instanceof Error ? String(last) : inspect(last);
      throw new Error(`Timed out waiting for ${what}${last ? `: ${cause}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface CaughtEmail {
  subject: string;
  text: string;
  html: string;
  to: { address: string }[];
  headers: Record<string, string>;
  /** When MailDev received it (an ISO date). */
  time: string;
}

/** The embedded MailDev's web user and password, by its address (set when a test system starts). */
const MAIL_AUTH = new Map<string, { user: string; pass: string }>();

/** A request to MailDev's JSON API at `mailUrl` (e.g. `/api/email`), with its password. */
export function fetchMail(mailUrl: string, route: string, init: RequestInit = {}): Promise<Response> {
  const auth = MAIL_AUTH.get(mailUrl);
  const headers = new Headers(init.headers);
  if (auth) headers.set('authorization', `Basic ${Buffer.from(`${auth.user}:${auth.pass}`).toString('base64')}`);
  return fetch(`${mailUrl}${route}`, { ...init, headers });
}

export async function emailsTo(mailUrl: string, address: string): Promise<CaughtEmail[]> {
  const response = await fetchMail(mailUrl, '/api/email');
  const all = (await response.json()) as CaughtEmail[];
  return all.filter((m) => m.to.some((t) => t.address === address));
}

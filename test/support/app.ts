/**
 * The API app alone, on a fresh migrated SQLite database and without Temporal (a stand-in that no route used here
 * reaches), listening on a free loopback port: for tests of what happens before a route's work (authentication,
 * limits, bodies, paths), without starting the whole stack.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import { createDb, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { loadConfig } from '../../lib/config';

export interface TestApp {
  url: string;
  databaseUrl: string;
  db: Db;
  /** Bytes the server has read from its connections so far (open and closed): what it took in. */
  bytesRead(): number;
  close(): Promise<void>;
}

/** `env.DATABASE_URL` names another app's database (two API processes on one); unset, a fresh one. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-app-'));
  const databaseUrl = env.DATABASE_URL ?? `file:${path.join(dir, 'oms.db')}`;
  await migrate(databaseUrl);
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    OMS_DATA_DIR: dir,
    OMS_PAYLOAD_KEYS: `test:${crypto.randomBytes(32).toString('base64')}`,
    ...env,
  });
  const db = createDb(databaseUrl);
  const server = http.createServer(createApp(db, {} as Client, config, () => Promise.resolve()));
  const sockets = new Set<Socket>();
  let closedBytes = 0;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      closedBytes += socket.bytesRead;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    databaseUrl,
    db,
    bytesRead: () => closedBytes + [...sockets].reduce((sum, socket) => sum + socket.bytesRead, 0),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { error?: { code: string; message: string; details: unknown } } & Record<string, unknown>;
}

/** A request from a given loopback address (Linux routes all of 127/8 here), for per-address limits. */
export function requestFrom(
  app: TestApp,
  localAddress: string,
  method: string,
  route: string,
  options: { key?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(route, app.url), { method, localAddress, headers, agent: false }, (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => (text += chunk));
      r.on('end', () => {
        let body: Answer['body'] = {};
        try {
          body = JSON.parse(text) as Answer['body'];
        } catch {
          // not JSON: an empty body (204) or a page
        }
        resolve({ status: r.statusCode!, headers: r.headers, body });
      });
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

/**
 * Personal data never reaches Temporal in clear: an order whose customer data enters its workflow history (a review
 * reason quoting the phone, a manager's note naming the customer, address and email) is processed as usual, while
 * its raw history and the Temporal server's SQLite file hold none of it. The codec endpoint shows it to managers only.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { createApiKey } from '../../access/key-store';
import { orderWorkflowId } from '../../domain/order-number';
import { ensureTemporalCli } from '../../scripts/temporal-cli';
import { emailsTo, eventually, startTestSystem, type TestSystem } from '../support/system';
import { newProduct, orderBody, unique } from '../support/orders';
import { loadHistory, recordHistory } from '../replay/record-histories';
import { json, type ApiError, type OrderView, type SignedIn, type StoredOrder } from '../support/api';
import { workflowInterceptorModules } from '../../worker/interceptors';

const run = promisify(execFile);
const utf8 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

let system: TestSystem;
let managerKey: string;
let clerkKey: string;

beforeAll(async () => {
  system = await startTestSystem();
  managerKey = (await createApiKey(system.db, { name: 'codec test manager', role: 'manager' })).key;
  clerkKey = (await createApiKey(system.db, { name: 'codec test clerk', role: 'clerk' })).key;
}, 180_000);

afterAll(() => system?.stop(), 60_000);

/** Every payload in a history (or any message), with where it sits. */
function payloadsIn(node: unknown, at = ''): { at: string; payload: Payload }[] {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return [];
  const payload = node as Payload;
  if (payload.metadata?.encoding instanceof Uint8Array) return [{ at, payload }];
  return Object.entries(node).flatMap(([key, child]) => payloadsIn(child, `${at}.${key}`));
}

/**
 * Every string and byte field of a history, bytes read as UTF-8: what anyone with the server's data could read.
 * (Not JSON.stringify: protobuf messages serialise their bytes as base64 through their own toJSON.)
 */
function readable(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node instanceof Uint8Array) return utf8(node);
  if (!node || typeof node !== 'object') return '';
  return Object.values(node).map(readable).join('\n');
}

const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/** The codec endpoint's answer to /encode and /decode: payloads as JSON (their bytes in base64). */
interface CodecAnswer {
  payloads: ReturnType<typeof toJson>[];
}

/** The data of every payload in `temporal workflow show --output json` (proto JSON: bytes in base64), as text. */
function cliPayloadText(stdout: string): string {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const p = node as { metadata?: { encoding?: unknown }; data?: unknown };
    if (typeof p.metadata?.encoding === 'string' && typeof p.data === 'string') {
      found.push(Buffer.from(p.data, 'base64').toString('utf8'));
    } else Object.values(node).forEach(walk);
  };
  walk(JSON.parse(stdout));
  expect(found.length).toBeGreaterThan(10);
  return found.join('\n');
}

const codecUrl = () => `${system.apiUrl}/api/codec`;

function decode(payloads: Payload[], headers: Record<string, string>) {
  return fetch(`${codecUrl()}/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: JSON.stringify({ payloads: payloads.map(toJson) }),
  });
}

const decodedText = async (response: Response) =>
  (await json<CodecAnswer>(response)).payloads.map((p) => Buffer.from(p.data, 'base64').toString()).join();

test('an order with personal data is processed, while Temporal holds that data only encrypted', async () => {
  const id = unique();
  const person = {
    name: `Zhang Cipherwei ${id}`,
    email: `zhang.cipher.${id}@example.com`,
    // Not a valid phone format: review flags it with a reason quoting it, so the phone enters the history.
    phone: `139${id.replace(/\D/g, '7').slice(0, 4)}5566 evenings`,
    line1: `42 Plaintext Lane ${id}`,
    city: `Secretville ${id}`,
  };
  const secrets = [person.name, person.email, person.phone, person.line1, person.city];
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 3 } });
  const body = orderBody(sku, {
    customer: { name: person.name, email: person.email, phone: person.phone },
    shippingAddress: { line1: person.line1, city: person.city, postalCode: '200001', country: 'CN' },
  });

  // The shop works as usual: intake, review flags the phone, the manager approves with a note, on to PICKING.
  const placed = await system.api<StoredOrder>('POST', '/api/orders', body);
  expect(placed.status).toBe(201);
  const { orderNumber } = placed.body;
  const order = await eventually('the order flagged in review', async () => {
    const got = await system.api<OrderView>('GET', `/api/orders/${orderNumber}`);
    return got.body.status === 'IN_REVIEW' && got.body.reviewReasons?.length ? got.body : undefined;
  });
  expect(JSON.stringify(order.reviewReasons)).toContain(person.phone);
  const note = `Called ${person.name} on ${person.phone}: ships to ${person.line1}, ${person.city}; mail ${person.email}`;
  const approved = await system.api('POST', `/api/orders/${orderNumber}/approve`, { note }, managerKey);
  expect(approved.status).toBe(200);
  await eventually('the order in PICKING', async () =>
    (await system.api<OrderView>('GET', `/api/orders/${orderNumber}`)).body.status === 'PICKING' ? true : undefined,
  );
  // A refused Update still explains itself: the failure message travels encrypted and is decoded by the API.
  const again = await system.api<ApiError>('POST', `/api/orders/${orderNumber}/approve`, {}, managerKey);
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('WRONG_STATE');
  expect(again.body.error.message).not.toBe('Encoded failure');
  expect(again.body.error.message.length).toBeGreaterThan(10);
  // The worker decrypted what it needed: the customer got their emails, addressed by name.
  const emails = await eventually('the customer emails', async () => {
    const got = await emailsTo(system.mailUrl, person.email);
    return got.length >= 2 ? got : undefined;
  });
  expect(emails.some((m) => m.text.includes(person.name))).toBe(true);

  // The raw history, read without the codec, as the Temporal server and its UI hold it.
  const workflowId = orderWorkflowId(orderNumber);
  const plainClient = new Client({ connection: system.temporal.connection, namespace: 'default' });
  const history = await plainClient.workflow.getHandle(workflowId).fetchHistory();
  const raw = readable(history);
  expect(secrets.filter((secret) => raw.includes(secret))).toEqual([]);
  const payloads = payloadsIn(history);
  const encrypted = payloads.filter(({ payload }) => utf8(payload.metadata!.encoding) === 'binary/encrypted');
  // Left clear by design: search attributes (statuses and flags) and the SDK core's own marker bookkeeping (patch ids;
  // a local activity's id, type and times). Each result and argument is encrypted; `raw` above covers these too.
  const bookkeeping = /searchAttributes|markerRecordedEventAttributes\.details\.(patch-data|data)\./;
  const clear = payloads.filter((p) => !encrypted.includes(p) && !bookkeeping.test(p.at));
  expect(clear.map((p) => p.at)).toEqual([]);
  expect(encrypted.length).toBeGreaterThan(10);
  expect(new Set(encrypted.map(({ payload }) => utf8(payload.metadata!['encryption-key-id'])))).toEqual(
    new Set(['local-1']),
  );

  // The same payloads, decoded by the codec endpoint for a manager, do hold the data: the check above could fail.
  const decoded = await decode(
    encrypted.map((e) => e.payload),
    { authorization: `Bearer ${managerKey}` },
  );
  expect(decoded.status).toBe(200);
  const text = await decodedText(decoded);
  expect(secrets.filter((secret) => !text.includes(secret))).toEqual([]);

  // The Temporal server's database files: the history is there (workflow id, activity names), the personal data not.
  const files = fs.readdirSync(system.dataDir).filter((f) => f.startsWith('temporal.db'));
  expect(files).toContain('temporal.db');
  const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(system.dataDir, f))));
  expect(bytes.includes(workflowId)).toBe(true);
  expect(bytes.includes('sendOrderEmail')).toBe(true);
  expect(secrets.filter((secret) => bytes.includes(secret))).toEqual([]);

  // The Temporal CLI, a real client of the codec protocol, shows the data through the endpoint with a manager key.
  const cli = ensureTemporalCli(() => undefined);
  const show = (codecArgs: string[]) =>
    run(cli, [
      'workflow',
      'show',
      '--address',
      system.stack.config.temporalAddress,
      '--namespace',
      'default',
      '--workflow-id',
      workflowId,
      '--output',
      'json',
      ...codecArgs,
    ]);
  const withCodec = await show(['--codec-endpoint', codecUrl(), '--codec-auth', `Bearer ${managerKey}`]);
  expect(cliPayloadText(withCodec.stdout)).toContain(person.name);
  const withoutCodec = await show([]);
  expect(withoutCodec.stdout).toContain(workflowId);
  expect(cliPayloadText(withoutCodec.stdout)).not.toContain(person.name);
}, 120_000);

test('a history recorded from the encrypted system is saved decoded, and replays without the key', async () => {
  const id = unique();
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 1 } });
  const placed = await system.api<StoredOrder>(
    'POST',
    '/api/orders',
    orderBody(sku, { lines: [{ sku, quantity: 1 }] }),
  );
  expect(placed.status).toBe(201);
  const { orderNumber } = placed.body;
  await eventually('the order in PICKING', async () =>
    (await system.api<OrderView>('GET', `/api/orders/${orderNumber}`)).body.status === 'PICKING' ? true : undefined,
  );
  const reason = `Customer Wang Recorded ${id} changed their mind`;
  expect((await system.api('POST', `/api/orders/${orderNumber}/cancel`, { reason }, managerKey)).status).toBe(200);
  const workflowId = orderWorkflowId(orderNumber);
  await system.temporal.workflow.getHandle(workflowId).result();

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-history-')), 'cancelled.json');
  try {
    await recordHistory(system.temporal, workflowId, file);
    const saved = fs.readFileSync(file, 'utf8');
    const encodings = [...saved.matchAll(/"encoding": "([^"]+)"/g)].map((m) => Buffer.from(m[1], 'base64').toString());
    expect(encodings.length).toBeGreaterThan(10);
    expect(encodings).not.toContain('binary/encrypted');
    expect(readable(loadHistory(file))).toContain(reason);
    await Worker.runReplayHistory(
      {
        workflowsPath: require.resolve('../../workflows'),
        interceptors: { workflowModules: workflowInterceptorModules },
      },
      loadHistory(file),
      workflowId,
    );
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}, 90_000);

describe('the codec endpoint', () => {
  let sealed: Payload[];

  beforeAll(async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 1 } });
    const placed = await system.api<StoredOrder>('POST', '/api/orders', orderBody(sku));
    expect(placed.status).toBe(201);
    const handle = system.temporal.workflow.getHandle(orderWorkflowId(placed.body.orderNumber));
    await eventually('the workflow to have activity results', async () => {
      const history = await handle.fetchHistory();
      const found = payloadsIn(history).filter((p) => utf8(p.payload.metadata!.encoding) === 'binary/encrypted');
      return found.length >= 3 ? (sealed = found.map((p) => p.payload)) : undefined;
    });
  }, 60_000);

  test('decodes for a manager, refuses a clerk (403) and no key (401)', async () => {
    expect((await decode(sealed, { authorization: `Bearer ${managerKey}` })).status).toBe(200);
    expect((await decode(sealed, { authorization: `Bearer ${system.adminKey}` })).status).toBe(200);
    const clerk = await decode(sealed, { authorization: `Bearer ${clerkKey}` });
    expect(clerk.status).toBe(403);
    expect((await json<ApiError>(clerk)).error.code).toBe('FORBIDDEN');
    const anonymous = await decode(sealed, {});
    expect(anonymous.status).toBe(401);
    expect((await json<ApiError>(anonymous)).error.code).toBe('UNAUTHENTICATED');
  });

  test('decode opens what the worker sealed; encode seals nothing, so the endpoint cannot forge a payload', async () => {
    const plain = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"hello"') };
    const encoded = await fetch(`${codecUrl()}/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${managerKey}` },
      body: JSON.stringify({ payloads: [toJson(plain)] }),
    });
    expect(encoded.status).toBe(200);
    expect((await json<CodecAnswer>(encoded)).payloads).toEqual([toJson(plain)]);
    const back = await fetch(`${codecUrl()}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${managerKey}` },
      body: JSON.stringify({ payloads: [...sealed.map(toJson), toJson(plain)] }),
    });
    const opened = (await json<CodecAnswer>(back)).payloads;
    expect(opened).toHaveLength(sealed.length + 1);
    expect(opened.at(-1)).toEqual(toJson(plain));
    for (const payload of opened)
      expect(Buffer.from(payload.metadata.encoding, 'base64').toString()).not.toBe('binary/encrypted');
  });

  test('a tampered payload or another namespace is refused with the error shape', async () => {
    const data = Buffer.from(sealed[0].data!);
    data[data.length - 1] ^= 0x01;
    const tampered = await decode([{ ...sealed[0], data }], { authorization: `Bearer ${managerKey}` });
    expect(tampered.status).toBe(422);
    expect((await json<ApiError>(tampered)).error.message).toMatch(/integrity check/);
    const other = await decode(sealed, { authorization: `Bearer ${managerKey}`, 'x-namespace': 'elsewhere' });
    expect(other.status).toBe(400);
    expect((await json<ApiError>(other)).error.code).toBe('WRONG_NAMESPACE');
  });

  test('the Web UI: its origin passes CORS with credentials, another origin does not', async () => {
    const uiOrigin = `http://127.0.0.1:${system.stack.config.temporalUiPort}`;
    const preflight = (origin: string) =>
      fetch(`${codecUrl()}/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace',
        },
      });
    const allowed = await preflight(uiOrigin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/x-namespace/i);
    const foreign = await preflight('http://evil.example');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    // The embedded UI was started with this endpoint (`--ui-codec-endpoint`).
    const settings = await json<{ Codec: { Endpoint: string } }>(await fetch(`${uiOrigin}/api/v1/settings`));
    expect(settings.Codec.Endpoint).toBe(codecUrl());
  });

  test("a manager signs in once for the UI: the session's cookie then decodes; a clerk's does not; sign-out ends it", async () => {
    const page = await fetch(`${codecUrl()}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Include cross-origin credentials');

    // The page signs in with POST /api/session (a sign-in session, api/routes/sessions.ts).
    const signIn = (key: string) =>
      fetch(`${system.apiUrl}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key }),
      });
    const cookieOf = (response: Response) => (response.headers.get('set-cookie') ?? '').split(';')[0];
    const clerk = await signIn(clerkKey);
    expect(clerk.status).toBe(201);
    const clerkDecode = await decode(sealed, { cookie: cookieOf(clerk) });
    expect(clerkDecode.status).toBe(403);
    expect((await json<ApiError>(clerkDecode)).error.code).toBe('FORBIDDEN');

    const session = await signIn(managerKey);
    expect(session.status).toBe(201);
    const me = await json<SignedIn>(session);
    expect(me.role).toBe('manager');
    expect(me.permissions).toContain('payloads.decode');
    const setCookie = session.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^oms_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/;/i);
    expect(setCookie).not.toContain(managerKey.slice(17));
    const cookie = cookieOf(session);

    // No CSRF token: the Web UI cannot send one (see api/routes/codec.ts).
    const withCookie = await decode(sealed, { cookie });
    expect(withCookie.status).toBe(200);
    expect((await json<CodecAnswer>(withCookie)).payloads).toHaveLength(sealed.length);

    const signOut = await fetch(`${system.apiUrl}/api/session`, {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': me.session!.csrfToken },
    });
    expect(signOut.status).toBe(204);
    expect(signOut.headers.get('set-cookie')).toMatch(/oms_session=;/);
    expect((await decode(sealed, { cookie })).status).toBe(401);
  });
});

/**
 * The cluster (`npm run cluster`, scripts/cluster.ts): the Temporal server (not the dev server) on PostgreSQL with
 * the schema temporal-sql-tool set up, its Web UI, the app on PostgreSQL, two workers and two API processes behind
 * one address, rate limits in Redis. Orders flow through it while one worker and one API are killed and later
 * restarted: none is lost or doubled. What one process used to hold alone holds across both APIs: a key revoked
 * through one is refused by the other within the key cache's TTL, and a key's lookup limit counts both.
 */
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { ADMIN_URL, postgresAvailable } from '../support/postgres';
import { eventually, startTestSystem, type TestSystem } from '../support/system';
import { newProduct, orderBody, reachStatus, type OrderBody } from '../support/orders';
import type { CreatedApiKey } from '../support/api';
import {
  auditOrder,
  duplicatesIn,
  expectCompletedOnce,
  orderDriver,
  pickWhenReady,
  processOf,
  sleep,
} from '../support/faults';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY_CACHE_TTL_S = 3;
const LOOKUP_LIMIT = 20;
/** Emails and bookings a retried activity might still send after its order completed. */
const DUPLICATE_GRACE_MS = 3_000;

(postgresAvailable() ? describe : describe.skip)('a cluster: Temporal server on PostgreSQL, 2 workers, 2 APIs', () => {
  const prefix = `shop_oms_test_cluster_${crypto.randomBytes(4).toString('hex')}`;
  let system: TestSystem;
  /** A process that exited without being stopped or killed by the test (the first one). */
  const exitedOnItsOwn: string[] = [];

  beforeAll(async () => {
    system = await startTestSystem({
      cluster: { postgresAdminUrl: ADMIN_URL, databasePrefix: prefix, workers: 2, apis: 2 },
      env: {
        OMS_REDIS_URL: REDIS_URL,
        OMS_REDIS_PREFIX: prefix,
        OMS_KEY_CACHE_TTL: `${KEY_CACHE_TTL_S}s`,
        OMS_LOOKUP_RATE_LIMIT: `${LOOKUP_LIMIT}/10m`,
      },
    });
    void system.stack.unexpectedExit.then((p) => exitedOnItsOwn.push(p.name));
  }, 360_000);

  afterAll(async () => {
    await system?.stop();
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    for (const name of [prefix, `${prefix}_temporal`, `${prefix}_temporal_visibility`])
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }, 120_000);

  const apiUrl = (n: number) => system.cluster!.apiUrls[n];
  /** A request to one API process, past the balancer. */
  const direct = async (n: number, method: string, route: string, key: string, body?: unknown) => {
    const response = await fetch(`${apiUrl(n)}${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.json() };
  };
  const newClerkKey = async () => {
    const created = await system.api<CreatedApiKey>('POST', '/api/admin/keys', { name: 'Till', role: 'clerk' });
    expect(created.status).toBe(201);
    return created.body;
  };

  test('the Temporal server runs on PostgreSQL with its Web UI (read-only) and metrics', async () => {
    const info = await system.temporal.connection.workflowService.getSystemInfo({});
    expect(info.serverVersion).toMatch(/^1\.29\./);
    const admin = new Client({ connectionString: ADMIN_URL.replace(/\/[^/]*$/, `/${prefix}_temporal`) });
    await admin.connect();
    const { rows } = await admin.query<{ version: string }>('SELECT curr_version AS version FROM schema_version');
    await admin.end();
    expect(rows[0].version).toMatch(/^1\.\d+$/);
    const ui = await fetch(system.cluster!.temporalUiUrl);
    expect(ui.status).toBe(200);
    const uiSettings = (await (await fetch(`${system.cluster!.temporalUiUrl}/api/v1/settings`)).json()) as {
      DisableWriteActions: boolean;
    };
    expect(uiSettings.DisableWriteActions).toBe(true);
    expect(await (await fetch(system.cluster!.temporalMetricsUrl)).text()).toContain('# TYPE');
  }, 60_000);

  test('orders flow through while a worker and an API are killed, then restarted: none lost or doubled', async () => {
    const orders = orderDriver(system);
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 40 } });
    const placed: { body: OrderBody; orderNumber: string }[] = [];
    const place = async () => {
      const body = orderBody(sku);
      placed.push({ body, orderNumber: await orders.placeOrder(body) });
    };
    for (let i = 0; i < 4; i++) await place();
    for (const { orderNumber } of placed.slice(0, 2)) await pickWhenReady(system, orderNumber);

    // Mid-run: orders in review, in picking and on their way when one of each kind dies.
    const killedAt = new Date();
    await processOf(system, 'worker-1').kill();
    await processOf(system, 'api-1').kill();
    await sleep(500); // the balancer's open connections to api-1 are closed by now
    for (let i = 0; i < 4; i++) await place();
    for (const { orderNumber } of placed.slice(2)) await pickWhenReady(system, orderNumber, 90_000);

    processOf(system, 'worker-1').relaunch();
    processOf(system, 'api-1').relaunch();
    await eventually(
      'api-1 to answer again',
      async () => ((await fetch(`${apiUrl(0)}/api/health`)).ok ? true : undefined),
      90_000,
    );
    for (let i = 0; i < 2; i++) await place();
    for (const { orderNumber } of placed.slice(8)) await pickWhenReady(system, orderNumber, 90_000);

    for (const { orderNumber } of placed) {
      await reachStatus(system, orderNumber, 'COMPLETED', 120_000, 500);
      await orders.workflowClosed(orderNumber, 60_000);
    }
    await sleep(DUPLICATE_GRACE_MS);
    const audits = [];
    for (const { orderNumber, body } of placed)
      audits.push(await auditOrder(system, system.db, orderNumber, body.customer.email));
    // An email worker-1 was sending when it died (its log row written before, marked sent after, by the retry) may
    // arrive twice: the mail server took it and the worker died before Temporal heard. That is the one window
    // sendEmailOnce leaves (activities/email-once.ts), and the resend has the same Message-ID. Every other email,
    // and every such one beyond a second copy, counts as a duplicate.
    const inFlight = await system.db.emailLog.findMany({
      where: { createdAt: { lte: killedAt }, OR: [{ sentAt: null }, { sentAt: { gte: killedAt } }] },
      select: { orderNumber: true, subject: true },
    });
    const resendable = new Set(inFlight.map((e) => `${e.orderNumber} ${e.subject}`));
    for (const audit of audits)
      for (const [subject, count] of Object.entries(audit.emails))
        if (count === 2 && resendable.has(`${audit.orderNumber} ${subject}`)) audit.emails[subject] = 1;
    expect(audits.flatMap(duplicatesIn)).toEqual([]);
    audits.forEach(expectCompletedOnce);
    // Only the two processes killed on purpose stopped.
    expect(exitedOnItsOwn).toEqual([]);
  }, 600_000);

  test('a key revoked through one API is refused by the other within the key cache TTL', async () => {
    const clerk = await newClerkKey();
    expect((await direct(1, 'GET', '/api/inventory', clerk.key)).status).toBe(200); // api-2 remembers the key now
    const revoked = await direct(0, 'DELETE', `/api/admin/keys/${clerk.id}`, system.adminKey);
    expect(revoked.status).toBe(200);
    const revokedAt = Date.now();
    expect((await direct(0, 'GET', '/api/inventory', clerk.key)).status).toBe(401);
    await eventually(
      'api-2 to refuse the revoked key',
      async () => ((await direct(1, 'GET', '/api/inventory', clerk.key)).status === 401 ? true : undefined),
      (KEY_CACHE_TTL_S + 5) * 1000,
      250,
    );
    expect(Date.now() - revokedAt).toBeLessThanOrEqual((KEY_CACHE_TTL_S + 3) * 1000);
  }, 60_000);

  test("a key's lookup limit counts its requests to both APIs together", async () => {
    const clerk = await newClerkKey();
    const statuses: number[] = [];
    for (let i = 0; i < LOOKUP_LIMIT + 2; i++)
      statuses.push((await direct(i % 2, 'GET', '/api/orders', clerk.key)).status);
    expect(statuses.slice(0, LOOKUP_LIMIT).every((s) => s === 200)).toBe(true);
    // Each API saw only half of them: counted apart, every one would have passed.
    expect(statuses.slice(LOOKUP_LIMIT)).toEqual([429, 429]);
  }, 60_000);
});

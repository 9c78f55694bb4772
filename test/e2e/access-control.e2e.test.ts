/**
 * Access control on the real stack (SQLite): every route × every role (by Bearer key and by sign-in session), no key
 * and a revoked key against the permission matrix; keys created, listed and revoked by an admin (and by `npm run keys`); refused attempts in the
 * audit; rate limits on intake and on failed authentication; secure headers.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { mayDo } from '../../api/permissions';
import { ROLES, type Role } from '../../access/roles';
import { ROOT_DIR } from '../../lib/config';
import { signPayload } from '../../carriers/webhook-signature';
import { eventually, startTestSystem, type TestSystem } from '../support/system';
import { listApiRoutes, type ApiRoute } from '../support/routes';
import {
  json,
  type ApiError,
  type ApiKeyList,
  type CreatedApiKey,
  type ApiKeyRow,
  type SecurityEventList,
  type SecurityEventRow,
  type SignedIn,
} from '../support/api';
import { matching } from '../support/matchers';

const INTAKE_LIMIT = 20;
/**
 * Failed authentications allowed per address: the route walk asks every guarded route twice without a valid key (none,
 * revoked) from one address, and the other tests add a few; so the limit grows with the routes.
 */
const AUTH_FAILURE_LIMIT = 2 * listApiRoutes().filter((r) => r.permission).length + 50;
const KEY_CACHE_TTL_S = 3;

let system: TestSystem;
const keys = {} as Record<Role, string>;
/** Per role, the cookie and CSRF token of a sign-in session (POST /api/session) with that role's key. */
const sessions = {} as Record<Role, Record<string, string>>;
let revokedKey: string;

beforeAll(async () => {
  system = await startTestSystem({
    env: {
      OMS_INTAKE_RATE_LIMIT: `${INTAKE_LIMIT}/1m`,
      OMS_AUTH_FAILURE_LIMIT: `${AUTH_FAILURE_LIMIT}/15m`,
      OMS_KEY_CACHE_TTL: `${KEY_CACHE_TTL_S}s`,
    },
  });
  keys.admin = system.adminKey;
  for (const role of ROLES.filter((r) => r !== 'admin')) keys[role] = (await createKey(`matrix ${role}`, role)).key;
  for (const role of ROLES) sessions[role] = await signIn(keys[role]);
  const revoked = await createKey('matrix revoked', 'manager');
  revokedKey = revoked.key;
  expect((await system.api('DELETE', `/api/admin/keys/${revoked.id}`)).status).toBe(200);
}, 180_000);

afterAll(() => system?.stop(), 60_000);

async function createKey(name: string, role: Role): Promise<CreatedApiKey> {
  const created = await system.api<CreatedApiKey>('POST', '/api/admin/keys', { name, role });
  if (created.status !== 201) throw new Error(`creating a key: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

/** Signs in with the key; the headers a browser then sends: the session's cookie and its CSRF token. */
async function signIn(key: string): Promise<Record<string, string>> {
  const response = await fetch(`${system.apiUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key }),
  });
  if (response.status !== 201) throw new Error(`signing in: ${response.status} ${await response.text()}`);
  const { session } = await json<SignedIn>(response);
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0], 'x-csrf-token': session!.csrfToken };
}

/** The newest security events (after `afterId`), as an admin sees them. */
async function eventsAfter(afterId: number): Promise<SecurityEventRow[]> {
  const { body } = await system.api<SecurityEventList>('GET', '/api/admin/security-events?limit=1000');
  return body.events.filter((e) => e.id > afterId);
}
const lastEventId = async () => (await eventsAfter(0))[0]?.id ?? 0;

/** The error of an answer in the error shape; undefined for any other answer (the text of a CSV export, say). */
const errorOf = (answer: Partial<ApiError> | string | null) => (typeof answer === 'string' ? undefined : answer?.error);

/** Like system.api, for any answer (the CSV exports are not JSON); `key` may instead be a session's headers. */
async function call(method: string, route: string, body: unknown, key: string | Record<string, string> | null) {
  const response = await fetch(`${system.apiUrl}${route}`, {
    method,
    headers: {
      ...(typeof key === 'string' ? { authorization: `Bearer ${key}` } : (key ?? {})),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as
      Partial<ApiError> | string | null,
  };
}

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: ApiError | null;
}

/** A request from another loopback address (Linux routes all of 127/8 to this machine), for per-address limits. */
function requestFrom(localAddress: string, route: string, key?: string) {
  return new Promise<RawAnswer>((resolve, reject) => {
    const url = new URL(route, system.apiUrl);
    const request = http.request(
      url,
      { localAddress, headers: key ? { authorization: `Bearer ${key}` } : {}, agent: false },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            headers: response.headers,
            body: (text ? JSON.parse(text) : null) as ApiError | null,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

describe('the permission matrix, route by route', () => {
  /** Path parameters that name nothing: an allowed request ends in 404 or 422, never changes anything. */
  const SAMPLE: Record<string, string> = {
    orderNumber: 'SO-20990101-999999',
    seq: '1',
    returnNumber: 'RMA-NONE',
    transferNumber: 'TR-NONE',
    ticketNumber: 'RP-NONE',
    code: 'NO-SUCH-PROMOTION',
    sku: 'NO-SUCH-SKU',
    location: 'NOWHERE',
    id: '999999',
    serial: 'NO-SUCH-SERIAL',
  };
  const concrete = (route: ApiRoute) =>
    route.path.replace(/:(\w+)/g, (_m, name: string) => {
      if (!SAMPLE[name]) throw new Error(`no sample value for :${name} in ${route.path}`);
      return SAMPLE[name];
    });
  const guarded = listApiRoutes().filter((r) => r.permission);
  const allowed = (route: ApiRoute, role: Role) => mayDo(role, route.permission!);

  test('every route answers 401 without a key or with a revoked one, 403 exactly where the matrix says (key or session)', async () => {
    expect(guarded.length).toBeGreaterThan(40);
    const before = await lastEventId();
    const mismatches: string[] = [];
    let forbidden = 0;
    for (const route of guarded) {
      const url = concrete(route);
      // A body that fails validation: only the authorization outcome counts, and authorization must come first.
      const body = route.method === 'GET' ? undefined : {};
      // Signing out would end the role's session for the routes after this one: that route gets sessions of its own.
      const sessionOf = async (role: Role) =>
        `${route.method} ${route.path}` === 'DELETE /api/session' ? signIn(keys[role]) : sessions[role];
      const principals: [string, Role | undefined, string | Record<string, string> | null][] = [
        ['no key', undefined, null],
        ['revoked key', undefined, revokedKey],
        ...ROLES.map((role): [string, Role, string] => [role, role, keys[role]]),
        ...(await Promise.all(
          ROLES.map(async (role): Promise<[string, Role, Record<string, string>]> => [
            `${role} session`,
            role,
            await sessionOf(role),
          ]),
        )),
      ];
      await Promise.all(
        principals.map(async ([who, role, key]) => {
          const { status, body: answer } = await call(route.method, url, body, key);
          let ok: boolean;
          const error = errorOf(answer);
          if (!role) ok = status === 401 && error?.code === 'UNAUTHENTICATED';
          else if (!allowed(route, role)) ok = status === 403 && error?.code === 'FORBIDDEN';
          else ok = ![401, 403].includes(status) && status < 500 && !/^No route/.test(error?.message ?? '');
          if (role && !allowed(route, role)) forbidden++;
          if (!ok) mismatches.push(`${route.method} ${route.path} as ${who}: ${status} ${JSON.stringify(answer)}`);
        }),
      );
    }
    expect(mismatches).toEqual([]);

    // Every one of those refusals is in the audit, with who and where.
    const events = await eventually('every refusal recorded', async () => {
      const recorded = await eventsAfter(before);
      return recorded.length >= guarded.length * 2 + forbidden ? recorded : undefined;
    });
    const count = (kind: string) => events.filter((e) => e.kind === kind).length;
    expect(count('MISSING_KEY')).toBe(guarded.length);
    expect(count('REVOKED_KEY')).toBe(guarded.length);
    expect(count('FORBIDDEN')).toBe(forbidden);
    expect(events.filter((e) => e.kind === 'FORBIDDEN').every((e) => e.keyId && e.keyPrefix && e.detail)).toBe(true);
  }, 120_000);

  test('a request without a valid key is refused before its body is read', async () => {
    const malformed = await system.api('POST', '/api/orders', '{"channel": "web",', null);
    expect(malformed.status).toBe(401);
    const text = await fetch(`${system.apiUrl}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(text.status).toBe(401);
    // With a key, the same malformed body is a 400.
    expect((await system.api('POST', '/api/orders', '{"channel": "web",')).status).toBe(400);
  });
});

describe('API keys', () => {
  test('an admin creates a key shown once, lists keys without any hash, and the key works with its role', async () => {
    const created = await system.api<CreatedApiKey>('POST', '/api/admin/keys', { name: 'Anna', role: 'clerk' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: matching.any(Number),
      name: 'Anna',
      role: 'clerk',
      prefix: matching.stringMatching(/^oms_[0-9a-f]{12}$/),
      createdAt: matching.any(String),
      revokedAt: null,
      lastUsedAt: null,
      key: matching.stringMatching(/^oms_[0-9a-f]{12}_[\w-]{43}$/),
    });
    const { id, key, prefix } = created.body;
    expect(key.startsWith(`${prefix}_`)).toBe(true);

    // Stored as scrypt, never the key.
    const row = await system.db.apiKey.findUniqueOrThrow({ where: { id } });
    expect(row.secretHash).toMatch(/^scrypt\$/);
    expect(row.secretHash).not.toContain(key.slice(17));

    expect((await system.api('GET', '/api/orders', undefined, key)).status).toBe(200);
    expect((await system.api('POST', '/api/products', {}, key)).status).toBe(403);

    const listed = await system.api<ApiKeyList>('GET', '/api/admin/keys');
    expect(listed.status).toBe(200);
    const anna = listed.body.keys.find((k) => k.id === id);
    expect(Object.keys(anna!).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'role']);
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(key);
    expect(text).not.toContain(system.adminKey);
    expect(text).not.toMatch(/scrypt|sha256|secretHash/);
    // Last used: written when the key was checked (once per cache period), not on every request.
    await eventually('last used to be recorded', async () => {
      const keys = (await system.api<ApiKeyList>('GET', '/api/admin/keys')).body.keys;
      return keys.find((k) => k.id === id)!.lastUsedAt ? true : undefined;
    });

    expect((await system.api('POST', '/api/admin/keys', { name: 'Bob', role: 'owner' })).status).toBe(422);
    expect((await system.api('POST', '/api/admin/keys', { name: '', role: 'clerk' })).status).toBe(422);
    expect((await system.api('DELETE', '/api/admin/keys/999999')).status).toBe(404);
  });

  test('the bootstrap admin key (any format) is stored with scrypt under its own id', async () => {
    const row = await system.db.apiKey.findUniqueOrThrow({ where: { publicId: 'bootstrap' } });
    expect(row).toMatchObject({ role: 'admin', revokedAt: null, prefix: 'oms_test' });
    expect(row.secretHash).toMatch(/^scrypt\$16384\$8\$1\$/);
  });

  test('revoking through the API refuses the key at once, even though it was just verified', async () => {
    const { id, key } = await createKey('Till 3', 'clerk');
    expect((await system.api('GET', '/api/orders', undefined, key)).status).toBe(200);
    expect((await system.api('GET', '/api/orders', undefined, key)).status).toBe(200); // from the cache
    const before = await lastEventId();

    const revoked = await system.api<ApiKeyRow>('DELETE', `/api/admin/keys/${id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id, revokedAt: matching.any(String) });
    const refused = await system.api<ApiError>('GET', '/api/orders', undefined, key);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('UNAUTHENTICATED');
    const [event] = await eventually('the refusal recorded', async () => {
      const events = await eventsAfter(before);
      return events.length ? events : undefined;
    });
    expect(event).toMatchObject({ kind: 'REVOKED_KEY', keyId: id, method: 'GET', path: '/api/orders' });
  });

  test('npm run keys works on the running system; its revocation applies within the cache period', async () => {
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'scripts', 'keys.ts'), ...args], {
        cwd: ROOT_DIR,
        env: { ...process.env, DATABASE_URL: system.stack.config.databaseUrl },
      });
    const key = (await run('create', '--name', 'Depot', '--role', 'warehouse')).stdout.trim().split('\n').pop()!;
    expect((await system.api('GET', '/api/inventory', undefined, key)).status).toBe(200);
    expect((await system.api('POST', '/api/orders', {}, key)).status).toBe(403);
    const id = (await system.db.apiKey.findUniqueOrThrow({ where: { publicId: key.slice(4, 16) } })).id;

    await run('revoke', String(id));
    const revokedAt = Date.now();
    await eventually(
      'the API to refuse the revoked key',
      async () => ((await system.api('GET', '/api/inventory', undefined, key)).status === 401 ? true : undefined),
      (KEY_CACHE_TTL_S + 5) * 1000,
    );
    expect(Date.now() - revokedAt).toBeLessThanOrEqual((KEY_CACHE_TTL_S + 1) * 1000);
  }, 60_000);
});

describe('refused attempts are audited for admins', () => {
  test('kind, key, method, path and address; never the secret, never the query', async () => {
    const { id, key, prefix } = await createKey('Audited', 'warehouse');
    const wrongSecret = `${prefix}_${'x'.repeat(43)}`;
    const before = await lastEventId();

    expect((await system.api('GET', '/api/orders?q=li.lei@example.com', undefined, wrongSecret)).status).toBe(401);
    expect((await system.api('GET', '/api/products', undefined, 'not-the-bootstrap-key')).status).toBe(401);
    expect((await system.api('POST', '/api/orders', {}, key)).status).toBe(403);
    const event = JSON.stringify({
      eventId: 'e1',
      trackingNumber: 'LC1CN',
      status: 'DELIVERED',
      occurredAt: new Date(),
    });
    const webhook = await fetch(`${system.apiUrl}/api/carriers/local/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-carrier-signature': signPayload('not-the-secret', event) },
      body: event,
    });
    expect(webhook.status).toBe(401);

    const events = await eventually('four events', async () => {
      const recorded = await eventsAfter(before);
      return recorded.length >= 4 ? recorded : undefined;
    });
    const common = { ip: '127.0.0.1', at: matching.any(String) };
    expect(events).toHaveLength(4);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ...common,
          kind: 'WRONG_SECRET',
          keyId: id,
          keyPrefix: prefix,
          method: 'GET',
          path: '/api/orders',
        }),
        expect.objectContaining({ ...common, kind: 'UNKNOWN_KEY', keyId: null, method: 'GET', path: '/api/products' }),
        expect.objectContaining({
          ...common,
          kind: 'FORBIDDEN',
          keyId: id,
          keyPrefix: prefix,
          method: 'POST',
          path: '/api/orders',
          detail: 'orders.create',
        }),
        expect.objectContaining({ ...common, kind: 'BAD_SIGNATURE', path: '/api/carriers/local/events' }),
      ]),
    );
    const text = JSON.stringify(await eventsAfter(0));
    for (const secret of ['x'.repeat(43), 'not-the-bootstrap-key', key.slice(17), 'li.lei']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('rate limits', () => {
  test(`intake: past ${INTAKE_LIMIT} orders a minute one key gets 429 with Retry-After; other keys go on`, async () => {
    const { id, key } = await createKey('Busy channel', 'clerk');
    const before = await lastEventId();
    // Invalid bodies count too: the limit sits before validation.
    for (let i = 0; i < INTAKE_LIMIT; i++) expect((await system.api('POST', '/api/orders', {}, key)).status).toBe(422);
    const limited = await fetch(`${system.apiUrl}/api/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await json<ApiError>(limited)).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: matching.stringContaining('Too many orders'),
        details: { retryAfterSeconds: retryAfter },
      },
    });
    expect((await system.api('POST', '/api/orders', {}, key)).status).toBe(429);
    expect((await system.api('GET', '/api/orders', undefined, key)).status).toBe(200); // only intake is limited
    expect((await system.api('POST', '/api/orders', {}, keys.manager)).status).toBe(422);

    const events = await eventually('the first refusal recorded', async () => {
      const recorded = (await eventsAfter(before)).filter((e) => e.kind === 'RATE_LIMITED');
      return recorded.length ? recorded : undefined;
    });
    expect(events).toEqual([expect.objectContaining({ keyId: id, path: '/api/orders' })]); // once per window
  });

  test(`failed authentication: past ${AUTH_FAILURE_LIMIT} an address is refused, except keys that verify`, async () => {
    const address = '127.0.0.2';
    const unknown = `oms_000000000000_${'y'.repeat(43)}`;
    for (let i = 0; i < AUTH_FAILURE_LIMIT; i++) {
      const { status } = await requestFrom(address, '/api/products', unknown);
      if (status !== 401) throw new Error(`attempt ${i + 1}: ${status}`);
    }
    const limited = await requestFrom(address, '/api/products', unknown);
    expect(limited.status).toBe(429);
    // Made-up keys are refused without a check; a real key id gets one check a second (api/auth-limits.ts).
    expect(Number(limited.headers['retry-after'])).toBe(1);
    expect(limited.body!.error.code).toBe('RATE_LIMITED');
    // So a new till behind the same address still gets in...
    const fresh = await system.api<CreatedApiKey>('POST', '/api/admin/keys', { name: 'new till', role: 'clerk' });
    expect(fresh.status).toBe(201);
    expect((await requestFrom(address, '/api/products', fresh.body.key)).status).toBe(200);
    // ...and a key in use (verified lately) keeps working: other tills behind the address go on selling.
    expect((await requestFrom(address, '/api/products', system.adminKey)).status).toBe(200);
    // Other addresses are not affected.
    expect((await requestFrom('127.0.0.1', '/api/products', system.adminKey)).status).toBe(200);
    const events = await eventually('the address recorded once', async () => {
      const recorded = (await eventsAfter(0)).filter((e) => e.kind === 'RATE_LIMITED' && e.ip === address);
      return recorded.length ? recorded : undefined;
    });
    expect(events).toHaveLength(1);
  }, 60_000);
});

test('secure headers on every answer, refusals included', async () => {
  for (const response of [
    await fetch(`${system.apiUrl}/api/health`),
    await fetch(`${system.apiUrl}/api/orders`),
    await fetch(`${system.apiUrl}/api/orders`, { headers: { authorization: `Bearer ${keys.clerk}` } }),
  ]) {
    const header = (name: string) => response.headers.get(name);
    expect(header('content-security-policy')).toContain("default-src 'self'");
    expect(header('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(header('x-content-type-options')).toBe('nosniff');
    expect(header('x-frame-options')).toBe('SAMEORIGIN');
    expect(header('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(header('referrer-policy')).toBe('no-referrer');
    expect(header('cross-origin-opener-policy')).toBe('same-origin');
    expect(header('x-powered-by')).toBeNull();
  }
});

/**
 * The failed-authentication limit against guesses sent in parallel (api/auth-limits.ts), on the app itself with a
 * real database: scrypt checks are counted by watching verifySecret, the one place a presented key is checked.
 * Also: an unknown key id costs the same scrypt as a known one (access/key-store.ts).
 */
import * as keySecrets from '../../access/key-secrets';
import { checkApiKey, createApiKey, DUMMY_HASH } from '../../access/key-store';
import { SLOW_LANE_MS } from '../../api/auth-limits';
import { requestFrom, startTestApp, type Answer, type TestApp } from '../support/app';

const LIMIT = 100;
const guess = (i: number) => `oms_${i.toString(16).padStart(12, '0')}_${'g'.repeat(43)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let app: TestApp;
/** Every scrypt check of a presented key, with how many ran at once at most, in all and per key id. */
const checks = { count: 0, running: 0, maxRunning: 0, byKeyId: new Map<string, { running: number; max: number }>() };
const keyIdOf = (key: string) => key.slice(0, 'oms_'.length + 12);
const verifySecret = keySecrets.verifySecret;

beforeAll(async () => {
  // OMS_KEY_CACHE_TTL=0: no short memory of verified keys, so every request of a good key reaches its check.
  app = await startTestApp({ OMS_AUTH_FAILURE_LIMIT: `${LIMIT}/15m`, OMS_KEY_CACHE_TTL: '0s' });
  jest.spyOn(keySecrets, 'verifySecret').mockImplementation(async (key, stored) => {
    checks.count++;
    checks.maxRunning = Math.max(checks.maxRunning, ++checks.running);
    const ofKeyId = checks.byKeyId.get(keyIdOf(key)) ?? { running: 0, max: 0 };
    checks.byKeyId.set(keyIdOf(key), ofKeyId);
    ofKeyId.max = Math.max(ofKeyId.max, ++ofKeyId.running);
    try {
      return await verifySecret(key, stored);
    } finally {
      checks.running--;
      ofKeyId.running--;
    }
  });
}, 60_000);
afterAll(async () => {
  jest.restoreAllMocks();
  await app?.close();
});
beforeEach(() => Object.assign(checks, { count: 0, maxRunning: 0 }));

const statuses = (answers: Answer[]) => {
  const counted: Record<number, number> = {};
  for (const { status } of answers) counted[status] = (counted[status] ?? 0) + 1;
  return counted;
};

test(`${3 * LIMIT} wrong guesses at once from one address: at most ${LIMIT} scrypt checks, the rest 429 at once`, async () => {
  const answers = await Promise.all(
    Array.from({ length: 3 * LIMIT }, (_, i) =>
      requestFrom(app, '127.0.0.2', 'GET', '/api/products', { key: guess(i) }),
    ),
  );
  const counted = statuses(answers);
  expect(Object.keys(counted).sort()).toEqual(['401', '429']);
  expect(counted[401]).toBeLessThanOrEqual(LIMIT);
  expect(checks.count).toBe(counted[401]);
  expect(checks.maxRunning).toBeLessThanOrEqual(4);
  const refused = answers.find((a) => a.status === 429)!;
  expect(refused.body.error).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 1 } });
  expect(refused.headers['retry-after']).toBe('1');
}, 60_000);

test(`guesses as fast as the limit lets them: exactly ${LIMIT} checked, and made-up keys past it none`, async () => {
  const answers: Answer[] = [];
  let next = 0;
  // Four at a time, as many as one address may have checked at once: each is refused for the count alone.
  const worker = async () => {
    while (next < 3 * LIMIT)
      answers.push(await requestFrom(app, '127.0.0.3', 'GET', '/api/products', { key: guess(next++) }));
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const counted = statuses(answers);
  // Past the limit only a key id that exists gets a check (one a second): these are made up.
  expect(counted[401]).toBe(LIMIT);
  expect(checks.count).toBe(counted[401]);
  expect(counted[429]).toBe(3 * LIMIT - counted[401]);
}, 60_000);

test('past the limit, guesses at a real key id get one check a second', async () => {
  const address = '127.0.0.3'; // past its limit since the test above
  const target = await createApiKey(app.db, { name: 'Known till', role: 'clerk' });
  const wrong = (i: number) => `${target.prefix}_${String(i).padStart(43, 'v')}`;
  checks.count = 0;
  /** Ten guesses one after the other: one check, and one more for each second they took (a loaded box is slow). */
  const burst = async (from: number) => {
    const answers: Answer[] = [];
    const started = Date.now();
    for (let i = from; i < from + 10; i++) {
      answers.push(await requestFrom(app, address, 'GET', '/api/products', { key: wrong(i) }));
    }
    const counted = statuses(answers);
    expect(counted[401]).toBeGreaterThanOrEqual(1);
    expect(counted[401]).toBeLessThanOrEqual(1 + Math.floor((Date.now() - started) / SLOW_LANE_MS));
    expect(counted[401] + counted[429]).toBe(10);
    return counted[401];
  };
  const checked = (await burst(0)) + (await sleep(SLOW_LANE_MS + 100), await burst(10));
  expect(checks.count).toBe(checked);
}, 60_000);

test('one key id guessed from many addresses: at most two scrypt checks of it at once', async () => {
  const target = await createApiKey(app.db, { name: 'Target till', role: 'clerk' });
  const wrong = (i: number) => `${target.prefix}_${String(i).padStart(43, 'w')}`;
  const answers = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      requestFrom(app, `127.0.1.${1 + (i % 20)}`, 'GET', '/api/products', { key: wrong(i) }),
    ),
  );
  const maxRunning = checks.byKeyId.get(target.prefix)?.max;
  expect(maxRunning).toBeGreaterThan(0);
  expect(maxRunning).toBeLessThanOrEqual(2);
  expect(statuses(answers)[429]).toBeGreaterThan(0);
  expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
}, 60_000);

test('a shop of 10 tills behind one address, each checked at once (an API just restarted): every till gets in', async () => {
  const tills = await Promise.all(
    Array.from({ length: 10 }, (_, i) => createApiKey(app.db, { name: `Opening till ${i}`, role: 'clerk' })),
  );
  const answers = await Promise.all(
    tills.map((till) => requestFrom(app, '127.0.0.9', 'GET', '/api/products', { key: till.key })),
  );
  expect(answers.map((a) => a.status)).toEqual(tills.map(() => 200));
  expect(checks.maxRunning).toBeLessThanOrEqual(4);
}, 60_000);

test('during and after a flood of guesses from the shop address, genuine keys still get in', async () => {
  const shop = '127.0.0.4';
  // A till that signed in yesterday (from anywhere): known good, never held back by the address's limit.
  const till = await createApiKey(app.db, { name: 'Till 1', role: 'clerk' });
  expect((await requestFrom(app, '127.0.0.1', 'GET', '/api/products', { key: till.key })).status).toBe(200);
  // A till set up today, whose key this API has never seen.
  const newTill = await createApiKey(app.db, { name: 'Till 2', role: 'clerk' });

  let flooding = true;
  let sent = 0;
  let refusedAsWrong = 0;
  const flood = async () => {
    while (flooding) {
      const answer = await requestFrom(app, shop, 'GET', '/api/products', { key: guess(10_000 + sent++) });
      if (answer.status === 401) refusedAsWrong++;
    }
  };
  const floods = Array.from({ length: 8 }, flood);
  try {
    while (refusedAsWrong < LIMIT) await sleep(20);
    await sleep(500); // the address is past its limit, and the flood goes on
    const during = await requestFrom(app, shop, 'GET', '/api/products', { key: till.key });
    expect(during.status).toBe(200);
    // The new till is told to wait a second at a time, and gets in; a flood cannot keep it out for long.
    let answer = await requestFrom(app, shop, 'GET', '/api/products', { key: newTill.key });
    const deadline = Date.now() + 20_000;
    while (answer.status === 429 && Date.now() < deadline) {
      expect(Number(answer.headers['retry-after'])).toBeLessThanOrEqual(1);
      await sleep(Number(answer.headers['retry-after']) * 1000);
      answer = await requestFrom(app, shop, 'GET', '/api/products', { key: newTill.key });
    }
    expect(answer.status).toBe(200);
  } finally {
    flooding = false;
    await Promise.all(floods);
  }
  // Made-up keys past the limit cost no scrypt: the flood got its limit's worth of checks, no more.
  expect(refusedAsWrong).toBe(LIMIT);
  // After the flood: both work at once, though the address is still past its limit for guesses.
  expect((await requestFrom(app, shop, 'GET', '/api/products', { key: till.key })).status).toBe(200);
  expect((await requestFrom(app, shop, 'GET', '/api/products', { key: newTill.key })).status).toBe(200);
  expect((await requestFrom(app, shop, 'GET', '/api/products', { key: guess(99_999) })).status).toBe(429);
}, 60_000);

test('a revoked key is no longer let past the limit, nor checked once the address is past it', async () => {
  const address = '127.0.0.5';
  const till = await createApiKey(app.db, { name: 'Till 3', role: 'clerk' });
  expect((await requestFrom(app, address, 'GET', '/api/products', { key: till.key })).status).toBe(200);
  const admin = await createApiKey(app.db, { name: 'Admin', role: 'admin' });
  const revoked = await requestFrom(app, '127.0.0.1', 'DELETE', `/api/admin/keys/${till.id}`, { key: admin.key });
  expect(revoked.status).toBe(200);
  let next = 0;
  const worker = async () => {
    while (next < LIMIT) await requestFrom(app, address, 'GET', '/api/products', { key: guess(20_000 + next++) });
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await sleep(1_100);
  checks.count = 0;
  const answer = await requestFrom(app, address, 'GET', '/api/products', { key: till.key });
  expect(answer.status).toBe(429);
  expect(checks.count).toBe(0);
  // From an address under its limit it is checked, and refused as revoked.
  expect((await requestFrom(app, '127.0.0.6', 'GET', '/api/products', { key: till.key })).status).toBe(401);
}, 60_000);

test('an unknown key id costs the same scrypt check as a known one', async () => {
  const known = await createApiKey(app.db, { name: 'Till 4', role: 'clerk' });
  const calls = jest.spyOn(keySecrets, 'verifySecret');
  calls.mockClear();
  const wrongSecret = `${known.prefix}_${'x'.repeat(43)}`;
  expect(await checkApiKey(app.db, wrongSecret)).toMatchObject({ ok: false, kind: 'WRONG_SECRET' });
  expect(await checkApiKey(app.db, guess(424_242))).toMatchObject({ ok: false, kind: 'UNKNOWN_KEY' });
  expect(await checkApiKey(app.db, 'no-bootstrap-key-is-set-here')).toEqual({ ok: false, kind: 'UNKNOWN_KEY' });
  expect(calls.mock.calls.map(([key]) => key)).toEqual([wrongSecret, guess(424_242), 'no-bootstrap-key-is-set-here']);
  // The stand-in hash has today's scrypt parameters, so it costs what a real one does.
  expect(calls.mock.calls[1][1]).toBe(DUMMY_HASH);
  expect(DUMMY_HASH).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
});

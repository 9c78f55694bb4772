/**
 * Rate limits across API processes (api/shared-counts.ts): two apps on one database, as two API processes behind a
 * balancer, count a key's lookups together in Redis, so the limit holds for the pair and not once per process. And
 * a Redis that is away lets requests through rather than failing them.
 */
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { createApiKey } from '../../access/key-store';
import { closeSharedCounts } from '../../api/shared-counts';
import { requestFrom, startTestApp, type TestApp } from '../support/app';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMIT = 4;
const prefix = `shop-oms-test-${crypto.randomBytes(4).toString('hex')}`;
const apps: TestApp[] = [];
const redis = new Redis(REDIS_URL, { lazyConnect: true });

afterAll(async () => {
  for (const app of apps) await app.close();
  closeSharedCounts();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

test('two API processes share one key lookup limit through Redis', async () => {
  await redis.connect();
  const settings = { OMS_REDIS_URL: REDIS_URL, OMS_REDIS_PREFIX: prefix, OMS_LOOKUP_RATE_LIMIT: `${LIMIT}/1m` };
  const first = await startTestApp(settings);
  apps.push(first);
  const second = await startTestApp({ ...settings, DATABASE_URL: first.databaseUrl });
  apps.push(second);
  const { key } = await createApiKey(first.db, { name: 'Till 1', role: 'clerk' });

  const statuses: number[] = [];
  for (let i = 0; i < LIMIT + 2; i++) {
    const app = i % 2 === 0 ? first : second;
    statuses.push((await requestFrom(app, '127.0.0.1', 'GET', '/api/orders', { key })).status);
  }
  // Each process saw only half the requests: counted apart, all six would have passed.
  expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  expect(await redis.keys(`${prefix}:rate:lookups:*`)).toHaveLength(1);
}, 60_000);

test('with Redis away, the limits let requests through instead of failing them', async () => {
  const away = await startTestApp({
    OMS_REDIS_URL: 'redis://127.0.0.1:1',
    OMS_REDIS_PREFIX: prefix,
    OMS_LOOKUP_RATE_LIMIT: '1/1m',
  });
  apps.push(away);
  const { key } = await createApiKey(away.db, { name: 'Till 2', role: 'clerk' });
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++)
    statuses.push((await requestFrom(away, '127.0.0.1', 'GET', '/api/orders', { key })).status);
  expect(statuses).toEqual([200, 200, 200]);
}, 60_000);

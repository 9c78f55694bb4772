/**
 * GET /api/metrics on the app with a real SQLite database: requests counted by their route's pattern (never the raw
 * path), refusals before routing included; orders by status and open warnings counted from the database when
 * scraped; a manager's key or an admin's needed. And the worker's metrics address (OMS_WORKER_METRICS_ADDRESS).
 */
import { createApiKey } from '../../access/key-store';
import { loadConfig } from '../../lib/config';
import { requestFrom, startTestApp, type TestApp } from '../support/app';

let app: TestApp;
const keys: Record<'admin' | 'manager' | 'clerk' | 'warehouse', string> = {
  admin: '',
  manager: '',
  clerk: '',
  warehouse: '',
};

beforeAll(async () => {
  app = await startTestApp();
  for (const role of Object.keys(keys) as (keyof typeof keys)[]) {
    keys[role] = (await createApiKey(app.db, { name: `metrics ${role}`, role })).key;
  }
}, 60_000);
afterAll(() => app?.close());

const get = (route: string, key?: string) => requestFrom(app, '127.0.0.1', 'GET', route, { key });

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The metrics as Prometheus reads them: one sample a line, comments left out. */
async function scrape(): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(`${app.url}/api/metrics`, { headers: { authorization: `Bearer ${keys.manager}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const samples = text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, name, labelText, value] = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      const labels = Object.fromEntries([...(labelText ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      return { name, labels, value: Number(value) };
    });
  return { text, samples };
}

const valueOf = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('GET /api/metrics', () => {
  test('refuses without a key (401) and with a clerk or warehouse key (403); a manager and an admin may', async () => {
    expect((await get('/api/metrics')).body.error?.code).toBe('UNAUTHENTICATED');
    for (const role of ['clerk', 'warehouse'] as const) {
      const answer = await get('/api/metrics', keys[role]);
      expect(answer.status).toBe(403);
      expect(answer.body.error).toMatchObject({ code: 'FORBIDDEN', details: { permission: 'metrics.read' } });
    }
    expect((await get('/api/metrics', keys.admin)).status).toBe(200);
    expect((await get('/api/metrics', keys.manager)).status).toBe(200);
  });

  test("requests are counted by method, route pattern and status, never by the path's ids", async () => {
    const number = 'SO-20990101-424242';
    expect((await get(`/api/orders/${number}`, keys.admin)).status).toBe(404);
    expect((await get(`/api/orders/${number}`, keys.admin)).status).toBe(404);
    expect((await get(`/api/orders/${number}`)).status).toBe(401); // refused before any route took it
    expect((await get('/api/no/such/thing', keys.admin)).status).toBe(404);
    expect((await get('/api/orders/summary', keys.admin)).status).toBe(422); // no period given
    expect((await get('/api/orders/summary')).status).toBe(401); // a static path before a parametric one

    const { text, samples } = await scrape();
    expect(text).not.toContain(number);
    expect(text).not.toContain('/api/no/such');
    const route = '/api/orders/:orderNumber';
    expect(valueOf(samples, 'oms_http_requests_total', { method: 'GET', route, status: '404' })).toBe(2);
    expect(valueOf(samples, 'oms_http_requests_total', { method: 'GET', route, status: '401' })).toBe(1);
    for (const status of ['422', '401']) {
      expect(valueOf(samples, 'oms_http_requests_total', { method: 'GET', route: '/api/orders/summary', status })).toBe(
        1,
      );
    }
    expect(valueOf(samples, 'oms_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    // The refusals of the first test, under the route they were sent to.
    expect(
      valueOf(samples, 'oms_http_requests_total', { method: 'GET', route: '/api/metrics', status: '403' }),
    ).toBeGreaterThanOrEqual(2);
    // Latency, by method and route: every one of those three requests observed.
    expect(valueOf(samples, 'oms_http_request_duration_seconds_count', { method: 'GET', route })).toBe(3);
    expect(valueOf(samples, 'oms_http_request_duration_seconds_bucket', { method: 'GET', route, le: '+Inf' })).toBe(3);
    // The process's own figures, in our registry.
    expect(samples.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
  });

  test('orders by status and open warnings are counted from the database at each scrape', async () => {
    const before = (await scrape()).samples;
    expect(valueOf(before, 'oms_orders', { status: 'PICKING' })).toBe(0);
    expect(valueOf(before, 'oms_metrics_database_up', {})).toBe(1);

    const statuses = ['PICKING', 'PICKING', 'SHIPPED', 'CANCELLED'];
    for (const [i, status] of statuses.entries()) {
      await app.db.order.create({
        data: {
          orderNumber: `SO-20261202-00000${i + 1}`,
          channel: 'web',
          externalId: `metrics-${i}`,
          status,
          customerName: 'Li Lei',
          customerEmail: 'li.lei@example.com',
          customerPhone: '+8613800138000',
          shippingAddress: {},
          totalMinor: 100,
          paymentStatus: 'COD',
        },
      });
    }
    await app.db.warning.createMany({
      data: [
        { kind: 'LOW_STOCK', key: 'a', openKey: 'LOW_STOCK:a', message: 'low' },
        { kind: 'LOW_STOCK', key: 'b', openKey: null, message: 'cleared', clearedAt: new Date() },
        { kind: 'DELAY', key: 'c', openKey: 'DELAY:c', message: 'late' },
      ],
    });

    const { samples } = await scrape();
    expect(
      Object.fromEntries(
        samples.filter((s) => s.name === 'oms_orders' && s.value > 0).map((s) => [s.labels.status, s.value]),
      ),
    ).toEqual({ PICKING: 2, SHIPPED: 1, CANCELLED: 1 });
    expect(valueOf(samples, 'oms_orders', { status: 'DELIVERED' })).toBe(0);
    expect(valueOf(samples, 'oms_warnings_open', { kind: 'LOW_STOCK' })).toBe(1);
    expect(valueOf(samples, 'oms_warnings_open', { kind: 'DELAY' })).toBe(1);
  });
});

describe('OMS_WORKER_METRICS_ADDRESS', () => {
  test('unset: no worker metrics; an IP and a port are taken as given', () => {
    expect(loadConfig({}).workerMetricsAddress).toBeUndefined();
    expect(loadConfig({ OMS_WORKER_METRICS_ADDRESS: '127.0.0.1:9464' }).workerMetricsAddress).toBe('127.0.0.1:9464');
    expect(loadConfig({ OMS_WORKER_METRICS_ADDRESS: '0.0.0.0:9464' }).workerMetricsAddress).toBe('0.0.0.0:9464');
    expect(loadConfig({ OMS_WORKER_METRICS_ADDRESS: '[::1]:9464' }).workerMetricsAddress).toBe('[::1]:9464');
    // Not among the Worker's own options (config.worker is spread into Worker.create).
    expect(Object.keys(loadConfig({ OMS_WORKER_METRICS_ADDRESS: '127.0.0.1:9464' }).worker)).not.toContain(
      'workerMetricsAddress',
    );
  });

  test.each(['9464', 'localhost:9464', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', '::1:9464', '[127.0.0.1]:9464'])(
    '%s is refused, naming the variable and the form expected',
    (address) => {
      expect(() => loadConfig({ OMS_WORKER_METRICS_ADDRESS: address })).toThrow(
        `OMS_WORKER_METRICS_ADDRESS: expected <ip>:<port> such as 127.0.0.1:9464 or [::1]:9464, got "${address}"`,
      );
    },
  );
});

/**
 * Prometheus metrics of one API app (GET /api/metrics, api/routes/metrics.ts), in registries of our own (never
 * prom-client's global one): requests and their latency by method and route pattern, counted in memory as each
 * answer finishes (no database work per request), and gauges read from the database when scraped.
 */
import type { Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/client';
import { ORDER_STATUSES } from '../domain/order-status';
import { describeError } from '../lib/redact';
import { log } from '../lib/log';
import type { ApiGroup } from './operations';

/** The route label of a path under /api that no operation serves, and of paths outside /api (the console's files). */
export const UNMATCHED_ROUTE = 'unmatched';
export const CONSOLE_ROUTE = 'console';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The process's own figures (CPU, memory, event loop, GC), collected once per process however many apps it builds. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

interface Pattern {
  route: string;
  method: string;
  regex: RegExp;
  params: number;
}

/** `/api/orders/:orderNumber` as a regex for one path segment per parameter. */
function patternOf(method: string, route: string): Pattern {
  const source = route
    .split(/(:\w+)/)
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return {
    route,
    method: method.toUpperCase(),
    regex: new RegExp(`^${source}/?$`),
    params: route.split(':').length - 1,
  };
}

export interface ApiMetrics {
  /** Counts every request as its answer finishes; install first, so refusals before any route count too. */
  middleware: RequestHandler;
  /** The metrics in Prometheus's text format, the gauges read from the database now. */
  scrape(): Promise<{ contentType: string; text: string }>;
}

export function createApiMetrics(db: Db, groups: readonly ApiGroup[]): ApiMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'oms_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'oms_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer finishing, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const databaseUp = new Gauge({
    name: 'oms_metrics_database_up',
    help: '1 when the gauges below were read from the database at this scrape, 0 when it did not answer',
    registers: [registry],
  });
  const orders = new Gauge({
    name: 'oms_orders',
    help: 'Orders stored, by status',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const warnings = new Gauge({
    name: 'oms_warnings_open',
    help: 'Warnings open (low stock, order delays), by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });

  // Requests refused before any route took them (no key: 401, too many failures: 429, a malformed path: 400) are
  // named by the pattern they would have reached; a static path wins over a parametric one (`/summary`).
  const patterns = groups
    .flatMap((group) =>
      Object.values(group.operations).map((op) =>
        patternOf(op.method, `${group.mount}${op.path}`.replace(/(.)\/$/, '$1')),
      ),
    )
    .sort((a, b) => a.params - b.params);
  const routeOf = (req: Request, res: Response): string => {
    // Noted by route() (api/operations.ts) when a route took the request: exactly what Express matched.
    const noted = res.locals.routePattern as string | undefined;
    if (noted) return noted;
    const path = req.originalUrl.split('?')[0];
    if (!/^\/api(\/|$)/.test(path)) return CONSOLE_ROUTE;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    return patterns.find((p) => p.method === method && p.regex.test(path))?.route ?? UNMATCHED_ROUTE;
  };

  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const method = METHODS.has(req.method) ? req.method : 'OTHER';
      const route = routeOf(req, res);
      requests.inc({ method, route, status: String(res.statusCode) });
      latency.observe({ method, route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };

  /** One grouped count per table; every known status is listed, at 0 when no order has it. */
  async function readGauges(): Promise<void> {
    let counts;
    try {
      counts = await Promise.all([
        db.order.groupBy({ by: ['status'], _count: { _all: true } }),
        db.warning.groupBy({ by: ['kind'], where: { openKey: { not: null } }, _count: { _all: true } }),
      ]);
    } catch (err) {
      // The request metrics still matter most when the database is down: answer them, without stale gauges.
      log.warn(`metrics: reading the gauges failed: ${describeError(err)}`);
    }
    // Set at once, after the reads: scrapes that overlap never see a half-filled gauge.
    orders.reset();
    warnings.reset();
    databaseUp.set(counts ? 1 : 0);
    if (!counts) return;
    const [byStatus, openWarnings] = counts;
    for (const status of ORDER_STATUSES) orders.set({ status }, 0);
    for (const row of byStatus) orders.set({ status: row.status }, row._count._all);
    for (const row of openWarnings) warnings.set({ kind: row.kind }, row._count._all);
  }

  return {
    middleware,
    scrape: async () => {
      await readGauges();
      const merged = Registry.merge([processMetrics(), registry]);
      return { contentType: merged.contentType, text: await merged.metrics() };
    },
  };
}

/** GET /api/metrics: the API's Prometheus metrics (api/metrics.ts), for a Prometheus scraping with a key. */
import { Router } from 'express';
import type { ApiMetrics } from '../metrics';
import { apiGroup, route } from '../operations';

export const metricsApi = apiGroup({
  mount: '/api/metrics',
  tag: 'Metrics',
  description:
    'For Prometheus (docs/operations.md, "Metrics"): its scrape config sends a manager key as `Authorization: Bearer <key>`.',
  operations: {
    metrics: {
      method: 'get',
      path: '/',
      summary: 'Prometheus metrics of this API process',
      description:
        "Prometheus's text format: `oms_http_requests_total{method,route,status}` and `oms_http_request_duration_seconds{method,route}` (the route's pattern, e.g. `/api/orders/:orderNumber`; `unmatched` for a path no route serves, `console` outside /api), this process's CPU, memory and event loop, and read from the database when scraped: `oms_orders{status}`, `oms_warnings_open{kind}` and `oms_metrics_database_up`. Requests are counted per process: scrape every API process.",
      permission: 'metrics.read',
      responses: { 200: 'The metrics, `text/plain; version=0.0.4`' },
      answers: 'text',
    },
  },
});

export function metricsRoutes(metrics: ApiMetrics): Router {
  const router = Router();
  route(router, metricsApi.operations.metrics, async (_req, res) => {
    const { contentType, text } = await metrics.scrape();
    res.set('Cache-Control', 'no-store').type(contentType).send(text);
  });
  return router;
}

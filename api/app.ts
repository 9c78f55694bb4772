/** The Express app: validates, authorizes and hands off to workflows and services. */
import express from 'express';
import helmet from 'helmet';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import type { Config } from '../lib/config';
import type { NotifyManager } from '../inventory/low-stock';
import { log } from '../lib/log';
import { describeError } from '../lib/redact';
import { API_GROUPS } from './api-groups';
import { authenticate, installAccess } from './auth';
import { bodyReader, PROTECTED_BODY, SIGN_IN_BODY, WEBHOOK_BODY } from './body';
import { consoleRoutes } from './console';
import { changesRoutes } from './routes/changes';
import { errorHandler, notFoundHandler } from './errors';
import { openApiDocument } from './openapi';
import { createApiMetrics } from './metrics';
import { lookupRateLimit } from './rate-limits';
import { recordSecurityEvents } from './security-events';
import { requestSpans } from './request-spans';
import { adminRoutes } from './routes/admin';
import { carrierRoutes } from './routes/carriers';
import { codecRoutes } from './routes/codec';
import { catalogueRoutes } from './routes/catalogue';
import { csvRoutes } from './routes/csv';
import { docsRoutes } from './routes/docs';
import { inventoryRoutes } from './routes/inventory';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import { orderRoutes } from './routes/orders';
import { returnRoutes } from './routes/returns';
import { sessionAdminRoutes, sessionRoutes, signInRoutes } from './routes/sessions';
import { customerRoutes } from './routes/customers';
import { trackingRoutes } from './routes/track';
import { transferRoutes } from './routes/transfers';
import { pricingRoutes } from './routes/pricing';
import { promotionRoutes } from './routes/promotions';
import { repairRoutes } from './routes/repairs';
import { reportRoutes } from './routes/reports';

export function createApp(
  db: Db,
  temporal: Client,
  config: Config,
  notifyManager: NotifyManager,
  serveBackorders: () => Promise<unknown> = () => Promise.resolve(0),
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // With tracing on, a span per request (api/request-spans.ts), before anything else so it holds the whole answer.
  const spans = requestSpans();
  if (spans) app.use(spans);
  // First, so every answer counts, refusals before any route too (api/metrics.ts); in memory, no database work.
  const metrics = createApiMetrics(db, API_GROUPS);
  app.use(metrics.middleware);
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  installAccess(app, config);
  // Secure headers on every answer. Not upgrade-insecure-requests: the API is served over plain HTTP by default.
  // The console (api/console.ts) loads only its own scripts ('self', helmet's default); its styles need
  // 'unsafe-inline' too, as Ant Design's CSS-in-JS writes <style> elements at run time. Nothing from another host.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { upgradeInsecureRequests: null, styleSrc: ["'self'", "'unsafe-inline'"] },
      },
    }),
  );
  app.use(recordSecurityEvents(db));
  const readBody = bodyReader({ ...PROTECTED_BODY, csv: config.csvImport.maxBody });

  app.use('/api/health', healthRoutes(db, temporal));
  // The API described (GET /api/openapi.json, GET /api/docs): public, like the health check.
  app.use(
    '/api',
    docsRoutes(() => openApiDocument(API_GROUPS)),
  );
  // The webhook checks its caller itself (a signature over the raw body), after reading a small body.
  // Every other route authenticates first: a request without a valid key or session never has its body read.
  app.use('/api/carriers', bodyReader(WEBHOOK_BODY, { public: true }), carrierRoutes(db, temporal, config));
  // Before the global check: the UI's CORS preflight carries no key, and the codec needs no CSRF token (codec.ts);
  // it authenticates before reading the body itself.
  app.use('/api/codec', codecRoutes(db, config));
  // Signing in (POST /api/session) checks the key in its body itself; GET and DELETE come after authentication.
  const temporalUi = config.temporalUiUrl
    ? { url: config.temporalUiUrl, namespace: config.temporalNamespace }
    : undefined;
  app.use('/api/session', signInRoutes(db, bodyReader(SIGN_IN_BODY, { public: true }), temporalUi));
  app.use('/api', authenticate(db), readBody);
  app.use('/api/session', sessionRoutes(db, temporalUi));
  // Stock may have arrived (receipt, count, transfer, import): serve waiting backorders now, not at the next sweep.
  app.use(/^\/api\/(inventory|transfers|import)/, (req, res, next) => {
    res.on('finish', () => {
      if (req.method === 'POST' && res.statusCode < 300) {
        serveBackorders().catch((err) => log.warn(`backorder sweep failed: ${describeError(err)}`));
      }
    });
    next();
  });
  app.use('/api/changes', changesRoutes(db));
  app.use('/api/metrics', metricsRoutes(metrics));
  // Reads of customer data, per key (OMS_LOOKUP_RATE_LIMIT): enumerating order numbers gains a few a second.
  app.use(['/api/orders', '/api/returns', '/api/customers', '/api/repairs'], lookupRateLimit(config));
  app.use('/api/orders', orderRoutes(db, temporal, config));
  app.use('/api/returns', returnRoutes(db, temporal));
  app.use('/api/customers', customerRoutes(db, config.loyalty));
  app.use('/api/transfers', transferRoutes(db, temporal, config));
  app.use('/api/repairs', repairRoutes(db, temporal, config));
  app.use('/api/promotions', promotionRoutes(db));
  app.use('/api/pricing', pricingRoutes(db, config));
  app.use('/api/reports', reportRoutes(db));
  app.use('/api', csvRoutes(db, config.csvImport));
  app.use('/api', catalogueRoutes(db));
  app.use('/api', inventoryRoutes(db, notifyManager, config.countLowerLimit));
  app.use('/api/admin/sessions', sessionAdminRoutes(db));
  app.use('/api/admin', adminRoutes(db));
  // The customers' tracking pages: no key, the token in the path is the key (api/routes/track.ts).
  app.use('/track', trackingRoutes(db, temporal, config));
  // The staff console at / (static files, index.html for its own paths); never for /api.
  app.use(consoleRoutes(config.consoleDir));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

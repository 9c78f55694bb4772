/**
 * With tracing on (lib/tracing.ts), one server span per HTTP request, named by its route pattern
 * (`POST /api/orders`, never the order number) and active while the request is handled, so the workflow starts,
 * Updates and signals it makes join its trace (lib/temporal.ts). A caller's W3C `traceparent` is continued.
 * Undefined when tracing is off: then no middleware at all.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { tracingActive } from '../lib/tracing';

export function requestSpans(): RequestHandler | undefined {
  if (!tracingActive()) return undefined;
  const tracer = trace.getTracer('shop-oms-api');
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } },
      parent,
    );
    const active = trace.setSpan(parent, span);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      // Noted by route() (api/operations.ts) once a route took the request.
      const route = res.locals.routePattern as string | undefined;
      if (route) span.updateName(`${req.method} ${route}`).setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    // The body arrives in the request's own events, which would otherwise run outside the span.
    context.bind(active, req);
    context.bind(active, res);
    context.with(active, next);
  };
}

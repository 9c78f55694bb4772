/** Every error leaves the API as `{ "error": { "code", "message", "details" } }` with the right status. */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import { z } from 'zod';
import { isDatabaseUnreachable } from '../db/unreachable';
import { log, type LogFields } from '../lib/log';
import { describeError } from '../lib/redact';

/** The shape of every error answer; the OpenAPI document's `Error` component (api/openapi.ts). */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'What went wrong, for programs: `VALIDATION_FAILED`, `WRONG_STATE`, …' }),
      message: z.string().meta({ description: 'The same for people.' }),
      details: z.unknown().meta({
        description: 'More where there is more to say (e.g. `[{path, message}]` for a bad body), else `null`.',
      }),
    }),
  })
  .meta({ id: 'Error' });

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function validationError(error: z.ZodError): HttpError {
  return new HttpError(
    422,
    'VALIDATION_FAILED',
    'The request body is not valid',
    error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

/** Seconds a client is asked to wait before trying again when the database or Temporal is unreachable (503). */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/** The database or Temporal could not be reached: the request may well succeed in a moment (503, not 500). */
export function isUnavailable(err: unknown): boolean {
  if (isDatabaseUnreachable(err)) return true;
  return err instanceof ServiceError && isGrpcServiceError(err.cause) && err.cause.code === GrpcStatus.UNAVAILABLE;
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'NOT_FOUND', `No route for ${req.method} ${req.path}`));
};

/** What a failure's log line says of its request: the route, never the query; the order's number when it names one. */
function requestFields(req: Request, res: Response): LogFields {
  const path = req.originalUrl.split('?')[0];
  return {
    method: req.method,
    route: (res.locals.routePattern as string | undefined) ?? 'unmatched',
    orderNumber: /^\/api\/orders\/(SO-\d{8}-\d{6,})(\/|$)/.exec(path)?.[1],
  };
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  // Refused with (some of) the body unread, e.g. a 401 before a large upload: close rather than keep reading it.
  if (!req.complete) res.set('Connection', 'close');
  let httpError: HttpError;
  // body-parser's errors carry a `type` naming what was wrong with the body.
  const bodyError = (err as { type?: unknown } | undefined)?.type;
  if (err instanceof HttpError) httpError = err;
  // The router could not decode a path parameter (`/api/orders/%ff`): a bad request, not our fault.
  else if (err instanceof URIError)
    httpError = new HttpError(400, 'BAD_PATH', 'The path is not valid percent-encoding');
  else if (bodyError === 'entity.parse.failed')
    httpError = new HttpError(400, 'INVALID_JSON', 'The request body is not valid JSON');
  else if (bodyError === 'entity.too.large')
    httpError = new HttpError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
  else if (bodyError === 'encoding.unsupported' || bodyError === 'charset.unsupported') {
    httpError = new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as UTF-8 JSON');
  } else if (isUnavailable(err)) {
    log.warn(`answered 503, a dependency is unreachable: ${describeError(err)}`, {
      ...requestFields(req, res),
      status: 503,
    });
    res.set('Retry-After', String(UNAVAILABLE_RETRY_AFTER_S));
    httpError = new HttpError(503, 'UNAVAILABLE', 'The service is briefly unavailable; try again after Retry-After');
  } else {
    log.error(`unhandled API error: ${describeError(err, true)}`, { ...requestFields(req, res), status: 500 });
    httpError = new HttpError(500, 'INTERNAL', 'Something went wrong on our side');
  }
  const body: z.infer<typeof errorBodySchema> = {
    error: { code: httpError.code, message: httpError.message, details: httpError.details ?? null },
  };
  res.status(httpError.status).json(body);
};

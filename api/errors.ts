/** Every error leaves the API as `{ "error": { "code", "message", "details" } }` with the right status. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';

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

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'NOT_FOUND', `No route for ${req.method} ${req.path}`));
};

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  let httpError: HttpError;
  if (err instanceof HttpError) httpError = err;
  else if (err?.type === 'entity.parse.failed')
    httpError = new HttpError(400, 'INVALID_JSON', 'The request body is not valid JSON');
  else if (err?.type === 'entity.too.large')
    httpError = new HttpError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
  else if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') {
    httpError = new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as UTF-8 JSON');
  } else {
    console.error('unhandled API error:', err);
    httpError = new HttpError(500, 'INTERNAL', 'Something went wrong on our side');
  }
  res.status(httpError.status).json({
    error: { code: httpError.code, message: httpError.message, details: httpError.details ?? null },
  });
};

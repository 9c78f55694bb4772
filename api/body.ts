/**
 * Reading request bodies, with a size limit per kind of route. Protected routes read theirs only after
 * authentication (api/app.ts); the public ones that check their callers themselves (signing in, the carrier webhook)
 * read a small body first: a larger one is refused (413) from its Content-Length, before any of it is read. A
 * refusal with the body unread closes the connection (api/errors.ts), so nothing more of it is taken in.
 */
import express from 'express';
import { HttpError } from './errors';

export interface BodyLimits {
  /** The largest JSON body, e.g. `16kb`. */
  json: string;
  /** The largest CSV file (`text/csv`); none taken when unset. */
  csv?: string;
}

/** JSON on every authenticated route; CSV files only there, for imports. */
export const PROTECTED_BODY: BodyLimits = { json: '100kb', csv: '5mb' };
/** POST /api/session: `{key}`, a few hundred bytes. */
export const SIGN_IN_BODY: BodyLimits = { json: '16kb' };
/** A carrier's tracking event: a handful of short fields. */
export const WEBHOOK_BODY: BodyLimits = { json: '16kb' };

/** `16kb`, `5mb` → bytes (the forms used here; body-parser reads the same strings). */
export function byteSize(limit: string): number {
  const match = /^(\d+)(kb|mb)$/.exec(limit);
  if (!match) throw new Error(`not a body size: ${limit}`);
  return Number(match[1]) * (match[2] === 'kb' ? 1024 : 1024 * 1024);
}

/**
 * Refuses at once, before reading: a type not taken (415), a declared length above the limit (413; body-parser
 * would read the whole body first, to throw it away), and on a public route a body without a declared length (411:
 * a chunked body could only be measured by reading it). Then reads JSON, or a CSV file where taken.
 */
export function bodyReader(limits: BodyLimits, options: { public?: boolean } = {}): express.RequestHandler[] {
  const jsonBytes = byteSize(limits.json);
  const csvBytes = limits.csv === undefined ? 0 : byteSize(limits.csv);
  return [
    (req, _res, next) => {
      const declared = req.header('content-length');
      const hasBody = Number(declared ?? 0) > 0 || req.header('transfer-encoding') !== undefined;
      if (!hasBody) return next();
      const csv = limits.csv !== undefined && req.is('text/csv') !== false;
      if (!csv && !req.is('application/json')) {
        throw new HttpError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          limits.csv
            ? 'Send the body as application/json (or text/csv for imports)'
            : 'Send the body as application/json',
        );
      }
      const limit = csv ? csvBytes : jsonBytes;
      if (Number(declared ?? 0) > limit) {
        throw new HttpError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large', { maxBytes: limit });
      }
      if (options.public && declared === undefined) {
        throw new HttpError(411, 'LENGTH_REQUIRED', 'Send the body with a Content-Length');
      }
      next();
    },
    ...(limits.csv ? [express.text({ type: 'text/csv', limit: csvBytes })] : []),
    // Keep the raw text too: webhook signatures are computed over the exact bytes sent.
    express.json({
      limit: jsonBytes,
      verify: (req, _res, buf) => ((req as express.Request).rawBody = buf.toString('utf8')),
    }),
  ];
}

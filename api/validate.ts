import type { z } from 'zod';
import { HttpError, validationError } from './errors';

/** Parses a request body against its schema; 422 naming each wrong field otherwise. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw validationError(result.error);
  return result.data;
}

/** Parses a query string (`req.query`) against its schema; 422 'Bad query' with the schema's issues otherwise. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const result = schema.safeParse(query);
  if (!result.success) throw new HttpError(422, 'VALIDATION_FAILED', 'Bad query', result.error.issues);
  return result.data;
}

/** The largest id a row can have (Prisma's `Int` is 32-bit). */
const MAX_ID = 2_147_483_647;

/**
 * A numeric path parameter (`:id`, `:seq`): a whole number from 1, written plainly. Anything else (`1e400`, `1.5`,
 * `-1`, `007`, a name, a number no row can have) is 400 `INVALID_ID`, never a query.
 */
export function parseIdParam(raw: unknown, name: string): number {
  const text = String(raw);
  const id = /^[1-9]\d{0,9}$/.test(text) ? Number(text) : NaN;
  if (!(id <= MAX_ID)) {
    throw new HttpError(400, 'INVALID_ID', `:${name} must be a whole number from 1 to ${MAX_ID}`, { param: name });
  }
  return id;
}

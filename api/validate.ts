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

import type { z } from 'zod';
import { validationError } from './errors';

/** Parses a request body against its schema; 422 naming each wrong field otherwise. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw validationError(result.error);
  return result.data;
}

/**
 * A 422 `VALIDATION_FAILED` answer names each wrong field (`details: [{path, message}]`, path like
 * `variants.0.priceMinor`): these put each message next to its form field; what names no field is left over.
 */
import type { FormInstance } from 'antd';
import { ApiError } from '../api';

export interface FieldIssue {
  path: string;
  message: string;
}

/** The field issues of a 422 answer ([] for any other error). */
export function fieldIssues(err: unknown): FieldIssue[] {
  if (!(err instanceof ApiError) || err.status !== 422 || !Array.isArray(err.details)) return [];
  return (err.details as unknown[]).filter(
    (d): d is FieldIssue =>
      typeof d === 'object' && d !== null && typeof (d as FieldIssue).path === 'string' && 'message' in d,
  );
}

/**
 * Shows each issue on its field. `nameOf` turns an API path into the form's field name (undefined: no field
 * shows it). Answers the issues no field took.
 */
export function showFieldIssues(
  form: FormInstance,
  err: unknown,
  nameOf: (path: (string | number)[]) => (string | number)[] | undefined = (path) => path,
): FieldIssue[] {
  const leftOver: FieldIssue[] = [];
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const issue of fieldIssues(err)) {
    const path = issue.path === '' ? [] : issue.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const name = path.length ? nameOf(path) : undefined;
    if (!name) {
      leftOver.push(issue);
      continue;
    }
    const key = JSON.stringify(name);
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(issue.message);
    byField.set(key, entry);
  }
  form.setFields([...byField.values()]);
  return leftOver;
}

/**
 * Text from outside (API bodies, sales channels): trimmed, bounded, and free of what no shop text holds.
 * Control characters and broken UTF-16 (a lone surrogate) are refused rather than stored: PostgreSQL
 * rejects NUL in text, the other databases would keep them, and emails, labels and CSV files would carry them.
 */
import { z } from 'zod';

/** C0 controls and DEL, except tab and line breaks (allowed in multi-line notes only): \p{Cc} without C1. */
const CONTROL = /(?![\t\n\r\u0080-\u009F])\p{Cc}/u;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True for text a field may hold; `multiline` allows tabs and line breaks. */
function isPlainText(value: string, multiline = false): boolean {
  return !CONTROL.test(value) && !LONE_SURROGATE.test(value) && (multiline || !LINE_BREAK_OR_TAB.test(value));
}

/** Adds the one-line (or, with `multiline`, the multi-line) plain-text check to a string schema of its own. */
export const plain = (schema: z.ZodString, multiline = false) =>
  schema.refine((value) => isPlainText(value, multiline), {
    message: multiline
      ? 'must not contain control characters or broken Unicode'
      : 'must be one line, without control characters or broken Unicode',
  });

/** A required one-line field (a name, a code, a reference), 1 to `max` characters after trimming. */
export const text = (max: number) => plain(z.string().trim().min(1).max(max), false);

/** An optional one-line field that may be empty. */
export const optionalText = (max: number) => plain(z.string().trim().max(max), false).optional();

/** A required free-text field that may span lines (a reason). */
export const multilineText = (max: number) => plain(z.string().trim().min(1).max(max), true);

/** An optional note that may span lines. */
export const note = (max = 500) => plain(z.string().trim().max(max), true).optional();

/**
 * Reading an imported CSV file without holding the event loop: the text is parsed in slices and its rows checked in
 * chunks, with a turn of the event loop between them, so a large file never keeps the API from answering other
 * requests for more than a few milliseconds at a time. A file with more rows than the cap is refused as soon as the
 * parser gets past the cap, before anything is checked or written.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse } from 'csv-parse';
import type { z } from 'zod';
import { fromSpreadsheetSafe } from '../domain/spreadsheet-cells';

export interface RowError {
  row: number;
  column?: string;
  message: string;
}

export class CsvImportError extends Error {
  constructor(readonly errors: RowError[]) {
    super(`${errors.length} row error(s); nothing was imported`);
  }
}

export class CsvTooManyRowsError extends Error {
  constructor(readonly maxRows: number) {
    super(`The file has more than ${maxRows} rows (OMS_CSV_MAX_ROWS); nothing was imported. Split it into parts.`);
  }
}

/**
 * Characters of CSV text parsed at a time (about 250 rows: a few milliseconds; 64 KB slices took 30–50 ms each
 * while the parser's code was still cold).
 */
const SLICE_CHARS = 16 * 1024;
/** Rows checked (or written, or looked up) at a time between turns of the event loop. */
export const ROWS_PER_CHUNK = 500;

/** The rows of `items` in chunks of `size`. */
export function chunksOf<T>(items: readonly T[], size = ROWS_PER_CHUNK): T[][] {
  const chunks: T[][] = [];
  for (let from = 0; from < items.length; from += size) chunks.push(items.slice(from, from + size));
  return chunks;
}

/**
 * `work` on each chunk in order, with a turn of the event loop after each. Needed after database calls too: on
 * SQLite (better-sqlite3, synchronous) a chain of awaited queries resolves as microtasks and would hold the loop.
 */
export async function forEachChunk<T>(items: readonly T[], work: (chunk: T[]) => Promise<void>): Promise<void> {
  for (const chunk of chunksOf(items)) {
    await work(chunk);
    await nextTurn();
  }
}

/** `work` on each item in order, a chunk at a time, letting other requests run between chunks. */
export async function eachInChunks<T>(items: readonly T[], work: (item: T, index: number) => void): Promise<void> {
  for (let from = 0; from < items.length; from += ROWS_PER_CHUNK) {
    const to = Math.min(items.length, from + ROWS_PER_CHUNK);
    for (let i = from; i < to; i++) work(items[i], i);
    await nextTurn();
  }
}

/** Every record of the file (the header first), at most `maxRows` rows after the header. */
async function readRecords(csv: string, maxRows: number): Promise<string[][]> {
  const records: string[][] = [];
  let failure: Error | undefined;
  const parser = parse({ skip_empty_lines: true, bom: true, relax_column_count: true });
  parser.on('data', (record: string[]) => records.push(record));
  parser.on('error', (err: Error) => (failure ??= err));
  const ended = new Promise<void>((resolve) => {
    parser.once('end', resolve);
    parser.once('close', resolve);
  });
  for (let at = 0; at < csv.length && !failure; at += SLICE_CHARS) {
    parser.write(csv.slice(at, at + SLICE_CHARS));
    await nextTurn();
    if (records.length - 1 > maxRows) {
      parser.destroy();
      throw new CsvTooManyRowsError(maxRows);
    }
  }
  if (!failure) parser.end();
  await (failure ? Promise.resolve() : ended);
  if (failure) throw new CsvImportError([{ row: 0, message: `not readable as CSV: ${failure.message}` }]);
  if (records.length - 1 > maxRows) throw new CsvTooManyRowsError(maxRows);
  return records;
}

/**
 * The rows of `csv` parsed with `schema`, or a CsvImportError naming each bad row (as numbered in a spreadsheet,
 * header = row 1). A cell exported with a quote in front (domain/spreadsheet-cells.ts) is read without it.
 */
export async function parseRows<T extends z.ZodType>(
  csv: string,
  columns: readonly string[],
  schema: T,
  maxRows: number,
): Promise<z.infer<T>[]> {
  const [header, ...rows] = await readRecords(csv, maxRows);
  const names = header?.map((h) => h.trim());
  const missing = columns.filter((c) => !names?.includes(c));
  if (!names || missing.length) {
    throw new CsvImportError([
      { row: 1, message: `header must name the columns ${columns.join(', ')}; missing ${missing.join(', ')}` },
    ]);
  }
  if (rows.length === 0) throw new CsvImportError([{ row: 2, message: 'no rows to import' }]);
  const errors: RowError[] = [];
  const parsed: z.infer<T>[] = [];
  await eachInChunks(rows, (cells, i) => {
    const record = Object.fromEntries(names.map((h, c) => [h, fromSpreadsheetSafe((cells[c] ?? '').trim())]));
    const result = schema.safeParse(record);
    if (!result.success) {
      for (const issue of result.error.issues)
        errors.push({ row: i + 2, column: String(issue.path[0] ?? ''), message: issue.message });
    }
    parsed.push(result.data as z.infer<T>); // used only if every row parsed: else we throw below
  });
  if (errors.length) throw new CsvImportError(errors);
  return parsed;
}

/**
 * A row error for every row whose key an earlier row already had. In chunks too: one pass over 100,000 rows (a Map
 * of 100,000 keys) held the event loop for 70–90 ms.
 */
export async function duplicates<T>(
  rows: T[],
  key: (row: T) => string,
  column: string,
  what: string,
): Promise<RowError[]> {
  const first = new Map<string, number>();
  const errors: RowError[] = [];
  await eachInChunks(rows, (row, i) => {
    const k = key(row);
    const earlier = first.get(k);
    if (earlier !== undefined) errors.push({ row: i + 2, column, message: `${what} ${k} already on row ${earlier}` });
    else first.set(k, i + 2);
  });
  return errors;
}

/** `rows` mapped by `each`, a chunk at a time (see eachInChunks). */
export async function mapInChunks<T, R>(rows: readonly T[], each: (row: T) => R): Promise<R[]> {
  const out: R[] = [];
  await eachInChunks(rows, (row) => out.push(each(row)));
  return out;
}

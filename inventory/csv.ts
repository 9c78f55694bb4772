/**
 * CSV import and export of the catalogue and of stock. An import is checked row by row first; any
 * error names its row (as numbered in a spreadsheet, header = row 1) and nothing is written. A clean
 * file is then written in one transaction.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { plain } from '../domain/text';
import type { Db, Prisma, Tx } from '../db/client';
import { applyMovements } from './ledger';
import { setSafetyStock } from './levels';
import { serialisedSkus } from './serials';

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

export const PRODUCT_COLUMNS = [
  'product_code',
  'product_name',
  'category',
  'serialised',
  'sku',
  'barcode',
  'price_minor',
  'attributes',
] as const;
export const STOCK_COLUMNS = ['sku', 'location', 'on_hand', 'safety_stock'] as const;

const text = (max: number) => plain(z.string().trim().min(1, 'is required').max(max));
const wholeNumber = z
  .string()
  .trim()
  .regex(/^\d{1,9}$/, 'must be a whole number of at least 0')
  .transform(Number);

/** `size=M;colour=white` ↔ { size: 'M', colour: 'white' } */
const attributes = plain(z.string().trim().max(500)).transform((value, ctx) => {
  const result: Record<string, string> = {};
  for (const pair of value.split(';').filter((p) => p.trim())) {
    const [key, ...rest] = pair.split('=');
    if (!key.trim() || rest.length === 0 || !rest.join('=').trim()) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not name=value` });
      return z.NEVER;
    }
    result[key.trim()] = rest.join('=').trim();
  }
  return result;
});

const productRow = z.object({
  product_code: text(64),
  product_name: text(200),
  category: text(64),
  serialised: z.enum(['true', 'false'], { message: 'must be true or false' }).transform((v) => v === 'true'),
  sku: text(64),
  barcode: z
    .string()
    .trim()
    .regex(/^\d{8,14}$/, 'must be 8 to 14 digits'),
  price_minor: wholeNumber,
  attributes,
});
export type ProductRow = z.infer<typeof productRow>;

const stockRow = z.object({ sku: text(64), location: text(64), on_hand: wholeNumber, safety_stock: wholeNumber });
export type StockRow = z.infer<typeof stockRow>;

function parseRows<T extends z.ZodType>(csv: string, columns: readonly string[], schema: T): z.infer<T>[] {
  let records: string[][];
  try {
    records = parse(csv, { skip_empty_lines: true, bom: true, relax_column_count: true });
  } catch (err) {
    throw new CsvImportError([{ row: 0, message: `not readable as CSV: ${(err as Error).message}` }]);
  }
  const [header, ...rows] = records;
  const missing = columns.filter((c) => !header?.map((h) => h.trim()).includes(c));
  if (!header || missing.length) {
    throw new CsvImportError([
      { row: 1, message: `header must name the columns ${columns.join(', ')}; missing ${missing.join(', ')}` },
    ]);
  }
  if (rows.length === 0) throw new CsvImportError([{ row: 2, message: 'no rows to import' }]);
  const errors: RowError[] = [];
  const parsed = rows.map((cells, i) => {
    const record = Object.fromEntries(header.map((h, c) => [h.trim(), cells[c] ?? '']));
    const result = schema.safeParse(record);
    if (!result.success) {
      for (const issue of result.error.issues)
        errors.push({ row: i + 2, column: String(issue.path[0] ?? ''), message: issue.message });
    }
    return result.data;
  });
  if (errors.length) throw new CsvImportError(errors);
  return parsed as z.infer<T>[]; // every row parsed, or we would have thrown
}

function duplicates<T>(rows: T[], key: (row: T) => string, column: string, what: string): RowError[] {
  const first = new Map<string, number>();
  const errors: RowError[] = [];
  rows.forEach((row, i) => {
    const k = key(row);
    if (first.has(k)) errors.push({ row: i + 2, column, message: `${what} ${k} already on row ${first.get(k)}` });
    else first.set(k, i + 2);
  });
  return errors;
}

export async function importProducts(db: Db, csv: string): Promise<{ products: number; variants: number }> {
  const rows = parseRows(csv, PRODUCT_COLUMNS, productRow);
  const errors = [
    ...duplicates(rows, (r) => r.sku, 'sku', 'SKU'),
    ...duplicates(rows, (r) => r.barcode, 'barcode', 'barcode'),
  ];
  const taken = await db.productVariant.findMany({ where: { barcode: { in: rows.map((r) => r.barcode) } } });
  rows.forEach((row, i) => {
    const owner = taken.find((v) => v.barcode === row.barcode && v.sku !== row.sku);
    if (owner)
      errors.push({ row: i + 2, column: 'barcode', message: `barcode ${row.barcode} belongs to ${owner.sku}` });
    const sibling = rows.find((r) => r.product_code === row.product_code);
    if (sibling && (sibling.product_name !== row.product_name || sibling.serialised !== row.serialised)) {
      errors.push({
        row: i + 2,
        column: 'product_code',
        message: `${row.product_code} has another name or serialised flag on an earlier row`,
      });
    }
  });
  if (errors.length) throw new CsvImportError(errors.sort((a, b) => a.row - b.row));

  await db.$transaction(async (tx) => {
    for (const row of rows) {
      const product = await tx.product.upsert({
        where: { code: row.product_code },
        create: { code: row.product_code, name: row.product_name, category: row.category, serialised: row.serialised },
        update: { name: row.product_name, category: row.category, serialised: row.serialised },
      });
      const variant = {
        productId: product.id,
        barcode: row.barcode,
        attributes: row.attributes as Prisma.InputJsonValue,
        priceMinor: row.price_minor,
      };
      await tx.productVariant.upsert({
        where: { sku: row.sku },
        create: { sku: row.sku, ...variant },
        update: variant,
      });
    }
  });
  return { products: new Set(rows.map((r) => r.product_code)).size, variants: rows.length };
}

export async function exportProducts(db: Db): Promise<string> {
  const variants = await db.productVariant.findMany({ include: { product: true }, orderBy: { sku: 'asc' } });
  return stringify(
    variants.map((v) => [
      v.product.code,
      v.product.name,
      v.product.category,
      String(v.product.serialised),
      v.sku,
      v.barcode,
      v.priceMinor,
      Object.entries(v.attributes as Record<string, string>)
        .map(([k, val]) => `${k}=${val}`)
        .join(';'),
    ]),
    { header: true, columns: [...PRODUCT_COLUMNS] },
  );
}

export class StockChangedError extends Error {}

/** Sets on hand (as stock-count adjustments, with who) and safety stock per SKU and location. */
export async function importStock(db: Db, csv: string, actor: string): Promise<{ rows: number; adjusted: number }> {
  const rows = parseRows(csv, STOCK_COLUMNS, stockRow);
  const errors = duplicates(rows, (r) => `${r.sku} @ ${r.location}`, 'sku', 'stock of');
  const [variants, locations] = await Promise.all([
    db.productVariant.findMany({ where: { sku: { in: rows.map((r) => r.sku) } }, select: { sku: true } }),
    db.location.findMany(),
  ]);
  const known = new Set(variants.map((v) => v.sku));
  const serialised = await serialisedSkus(db, [...known]);
  const locationIds = new Map(locations.map((l) => [l.code, l.id]));
  const levels = await db.stockLevel.findMany({ where: { sku: { in: [...known] } } });
  const plan = rows.map((row, i) => {
    const fail = (column: string, message: string) => errors.push({ row: i + 2, column, message });
    if (!known.has(row.sku)) fail('sku', `unknown SKU ${row.sku}`);
    const locationId = locationIds.get(row.location);
    if (locationId === undefined) fail('location', `unknown location ${row.location}`);
    const level = levels.find((l) => l.sku === row.sku && l.locationId === locationId);
    if (level && row.on_hand < level.reserved) {
      fail('on_hand', `${level.reserved} are reserved for orders; on hand cannot be ${row.on_hand}`);
    }
    if (serialised.has(row.sku) && row.on_hand !== (level?.onHand ?? 0)) {
      fail('on_hand', `${row.sku} is serialised: receive or count it by serial number`);
    }
    return { row, locationId: locationId ?? -1, recorded: level?.onHand ?? 0 };
  });
  if (errors.length) throw new CsvImportError(errors.sort((a, b) => a.row - b.row));

  const stamp = `${Date.now()}`;
  const movements = plan
    .filter((p) => p.row.on_hand !== p.recorded)
    .map((p, i) => ({
      key: `csv-import:${stamp}:${i + 1}`,
      kind: 'ADJUST' as const,
      sku: p.row.sku,
      locationId: p.locationId,
      onHandDelta: p.row.on_hand - p.recorded,
      expectedOnHand: p.recorded,
      actor,
      reason: 'CSV stock import',
    }));
  const setSafetyStocks = async (tx: Tx) => {
    for (const p of plan) await setSafetyStock(tx, p.row.sku, p.locationId, p.row.safety_stock);
  };

  if (movements.length === 0) await db.$transaction(setSafetyStocks);
  else if ((await applyMovements(db, movements, setSafetyStocks)) === 'insufficient') {
    throw new StockChangedError('Stock changed while the file was being imported; nothing was imported, try again');
  }
  return { rows: rows.length, adjusted: movements.length };
}

export async function exportStock(db: Db): Promise<string> {
  const [levels, locations] = await Promise.all([
    db.stockLevel.findMany({ orderBy: [{ sku: 'asc' }, { locationId: 'asc' }] }),
    db.location.findMany(),
  ]);
  const codes = new Map(locations.map((l) => [l.id, l.code]));
  return stringify(
    levels.map((l) => [l.sku, codes.get(l.locationId), l.onHand, l.safetyStock]),
    { header: true, columns: [...STOCK_COLUMNS] },
  );
}

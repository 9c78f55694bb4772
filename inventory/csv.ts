/**
 * CSV import and export of the catalogue and of stock. An import is checked row by row first; any
 * error names its row (as numbered in a spreadsheet, header = row 1) and nothing is written. A clean
 * file is then written in one transaction. Every check is a lookup in a Map or Set (never a scan of the
 * file per row), and the work runs in chunks with turns of the event loop between them (csv-read.ts), so a
 * large file does not hold up the rest of the API. Exported text cells cannot run as spreadsheet formulas.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { spreadsheetSafe } from '../domain/spreadsheet-cells';
import { plain } from '../domain/text';
import type { Db, Tx } from '../db/client';
import {
  CsvImportError,
  duplicates,
  eachInChunks,
  forEachChunk,
  mapInChunks,
  parseRows,
  type RowError,
} from './csv-read';
import { checkpointAfter, isPostgres, upsertProducts, upsertVariants, type ProductFields } from './csv-write';
import { applyMovements } from './ledger';
import { setSafetyStock } from './levels';
import { serialisedSkus } from './serials';

export { CsvImportError, CsvTooManyRowsError, type RowError } from './csv-read';

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

/** Rows an import takes unless told otherwise (OMS_CSV_MAX_ROWS, lib/config.ts). */
export const DEFAULT_MAX_ROWS = 50_000;
export interface ImportOptions {
  /** More rows than this: CsvTooManyRowsError before anything is checked or written. */
  maxRows?: number;
}
/** An import's write transaction may take this long (Prisma's default of 5 s is too short for a large file). */
const WRITE_TIMEOUT_MS = 120_000;
/** Rows read from the database per query when exporting. */
const EXPORT_PAGE = 1_000;

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

const byRow = (a: RowError, b: RowError) => a.row - b.row;

export async function importProducts(
  db: Db,
  csv: string,
  { maxRows = DEFAULT_MAX_ROWS }: ImportOptions = {},
): Promise<{ products: number; variants: number }> {
  const rows = await parseRows(csv, PRODUCT_COLUMNS, productRow, maxRows);
  const errors = [
    ...(await duplicates(rows, (r) => r.sku, 'sku', 'SKU')),
    ...(await duplicates(rows, (r) => r.barcode, 'barcode', 'barcode')),
  ];
  const barcodeOwners = new Map<string, string>();
  await forEachChunk(rows, async (chunk) => {
    const taken = await db.productVariant.findMany({
      where: { barcode: { in: chunk.map((r) => r.barcode) } },
      select: { sku: true, barcode: true },
    });
    for (const v of taken) barcodeOwners.set(v.barcode, v.sku);
  });
  // Each product as its first row names it; the category of its last row (as row-by-row upserts would leave it).
  const products = new Map<string, ProductFields>();
  await eachInChunks(rows, (row, i) => {
    const owner = barcodeOwners.get(row.barcode);
    if (owner !== undefined && owner !== row.sku)
      errors.push({ row: i + 2, column: 'barcode', message: `barcode ${row.barcode} belongs to ${owner}` });
    const first = products.get(row.product_code);
    if (!first) {
      const { product_code: code, product_name: name, category, serialised } = row;
      products.set(code, { code, name, category, serialised });
    } else if (first.name !== row.product_name || first.serialised !== row.serialised) {
      errors.push({
        row: i + 2,
        column: 'product_code',
        message: `${row.product_code} has another name or serialised flag on an earlier row`,
      });
    } else first.category = row.category;
  });
  if (errors.length) throw new CsvImportError(errors.sort(byRow));

  const postgres = isPostgres(db);
  const write = () =>
    db.$transaction(
      async (tx) => {
        const ids = await upsertProducts(tx, [...products.values()]);
        const variants = await mapInChunks(rows, (r) => ({
          sku: r.sku,
          productCode: r.product_code,
          barcode: r.barcode,
          attributes: r.attributes,
          priceMinor: r.price_minor,
        }));
        await upsertVariants(tx, postgres, variants, ids);
      },
      { timeout: WRITE_TIMEOUT_MS },
    );
  await checkpointAfter(db, write);
  return { products: products.size, variants: rows.length };
}

/** One CSV text: the header, then the rows of each page read by `nextPage` until a page comes back short. */
async function exportPages<T>(
  columns: readonly string[],
  nextPage: (last: T | undefined) => Promise<T[]>,
  cells: (item: T) => (string | number)[],
): Promise<string> {
  const parts = [stringify([[...columns]])];
  let last: T | undefined;
  for (;;) {
    const page = await nextPage(last);
    parts.push(stringify(page.map((item) => cells(item).map(spreadsheetSafe))));
    if (page.length < EXPORT_PAGE) return parts.join('');
    last = page[page.length - 1];
    await nextTurn();
  }
}

export async function exportProducts(db: Db): Promise<string> {
  return exportPages(
    PRODUCT_COLUMNS,
    (last: { sku: string } | undefined) =>
      db.productVariant.findMany({
        where: last ? { sku: { gt: last.sku } } : {},
        include: { product: true },
        orderBy: { sku: 'asc' },
        take: EXPORT_PAGE,
      }),
    (v) => [
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
    ],
  );
}

export class StockChangedError extends Error {}

/** Key of a stock level in the Maps below. */
const levelKey = (sku: string, locationId: number | undefined) => `${locationId}\u0000${sku}`;

/** Sets on hand (as stock-count adjustments, with who) and safety stock per SKU and location. */
export async function importStock(
  db: Db,
  csv: string,
  actor: string,
  { maxRows = DEFAULT_MAX_ROWS }: ImportOptions = {},
): Promise<{ rows: number; adjusted: number }> {
  const rows = await parseRows(csv, STOCK_COLUMNS, stockRow, maxRows);
  const errors = await duplicates(rows, (r) => `${r.sku} @ ${r.location}`, 'sku', 'stock of');
  const locationIds = new Map((await db.location.findMany()).map((l) => [l.code, l.id]));
  const known = new Set<string>();
  const serialised = new Set<string>();
  const levels = new Map<string, { onHand: number; reserved: number; safetyStock: number }>();
  await forEachChunk([...new Set(rows.map((r) => r.sku))], async (chunk) => {
    const variants = await db.productVariant.findMany({ where: { sku: { in: chunk } }, select: { sku: true } });
    const skus = variants.map((v) => v.sku);
    for (const sku of skus) known.add(sku);
    for (const sku of await serialisedSkus(db, skus)) serialised.add(sku);
    for (const l of await db.stockLevel.findMany({ where: { sku: { in: skus } } }))
      levels.set(levelKey(l.sku, l.locationId), l);
  });
  const plan: { row: StockRow; locationId: number; recorded: number; safetyStock?: number }[] = [];
  await eachInChunks(rows, (row, i) => {
    const fail = (column: string, message: string) => errors.push({ row: i + 2, column, message });
    if (!known.has(row.sku)) fail('sku', `unknown SKU ${row.sku}`);
    const locationId = locationIds.get(row.location);
    if (locationId === undefined) fail('location', `unknown location ${row.location}`);
    const level = levels.get(levelKey(row.sku, locationId));
    if (level && row.on_hand < level.reserved) {
      fail('on_hand', `${level.reserved} are reserved for orders; on hand cannot be ${row.on_hand}`);
    }
    if (serialised.has(row.sku) && row.on_hand !== (level?.onHand ?? 0)) {
      fail('on_hand', `${row.sku} is serialised: receive or count it by serial number`);
    }
    plan.push({ row, locationId: locationId ?? -1, recorded: level?.onHand ?? 0, safetyStock: level?.safetyStock });
  });
  if (errors.length) throw new CsvImportError(errors.sort(byRow));

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
  // Only where the level is new or its safety stock differs: an unchanged file writes nothing.
  const safetyChanges = plan.filter((p) => p.safetyStock !== p.row.safety_stock);
  const setSafetyStocks = (tx: Tx) =>
    forEachChunk(safetyChanges, async (chunk) => {
      for (const p of chunk) await setSafetyStock(tx, p.row.sku, p.locationId, p.row.safety_stock);
    });

  if (movements.length === 0) await db.$transaction(setSafetyStocks, { timeout: WRITE_TIMEOUT_MS });
  else if ((await applyMovements(db, movements, setSafetyStocks)) === 'insufficient') {
    throw new StockChangedError('Stock changed while the file was being imported; nothing was imported, try again');
  }
  return { rows: rows.length, adjusted: movements.length };
}

export async function exportStock(db: Db): Promise<string> {
  const codes = new Map((await db.location.findMany()).map((l) => [l.id, l.code]));
  return exportPages(
    STOCK_COLUMNS,
    (last: { sku: string; locationId: number } | undefined) =>
      db.stockLevel.findMany({
        where: last ? { OR: [{ sku: { gt: last.sku } }, { sku: last.sku, locationId: { gt: last.locationId } }] } : {},
        orderBy: [{ sku: 'asc' }, { locationId: 'asc' }],
        take: EXPORT_PAGE,
      }),
    (l) => [l.sku, codes.get(l.locationId) ?? '', l.onHand, l.safetyStock],
  );
}

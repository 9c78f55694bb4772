/** CSV import and export of products and stock (send the file as the body, Content-Type: text/csv). */
import { Router, type Request } from 'express';
import type { Db } from '../../db/client';
import type { Config } from '../../lib/config';
import {
  CsvImportError,
  CsvTooManyRowsError,
  exportProducts,
  exportStock,
  importProducts,
  importStock,
  StockChangedError,
} from '../../inventory/csv';
import { actorOf } from '../auth';
import { HttpError } from '../errors';
import { apiGroup, route } from '../operations';

function csvBody(req: Request): string {
  if (!req.is('text/csv') || typeof req.body !== 'string') {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as the body with Content-Type: text/csv');
  }
  return req.body;
}

async function importing<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CsvImportError) throw new HttpError(422, 'CSV_ROWS_INVALID', err.message, { rows: err.errors });
    if (err instanceof CsvTooManyRowsError)
      throw new HttpError(413, 'CSV_TOO_MANY_ROWS', err.message, { maxRows: err.maxRows });
    if (err instanceof StockChangedError) throw new HttpError(409, 'STOCK_CHANGED', err.message);
    throw err;
  }
}

const PRODUCT_COLUMNS = 'product_code,product_name,category,serialised,sku,barcode,price_minor,attributes';
const STOCK_COLUMNS = 'sku,location,on_hand,safety_stock';
const ROWS_CHECKED =
  'Every row is checked first: if any is wrong, the answer is 422 `CSV_ROWS_INVALID` with each bad row named (`details.rows: [{row, column, message}]`) and nothing is imported.';
const TOO_LARGE = '`CSV_TOO_MANY_ROWS`: more rows than `OMS_CSV_MAX_ROWS` (`details.maxRows`); nothing is imported';

export const csvApi = apiGroup({
  mount: '/api',
  tag: 'CSV',
  description: `The catalogue and the stock as CSV files, out and in. Send a file as the body with \`Content-Type: text/csv\` (at most \`OMS_CSV_MAX_ROWS\` rows, 50,000 unless set, and \`OMS_CSV_MAX_MB\`, 10 MB). ${ROWS_CHECKED} In exported files a text cell that begins with \`=\`, \`+\`, \`-\`, \`@\`, a tab or a carriage return has a \`'\` in front, so a spreadsheet shows it as text and never runs it as a formula; an import takes that quote off again.`,
  operations: {
    exportProducts: {
      method: 'get',
      path: '/products.csv',
      summary: 'The catalogue as CSV',
      description: `Columns: \`${PRODUCT_COLUMNS}\` (attributes as \`size=M;colour=white\`).`,
      permission: 'catalogue.read',
      answers: 'csv',
      responses: { 200: 'products.csv, one row per variant' },
    },
    exportStock: {
      method: 'get',
      path: '/inventory.csv',
      summary: 'The stock as CSV',
      description: `Columns: \`${STOCK_COLUMNS}\`.`,
      permission: 'inventory.read',
      answers: 'csv',
      responses: { 200: 'inventory.csv, one row per SKU and location' },
    },
    importProducts: {
      method: 'post',
      path: '/products/import',
      summary: 'Import products from CSV',
      description: ROWS_CHECKED,
      permission: 'catalogue.write',
      csvColumns: PRODUCT_COLUMNS,
      responses: { 200: '`{products, variants}`: how many were imported' },
      errors: { 413: TOO_LARGE },
    },
    importStock: {
      method: 'post',
      path: '/inventory/import',
      summary: 'Import stock levels from CSV',
      description: `On hand is set through ledger adjustments. ${ROWS_CHECKED}`,
      permission: 'inventory.adjust',
      csvColumns: STOCK_COLUMNS,
      responses: { 200: '`{rows, adjusted}`: rows read, levels changed' },
      errors: { 409: '`STOCK_CHANGED`: stock moved meanwhile; send the file again', 413: TOO_LARGE },
    },
  },
});

export function csvRoutes(db: Db, limits: Config['csvImport']): Router {
  const router = Router();
  const { operations } = csvApi;
  route(router, operations.exportProducts, async (_req, res) => {
    res
      .type('text/csv')
      .attachment('products.csv')
      .send(await exportProducts(db));
  });
  route(router, operations.exportStock, async (_req, res) => {
    res
      .type('text/csv')
      .attachment('inventory.csv')
      .send(await exportStock(db));
  });

  route(router, operations.importProducts, async (req, res) => {
    res.json(await importing(() => importProducts(db, csvBody(req), limits)));
  });
  route(router, operations.importStock, async (req, res) => {
    res.json(await importing(() => importStock(db, csvBody(req), actorOf(req).name, limits)));
  });
  return router;
}

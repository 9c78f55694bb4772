/** CSV import and export of products and stock (send the file as the body, Content-Type: text/csv). */
import { Router, type Request } from 'express';
import type { Db } from '../../db/client';
import {
  CsvImportError,
  exportProducts,
  exportStock,
  importProducts,
  importStock,
  StockChangedError,
} from '../../inventory/csv';
import { actorOf, allow } from '../auth';
import { HttpError } from '../errors';

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
    if (err instanceof StockChangedError) throw new HttpError(409, 'STOCK_CHANGED', err.message);
    throw err;
  }
}

export function csvRoutes(db: Db): Router {
  const router = Router();
  router.get('/products.csv', allow('catalogue.read'), async (_req, res) => {
    res
      .type('text/csv')
      .attachment('products.csv')
      .send(await exportProducts(db));
  });
  router.get('/inventory.csv', allow('inventory.read'), async (_req, res) => {
    res
      .type('text/csv')
      .attachment('inventory.csv')
      .send(await exportStock(db));
  });

  router.post('/products/import', allow('catalogue.write'), async (req, res) => {
    res.json(await importing(() => importProducts(db, csvBody(req))));
  });
  router.post('/inventory/import', allow('inventory.adjust'), async (req, res) => {
    res.json(await importing(() => importStock(db, csvBody(req), actorOf(req).name)));
  });
  return router;
}

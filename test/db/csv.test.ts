/** CSV import and export: a bad row names itself and nothing is imported; a good file round-trips. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { checkStockAgainstLedger } from '../../inventory/check';
import { CsvImportError, exportProducts, exportStock, importProducts, importStock } from '../../inventory/csv';
import { applyMovements } from '../../inventory/ledger';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-csv-'));
let db: Db;
beforeAll(async () => {
  const url = `file:${path.join(dir, 'csv.db')}`;
  await migrate(url);
  db = createDb(url);
  await db.location.create({ data: { code: 'WH', name: 'Warehouse', kind: 'WAREHOUSE' } });
});
afterAll(async () => {
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const header = 'product_code,product_name,category,serialised,sku,barcode,price_minor,attributes';
const goodProducts = [
  header,
  'POLO,Polo shirt,clothing,false,POLO-RED-M,6901000000011,12900,size=M;colour=red',
  'POLO,Polo shirt,clothing,false,POLO-RED-L,6901000000012,12900,size=L;colour=red',
  'PH-9,"Phone 9, 5G",phones,true,PH-9-256,6901000000013,499900,storage=256GB',
].join('\n');

async function importError(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (err) {
    if (err instanceof CsvImportError) return err.errors;
    throw err;
  }
  throw new Error('import succeeded');
}

test('a products file with one bad row imports nothing and names the row', async () => {
  const bad = goodProducts + '\nPOLO,Polo shirt,clothing,false,POLO-RED-S,6901000000014,12.50,size=S';
  expect(await importError(() => importProducts(db, bad))).toEqual([
    { row: 5, column: 'price_minor', message: 'must be a whole number of at least 0' },
  ]);
  expect(await db.productVariant.count()).toBe(0);
  expect(await db.product.count()).toBe(0);
});

test('duplicate SKUs and barcodes within a file are named by row', async () => {
  const dup = goodProducts + '\nPOLO,Polo shirt,clothing,false,POLO-RED-M,6901000000011,12900,size=M';
  const errors = await importError(() => importProducts(db, dup));
  expect(errors.map((e) => [e.row, e.column])).toEqual([
    [5, 'sku'],
    [5, 'barcode'],
  ]);
  expect(await db.productVariant.count()).toBe(0);
});

test('a good products file imports, exports the same, and imports again as an update', async () => {
  expect(await importProducts(db, goodProducts)).toEqual({ products: 2, variants: 3 });
  const exported = await exportProducts(db);
  expect(exported.trim().split('\n')).toEqual([
    header,
    'PH-9,"Phone 9, 5G",phones,true,PH-9-256,6901000000013,499900,storage=256GB',
    'POLO,Polo shirt,clothing,false,POLO-RED-L,6901000000012,12900,size=L;colour=red',
    'POLO,Polo shirt,clothing,false,POLO-RED-M,6901000000011,12900,size=M;colour=red',
  ]);
  await importProducts(db, exported.replace('499900', '459900'));
  expect((await db.productVariant.findUniqueOrThrow({ where: { sku: 'PH-9-256' } })).priceMinor).toBe(459_900);
  expect(await db.productVariant.count()).toBe(3);
});

test('a stock file sets on hand through the ledger and safety stock; one bad row imports nothing', async () => {
  await applyMovements(db, [{ key: 'r1', kind: 'RECEIPT', sku: 'POLO-RED-M', locationId: 1, onHandDelta: 5 }]);
  const bad = [
    'sku,location,on_hand,safety_stock',
    'POLO-RED-M,WH,12,3',
    'POLO-RED-L,NOWHERE,4,1',
    'NO-SKU,WH,-1,0',
  ].join('\n');
  expect(await importError(() => importStock(db, bad, 'manager li'))).toEqual([
    { row: 4, column: 'on_hand', message: 'must be a whole number of at least 0' },
  ]);
  const unknown = ['sku,location,on_hand,safety_stock', 'POLO-RED-M,WH,12,3', 'POLO-RED-L,NOWHERE,4,1'].join('\n');
  expect(await importError(() => importStock(db, unknown, 'manager li'))).toEqual([
    { row: 3, column: 'location', message: 'unknown location NOWHERE' },
  ]);
  expect((await db.stockLevel.findFirstOrThrow({ where: { sku: 'POLO-RED-M' } })).onHand).toBe(5);

  const good = ['sku,location,on_hand,safety_stock', 'POLO-RED-M,WH,12,3', 'POLO-RED-L,WH,4,1'].join('\n');
  expect(await importStock(db, good, 'manager li')).toEqual({ rows: 2, adjusted: 2 });
  expect(await importStock(db, good, 'manager li')).toEqual({ rows: 2, adjusted: 0 }); // already so
  expect((await exportStock(db)).trim().split('\n')).toEqual([
    'sku,location,on_hand,safety_stock',
    'POLO-RED-L,WH,4,1',
    'POLO-RED-M,WH,12,3',
  ]);
  const adjustments = await db.stockMovement.findMany({ where: { kind: 'ADJUST' }, orderBy: { sku: 'desc' } });
  expect(adjustments.map((m) => [m.sku, m.onHandDelta, m.actor])).toEqual([
    ['POLO-RED-M', 7, 'manager li'],
    ['POLO-RED-L', 4, 'manager li'],
  ]);
  expect(await checkStockAgainstLedger(db)).toEqual([]);
});

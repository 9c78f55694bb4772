/** Serialised goods: every unit followed by IMEI from receipt to sale to return, and across transfers. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { checkSerialUnits, checkStockAgainstLedger } from '../../inventory/check';
import { recordCount } from '../../inventory/counts';
import { receiveDelivery } from '../../inventory/receipts';
import { reserveOrder, returnToStock, shipReservations } from '../../inventory/reservations';
import { isValidImei, SerialError, withImeiCheckDigit } from '../../inventory/serials';
import { receiveTransfer, requestTransfer, shipTransfer } from '../../inventory/transfers';
import { writeOff } from '../../inventory/write-offs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-serials-'));
let db: Db;
let shop: number;
let depot: number;
const imei = (n: number) => withImeiCheckDigit(`3512345${String(n).padStart(7, '0')}`);
const statusOf = async (serial: string) => (await db.serialUnit.findUniqueOrThrow({ where: { serial } })).status;

beforeAll(async () => {
  const url = `file:${path.join(dir, 'serials.db')}`;
  await migrate(url);
  db = createDb(url);
  shop = (await db.location.create({ data: { code: 'SHOP', name: 'Shop', kind: 'STORE', priority: 1 } })).id;
  depot = (await db.location.create({ data: { code: 'DEPOT', name: 'Depot', kind: 'WAREHOUSE', priority: 2 } })).id;
  await db.product.create({
    data: {
      code: 'PH',
      name: 'Phone',
      category: 'phones',
      serialised: true,
      variants: {
        create: [{ sku: 'PH-128', barcode: '6900000000001', attributes: { storage: '128GB' }, priceMinor: 1 }],
      },
    },
  });
});
afterAll(async () => {
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('IMEIs are 15 digits with a Luhn check digit', () => {
  expect(isValidImei('490154203237518')).toBe(true);
  expect(isValidImei('490154203237519')).toBe(false);
  expect(isValidImei('49015420323751')).toBe(false);
  expect(isValidImei(withImeiCheckDigit('35123450000001'))).toBe(true);
});

test('a receipt needs one valid, new IMEI per unit, or nothing is received', async () => {
  const receive = (reference: string, serials?: string[], quantity = 3) =>
    receiveDelivery(db, { locationId: shop, reference, actor: 'clerk', lines: [{ sku: 'PH-128', quantity, serials }] });
  await expect(receive('DN-1')).rejects.toThrow(SerialError);
  await expect(receive('DN-1', [imei(1), imei(2)])).rejects.toThrow(/one serial number per unit/);
  await expect(receive('DN-1', [imei(1), imei(2), '123456789012345'])).rejects.toThrow(
    /not valid IMEIs: 123456789012345/,
  );
  expect(await db.stockMovement.count()).toBe(0);

  expect(await receive('DN-1', [imei(1), imei(2), imei(3)])).toBe(true);
  expect(await receive('DN-1', [imei(1), imei(2), imei(3)])).toBe(false); // the same delivery note again
  await expect(receive('DN-2', [imei(3)], 1)).rejects.toThrow(/already received before/);
  expect(await db.serialUnit.count({ where: { status: 'IN_STOCK', locationId: shop } })).toBe(3);
  expect(await checkSerialUnits(db)).toEqual([]);
});

test('a sale takes the oldest unit, a return brings that unit back, the books always agree', async () => {
  const order = await db.order.create({
    data: {
      orderNumber: 'SO-20261123-000001',
      channel: 'pos',
      externalId: 'POS-1',
      status: 'ALLOCATING',
      customerName: 'A',
      customerEmail: 'a@example.com',
      customerPhone: '+86 138 0013 8000',
      shippingAddress: {},
      totalMinor: 1,
      paymentStatus: 'PAID',
      lines: { create: [{ lineNo: 1, sku: 'PH-128', quantity: 1, unitPriceMinor: 1 }] },
    },
  });
  expect(await reserveOrder(db, order.orderNumber)).toBe(true);
  await shipReservations(db, order.orderNumber);
  await shipReservations(db, order.orderNumber);
  const sold = await db.serialUnit.findMany({ where: { status: 'SOLD' } });
  expect(sold).toEqual([expect.objectContaining({ serial: imei(1), reference: order.orderNumber })]);

  await expect(
    returnToStock(db, 'RMA-1', [{ sku: 'PH-128', quantity: 1, locationId: shop, serials: [imei(2)] }]),
  ).rejects.toThrow(/not sold units/);
  await returnToStock(db, 'RMA-1', [{ sku: 'PH-128', quantity: 1, locationId: shop, serials: [imei(1)] }]);
  expect(await statusOf(imei(1))).toBe('IN_STOCK');
  const history = await db.serialEvent.findMany({ where: { serial: imei(1) }, orderBy: { id: 'asc' } });
  expect(history.map((e) => [e.kind, e.reference])).toEqual([
    ['RECEIPT', 'DN-1'],
    ['SALE', order.orderNumber],
    ['RETURN', 'RMA-1'],
  ]);
  expect(await checkSerialUnits(db)).toEqual([]);
  expect(await checkStockAgainstLedger(db)).toEqual([]);
});

test('a transfer carries named units; what does not arrive is lost; counts by quantity are refused', async () => {
  const transferNumber = (await requestTransfer(db, {
    fromLocationId: shop,
    toLocationId: depot,
    lines: [{ sku: 'PH-128', quantity: 2 }],
    requestedBy: 'manager',
  }))!;
  await shipTransfer(db, transferNumber, 'clerk');
  expect(await db.serialUnit.count({ where: { status: 'IN_TRANSIT', reference: transferNumber } })).toBe(2);
  await receiveTransfer(db, transferNumber, 'clerk', [{ sku: 'PH-128', received: 1 }]);
  expect(await db.serialUnit.count({ where: { status: 'IN_STOCK', locationId: depot } })).toBe(1);
  expect(await db.serialUnit.count({ where: { status: 'LOST' } })).toBe(1);
  expect(await checkSerialUnits(db)).toEqual([]);
  expect(await checkStockAgainstLedger(db)).toEqual([]);

  await expect(
    recordCount(db, { locationId: shop, reference: 'C-1', actor: 'clerk', lines: [{ sku: 'PH-128', counted: 9 }] }),
  ).rejects.toThrow(/counted by scanning each unit/);
});

test('a write-off names its units and takes them off the books, with who and why', async () => {
  const onShelf = await db.serialUnit.findFirstOrThrow({ where: { status: 'IN_STOCK', locationId: depot } });
  const elsewhere = await db.serialUnit.findFirstOrThrow({ where: { status: 'IN_STOCK', locationId: shop } });
  const request = { locationId: depot, reference: 'WO-1', reason: 'water damage', actor: 'manager li' };
  await expect(writeOff(db, { ...request, lines: [{ sku: 'PH-128', quantity: 1 }] })).rejects.toThrow(
    /one serial number per unit/,
  );
  await expect(
    writeOff(db, { ...request, lines: [{ sku: 'PH-128', quantity: 1, serials: [elsewhere.serial] }] }),
  ).rejects.toThrow(/not on the shelf here/);
  const lines = [{ sku: 'PH-128', quantity: 1, serials: [onShelf.serial] }];
  expect(await writeOff(db, { ...request, lines })).toBe('applied');
  expect(await writeOff(db, { ...request, lines })).toBe('already-applied');
  expect(await statusOf(onShelf.serial)).toBe('WRITTEN_OFF');
  const movement = await db.stockMovement.findUniqueOrThrow({ where: { key: `write-off:${depot}:WO-1:1` } });
  expect(movement).toMatchObject({ kind: 'WRITE_OFF', onHandDelta: -1, actor: 'manager li', reason: 'water damage' });
  expect(await checkSerialUnits(db)).toEqual([]);
  expect(await checkStockAgainstLedger(db)).toEqual([]);
});

/**
 * Stock never oversells and can always be explained, on SQLite and PostgreSQL: concurrent
 * reservations from several processes, idempotent retries, and a ledger that matches every level.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDb, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { ROOT_DIR } from '../../lib/config';
import { checkStockAgainstLedger } from '../../inventory/check';
import { applyMovements } from '../../inventory/ledger';
import { CountBelowReservedError, recordCount } from '../../inventory/counts';
import { reviewLowStock, type LowStockNotice } from '../../inventory/low-stock';
import { releaseReservations, reserveOrder, returnToStock, shipReservations } from '../../inventory/reservations';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';

const run = promisify(execFile);
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-inventory-'));
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

let orderSeq = 0;
async function createOrders(db: Db, sku: string, count: number, quantity = 1): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < count; i++) {
    const orderNumber = `SO-20261123-${String(++orderSeq).padStart(6, '0')}`;
    await db.order.create({
      data: {
        orderNumber,
        channel: 'web',
        externalId: orderNumber,
        status: 'ALLOCATING',
        customerName: 'Test',
        customerEmail: 't@example.com',
        customerPhone: '+86 138 0013 8000',
        shippingAddress: { line1: '1 Road', city: 'Shanghai', postalCode: '200001', country: 'CN' },
        totalMinor: 100 * quantity,
        paymentStatus: 'PAID',
        lines: { create: [{ lineNo: 1, sku, quantity, unitPriceMinor: 100 }] },
      },
    });
    numbers.push(orderNumber);
  }
  return numbers;
}

function inventorySuite(label: string, databaseUrl: () => Promise<string>) {
  let url: string;
  let db: Db;
  let warehouse: number;
  let store: number;

  beforeAll(async () => {
    url = await databaseUrl();
    await migrate(url);
    db = createDb(url);
    warehouse = (await db.location.create({ data: { code: 'WH', name: 'Warehouse', kind: 'WAREHOUSE', priority: 10 } }))
      .id;
    store = (await db.location.create({ data: { code: 'ST', name: 'Store', kind: 'STORE', priority: 20 } })).id;
    const receive = (sku: string, locationId: number, quantity: number) =>
      applyMovements(db, [
        { key: `seed:${sku}:${locationId}`, kind: 'RECEIPT', sku, locationId, onHandDelta: quantity },
      ]);
    await receive('HOT-1', warehouse, 50);
    await receive('MIX-1', warehouse, 30);
    await receive('MIX-1', store, 10);
  }, 60_000);

  afterAll(async () => {
    await db?.$disconnect();
  });

  test(`${label}: 200 concurrent reservations from 4 processes for 50 in stock give exactly 50`, async () => {
    const orders = await createOrders(db, 'HOT-1', 200);
    const chunks = [0, 1, 2, 3].map((i) => orders.slice(i * 50, i * 50 + 50));
    const outputs = await Promise.all(
      chunks.map((chunk) =>
        run(process.execPath, ['--import', 'tsx', 'test/support/reserve-orders.ts', url, chunk.join(',')], {
          cwd: ROOT_DIR,
          maxBuffer: 1 << 20,
        }),
      ),
    );
    const results = outputs.flatMap((o) => JSON.parse(o.stdout) as boolean[]);
    expect(results).toHaveLength(200);
    expect(results.filter(Boolean)).toHaveLength(50);

    const level = await db.stockLevel.findUniqueOrThrow({
      where: { sku_locationId: { sku: 'HOT-1', locationId: warehouse } },
    });
    expect(level).toMatchObject({ onHand: 50, reserved: 50 });
    expect(await db.allocation.count({ where: { sku: 'HOT-1', status: 'RESERVED' } })).toBe(50);
    expect(await db.stockMovement.count({ where: { sku: 'HOT-1', kind: 'RESERVE' } })).toBe(50);
    expect(await checkStockAgainstLedger(db)).toEqual([]);
  }, 120_000);

  test(`${label}: retried operations change nothing twice, and a long mixed run matches the ledger`, async () => {
    const orders = await createOrders(db, 'MIX-1', 12, 3);
    for (const [i, orderNumber] of orders.entries()) {
      expect(await reserveOrder(db, orderNumber)).toBe(i < 13); // 40 in stock, 36 wanted
      expect(await reserveOrder(db, orderNumber)).toBe(true); // a retry holds the same reservation
      if (i % 3 === 0) {
        await shipReservations(db, orderNumber);
        await shipReservations(db, orderNumber);
      } else if (i % 3 === 1) {
        await releaseReservations(db, orderNumber);
        await releaseReservations(db, orderNumber);
      }
    }
    await returnToStock(db, 'RMA-1', [{ sku: 'MIX-1', quantity: 2, locationId: store }]);
    await returnToStock(db, 'RMA-1', [{ sku: 'MIX-1', quantity: 2, locationId: store }]);
    await applyMovements(db, [
      {
        key: 'count:1',
        kind: 'ADJUST',
        sku: 'MIX-1',
        locationId: store,
        onHandDelta: -1,
        actor: 'clerk',
        reason: 'damaged',
      },
    ]);
    // Three orders of each kind: 4 shipped (12 units), 4 released, 4 still reserved (12 units).
    const atWarehouse = await db.stockLevel.findUniqueOrThrow({
      where: { sku_locationId: { sku: 'MIX-1', locationId: warehouse } },
    });
    const atStore = await db.stockLevel.findUniqueOrThrow({
      where: { sku_locationId: { sku: 'MIX-1', locationId: store } },
    });
    expect(atWarehouse.onHand + atStore.onHand).toBe(40 - 12 + 2 - 1);
    expect(atWarehouse.reserved + atStore.reserved).toBe(12);
    expect(await db.allocation.count({ where: { sku: 'MIX-1' } })).toBe(12);
    expect(await checkStockAgainstLedger(db)).toEqual([]);
  }, 60_000);

  test(`${label}: a movement that would oversell writes nothing`, async () => {
    const before = await db.stockMovement.count();
    expect(
      await applyMovements(db, [
        { key: 'bad:1', kind: 'RECEIPT', sku: 'MIX-1', locationId: warehouse, onHandDelta: 5 },
        { key: 'bad:2', kind: 'WRITE_OFF', sku: 'MIX-1', locationId: store, onHandDelta: -1_000 },
      ]),
    ).toBe('insufficient');
    expect(await db.stockMovement.count()).toBe(before);
    expect(await checkStockAgainstLedger(db)).toEqual([]);
  });

  test(`${label}: a stock count turns differences into adjustments with who and why, once per sheet`, async () => {
    await applyMovements(db, [
      { key: 'seed:CNT-1', kind: 'RECEIPT', sku: 'CNT-1', locationId: store, onHandDelta: 10 },
    ]);
    await applyMovements(db, [{ key: 'seed:CNT-2', kind: 'RECEIPT', sku: 'CNT-2', locationId: store, onHandDelta: 4 }]);
    const sheet = {
      locationId: store,
      reference: 'COUNT-1',
      actor: 'clerk wang',
      lines: [
        { sku: 'CNT-1', counted: 8 },
        { sku: 'CNT-2', counted: 4 },
        { sku: 'CNT-3', counted: 2 }, // found on the shelf, never recorded
      ],
    };
    expect(await recordCount(db, sheet)).toEqual([
      { sku: 'CNT-1', recorded: 10, counted: 8, delta: -2 },
      { sku: 'CNT-3', recorded: 0, counted: 2, delta: 2 },
    ]);
    expect(await recordCount(db, sheet)).toEqual([]); // the same sheet again
    const adjustments = await db.stockMovement.findMany({ where: { kind: 'ADJUST', reference: 'COUNT-1' } });
    expect(adjustments.map((m) => [m.sku, m.onHandDelta, m.actor, m.reason])).toEqual([
      ['CNT-1', -2, 'clerk wang', 'stock count'],
      ['CNT-3', 2, 'clerk wang', 'stock count'],
    ]);
    const [orderNumber] = await createOrders(db, 'CNT-1', 1, 5);
    expect(await reserveOrder(db, orderNumber)).toBe(true);
    await expect(
      recordCount(db, { ...sheet, reference: 'COUNT-2', lines: [{ sku: 'CNT-1', counted: 3 }] }),
    ).rejects.toThrow(CountBelowReservedError);
    expect(await checkStockAgainstLedger(db)).toEqual([]);
  });

  test(`${label}: low stock warns once per crossing and clears when stock recovers`, async () => {
    await applyMovements(db, [
      { key: 'seed:LOW-1', kind: 'RECEIPT', sku: 'LOW-1', locationId: store, onHandDelta: 10 },
    ]);
    await db.stockLevel.update({
      where: { sku_locationId: { sku: 'LOW-1', locationId: store } },
      data: { safetyStock: 5 },
    });
    const notices: LowStockNotice[] = [];
    const notify = (n: LowStockNotice) => {
      notices.push(n);
      return Promise.resolve();
    };
    const touched = [{ sku: 'LOW-1', locationId: store }];
    const reserve = async (n: number) => {
      const [orderNumber] = await createOrders(db, 'LOW-1', 1, n);
      expect(await reserveOrder(db, orderNumber)).toBe(true);
      await reviewLowStock(db, notify, touched);
    };
    await reserve(5); // 5 available: not below
    expect(notices).toHaveLength(0);
    await reserve(1); // 4 < 5
    await reserve(1); // 3: still the same warning
    await Promise.all([reviewLowStock(db, notify, touched), reviewLowStock(db, notify, touched)]);
    expect(notices).toEqual([expect.objectContaining({ sku: 'LOW-1', available: 4, safetyStock: 5 })]);
    expect(await db.warning.count({ where: { openKey: { not: null } } })).toBe(1);

    await applyMovements(db, [
      { key: 'receipt:LOW-1', kind: 'RECEIPT', sku: 'LOW-1', locationId: store, onHandDelta: 10 },
    ]);
    await reviewLowStock(db, notify, touched);
    expect(await db.warning.count({ where: { openKey: { not: null } } })).toBe(0);
    await reserve(9); // 13 - 9 = 4 < 5: a new crossing, a new warning
    expect(notices).toHaveLength(2);
  }, 60_000);
}

describe('inventory on SQLite', () => {
  inventorySuite('SQLite', () => Promise.resolve(`file:${path.join(tmpDir, 'inventory.db')}`));
});

(postgresAvailable() ? describe : describe.skip)('inventory on PostgreSQL', () => {
  let pgUrl: string | undefined;
  afterAll(async () => {
    if (pgUrl) await dropTestDatabase(pgUrl);
  });
  inventorySuite('PostgreSQL', async () => (pgUrl = await createTestDatabase('inventory')));
});

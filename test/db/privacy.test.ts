/**
 * On SQLite and PostgreSQL: the order search takes `%`, `_` and `\` literally (Prisma's `contains` would pass them on
 * as LIKE wildcards), and a stock count is recorded whole or not at all, lowering stock only so far without a manager.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { applyMovements } from '../../inventory/ledger';
import { CountNeedsManagerError, recordCount } from '../../inventory/counts';
import { listOrders } from '../../orders/order-list';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-privacy-'));
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

function privacySuite(label: string, databaseUrl: () => Promise<string>) {
  let db: Db;
  let shelf: number;

  beforeAll(async () => {
    const url = await databaseUrl();
    await migrate(url);
    db = createDb(url);
    shelf = (await db.location.create({ data: { code: 'WH', name: 'Warehouse', kind: 'WAREHOUSE', priority: 10 } })).id;
    const customers = [
      ['Li Lei', 'li.lei@example.com', '+86 138 0013 8000'],
      ['Han Meimei', 'han_mm@example.com', '+86 139 1111 2222'],
      ['100% Cotton Ltd', 'sales@cotton.example', '021 6123 4567'],
      ['Back\\slash', 'bs@example.com', '021 0000 0000'],
    ];
    for (const [i, [name, email, phone]] of customers.entries()) {
      const orderNumber = `SO-20261202-00000${i + 1}`;
      await db.order.create({
        data: {
          orderNumber,
          channel: 'web',
          externalId: `WEB-${i + 1}`,
          status: 'NEW',
          customerName: name,
          customerEmail: email,
          customerPhone: phone,
          shippingAddress: { line1: '1 Road', city: 'Shanghai', postalCode: '200001', country: 'CN' },
          totalMinor: 100,
          paymentStatus: 'PAID',
        },
      });
    }
  }, 60_000);

  afterAll(async () => {
    await db?.$disconnect();
  });

  const search = async (q: string, searchContacts = true) =>
    (await listOrders(db, { q, searchContacts }, { limit: 100 })).orders.map((o) => o.customerName).sort();

  test(`${label}: q=% and q=_ match only a literal percent or underscore, not every order`, async () => {
    expect(await search('%')).toEqual(['100% Cotton Ltd']);
    expect(await search('_')).toEqual(['Han Meimei']); // han_mm@…
    expect(await search('han_mm')).toEqual(['Han Meimei']);
    expect(await search('li_lei')).toEqual([]); // `_` is not "any one character": li.lei@… does not match
    expect(await search('\\')).toEqual(['Back\\slash']);
    expect((await listOrders(db, { q: '%' }, { limit: 100 })).total).toBe(1);
    // Without wildcards the search is as before.
    expect(await search('Li Lei')).toEqual(['Li Lei']);
    expect(await search('0013')).toEqual(['Li Lei']);
  });

  test(`${label}: without contact search (a warehouse key) emails and phones are not searched`, async () => {
    expect(await search('0013', false)).toEqual([]);
    expect(await search('han_mm', false)).toEqual([]);
    expect(await search('Han', false)).toEqual(['Han Meimei']);
    expect(await search('SO-20261202-000001', false)).toEqual(['Li Lei']);
  });

  const levelOf = async (sku: string) =>
    (await db.stockLevel.findUnique({ where: { sku_locationId: { sku, locationId: shelf } } }))?.onHand;
  const seed = (sku: string, quantity: number) =>
    applyMovements(db, [{ key: `seed:${sku}`, kind: 'RECEIPT', sku, locationId: shelf, onHandDelta: quantity }]);
  const sheet = (reference: string, lines: { sku: string; counted: number }[]) => ({
    locationId: shelf,
    reference,
    actor: 'picker zhang',
    lines,
  });

  test(`${label}: a non-manager's count that lowers stock past the limit records nothing, not even its other lines`, async () => {
    await seed('CNT-A', 10);
    await seed('CNT-B', 10);
    const counting = recordCount(
      db,
      sheet('C-1', [
        { sku: 'CNT-A', counted: 12 }, // found two more: fine on its own
        { sku: 'CNT-B', counted: 0 }, // a write-off in all but name
      ]),
      2,
    );
    await expect(counting).rejects.toThrow(CountNeedsManagerError);
    expect([await levelOf('CNT-A'), await levelOf('CNT-B')]).toEqual([10, 10]);
    expect(await db.stockMovement.count({ where: { reference: 'C-1' } })).toBe(0);
    // A manager's count (no limit) goes through whole.
    expect(
      await recordCount(
        db,
        sheet('C-2', [
          { sku: 'CNT-A', counted: 12 },
          { sku: 'CNT-B', counted: 0 },
        ]),
      ),
    ).toEqual([
      { sku: 'CNT-A', recorded: 10, counted: 12, delta: 2 },
      { sku: 'CNT-B', recorded: 10, counted: 0, delta: -10 },
    ]);
    expect([await levelOf('CNT-A'), await levelOf('CNT-B')]).toEqual([12, 0]);
  });

  test(`${label}: small counts add up over the day: sheet by sheet, the limit still holds`, async () => {
    await seed('CNT-C', 10);
    expect(await recordCount(db, sheet('D-1', [{ sku: 'CNT-C', counted: 9 }]), 2)).toHaveLength(1);
    expect(await recordCount(db, sheet('D-2', [{ sku: 'CNT-C', counted: 8 }]), 2)).toHaveLength(1);
    await expect(recordCount(db, sheet('D-3', [{ sku: 'CNT-C', counted: 7 }]), 2)).rejects.toThrow(
      CountNeedsManagerError,
    );
    expect(await levelOf('CNT-C')).toBe(8);
    // Counting more than recorded is never limited.
    expect(await recordCount(db, sheet('D-4', [{ sku: 'CNT-C', counted: 30 }]), 2)).toHaveLength(1);
    expect(await levelOf('CNT-C')).toBe(30);
  });

  test(`${label}: two lowering counts at once cannot both slip under the limit`, async () => {
    await seed('CNT-D', 10);
    const results = await Promise.allSettled([
      recordCount(db, sheet('E-1', [{ sku: 'CNT-D', counted: 8 }]), 2),
      recordCount(db, sheet('E-2', [{ sku: 'CNT-D', counted: 8 }]), 2),
    ]);
    // One lowers by 2; the other reads 8 (or retries on it) and changes nothing, or is refused: never 10 → 6.
    expect(await levelOf('CNT-D')).toBe(8);
    const lowered = await db.stockMovement.aggregate({
      where: { sku: 'CNT-D', kind: 'ADJUST' },
      _sum: { onHandDelta: true },
    });
    expect(lowered._sum.onHandDelta).toBe(-2);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
  });
}

describe('privacy on SQLite', () => {
  privacySuite('SQLite', () => Promise.resolve(`file:${path.join(tmpDir, 'privacy.db')}`));
});

(postgresAvailable() ? describe : describe.skip)('privacy on PostgreSQL', () => {
  let pgUrl: string | undefined;
  afterAll(async () => {
    if (pgUrl) await dropTestDatabase(pgUrl);
  });
  privacySuite('PostgreSQL', async () => (pgUrl = await createTestDatabase('privacy')));
});

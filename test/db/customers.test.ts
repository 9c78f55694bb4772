/**
 * On SQLite and PostgreSQL: orders of one new person arriving at once make one customer, whichever way the number is
 * typed; orders from before customers existed are linked as intake would link them, once; and the customer search
 * takes `%` and `_` literally and, for a role without contact details, searches names only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { customerIdFor, linkOrdersToCustomers, searchCustomers } from '../../orders/customers';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-customers-'));
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

function customersSuite(label: string, databaseUrl: () => Promise<string>) {
  let db: Db;
  let orders = 0;

  beforeAll(async () => {
    const url = await databaseUrl();
    await migrate(url);
    db = createDb(url);
  }, 60_000);

  afterAll(async () => {
    await db?.$disconnect();
  });

  /** An order stored without a customer, as before customers existed. */
  const legacyOrder = (customer: { name: string; email?: string; phone?: string }) =>
    db.order.create({
      data: {
        orderNumber: `SO-20261101-${String(++orders).padStart(6, '0')}`,
        channel: 'web',
        externalId: `OLD-${orders}`,
        status: 'COMPLETED',
        customerName: customer.name,
        customerEmail: customer.email ?? null,
        customerPhone: customer.phone ?? null,
        shippingAddress: {},
        totalMinor: 100,
        paymentStatus: 'PAID',
      },
    });

  test(`${label}: twenty orders of one new person at once make one customer`, async () => {
    const typings = ['+86 135 0000 1111', '13500001111', '135-0000-1111', '0086 135 0000 1111'];
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) => customerIdFor(db, { name: 'Sun Li', phone: typings[i % typings.length] })),
    );
    expect(new Set(ids).size).toBe(1);
    expect(await db.customer.count({ where: { mobile: '13500001111' } })).toBe(1);
  });

  test(`${label}: older orders are linked as intake would link them, and a second run links nothing`, async () => {
    const first = await legacyOrder({ name: '周杰', phone: '+86 136 1234 0000' });
    const again = await legacyOrder({ name: 'Zhou Jie', phone: '13612340000', email: 'Zhou@Example.cn' });
    const byEmail = await legacyOrder({ name: 'Zhou J.', email: 'zhou@example.cn' });
    const landline = await legacyOrder({ name: 'Office', phone: '021 6234 5678' });

    expect(await linkOrdersToCustomers(db)).toBe(3);
    const linked = await db.order.findMany({
      where: { id: { in: [first.id, again.id, byEmail.id, landline.id] } },
      orderBy: { id: 'asc' },
      select: { customerId: true },
    });
    const [a, b, c, d] = linked.map((o) => o.customerId);
    expect(a).not.toBeNull();
    expect([b, c, d]).toEqual([a, a, null]);
    // Named as they first ordered; the email learned from the second order.
    expect(await db.customer.findUniqueOrThrow({ where: { id: a! } })).toMatchObject({
      name: '周杰',
      mobile: '13612340000',
      email: 'zhou@example.cn',
    });
    expect(await linkOrdersToCustomers(db)).toBe(0);
  });

  test(`${label}: the search takes % and _ literally, and without contacts searches names only`, async () => {
    await customerIdFor(db, { name: '100% Cotton Ltd', email: 'sales@cotton.example' });
    await customerIdFor(db, { name: 'Han Meimei', email: 'han_mm@example.com', phone: '13711112222' });
    const names = async (q: string, contacts = true) =>
      (await searchCustomers(db, q, { contacts })).map((c) => c.name).sort();

    expect(await names('%')).toEqual(['100% Cotton Ltd']);
    expect(await names('_')).toEqual(['Han Meimei']);
    expect(await names('HAN_MM@')).toEqual(['Han Meimei']);
    expect(await names('1111 2222')).toEqual(['Han Meimei']);
    expect(await names('1111 2222', false)).toEqual([]);
    expect(await names('han_mm', false)).toEqual([]);
    expect(await names('Han', false)).toEqual(['Han Meimei']);
    expect((await searchCustomers(db, '13711112222', { contacts: true }))[0]).toMatchObject({ orderCount: 0 });
  });
}

describe('customers on SQLite', () => {
  customersSuite('SQLite', () => Promise.resolve(`file:${path.join(tmpDir, 'customers.db')}`));
});

(postgresAvailable() ? describe : describe.skip)('customers on PostgreSQL', () => {
  let pgUrl: string | undefined;
  afterAll(async () => {
    if (pgUrl) await dropTestDatabase(pgUrl);
  });
  customersSuite('PostgreSQL', async () => (pgUrl = await createTestDatabase('customers')));
});

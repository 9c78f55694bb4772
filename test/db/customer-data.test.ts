/**
 * A customer's personal data on request, on SQLite and PostgreSQL: the export holds everything about them and is
 * recorded; erasure waits for their open orders, then replaces the person's data wherever it is (their record, merged
 * records, address book, feedback, changes, orders, email recipients, return notes) and keeps the books (orders,
 * amounts, refunds, the city), lapses their points, is recorded once, and cannot be done twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { AlreadyErasedError, ERASED, eraseCustomer, exportCustomer, OrdersOpenError } from '../../orders/customer-data';
import { changeProfile, customerIdFor, mergeCustomers, rememberAddress } from '../../orders/customers';
import { checkPoints, movePoints } from '../../orders/points';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-customer-data-'));
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

const ADDRESS = { line1: '88 Nanjing Road', line2: 'Flat 12', city: 'Shanghai', postalCode: '200001', country: 'CN' };

function customerDataSuite(label: string, databaseUrl: () => Promise<string>) {
  let db: Db;
  let seq = 0;

  beforeAll(async () => {
    const url = await databaseUrl();
    await migrate(url);
    db = createDb(url);
  }, 60_000);

  afterAll(async () => {
    await db?.$disconnect();
  });

  const orderOf = (customerId: number, status: string, contact: { email: string; phone: string }) =>
    db.order.create({
      data: {
        orderNumber: `SO-20261203-${String(++seq).padStart(6, '0')}`,
        channel: 'web',
        externalId: `PD-${seq}`,
        status,
        customerId,
        customerName: 'Qian Hui',
        customerEmail: contact.email,
        customerPhone: contact.phone,
        shippingAddress: ADDRESS,
        reviewReasons: [{ code: 'BLOCKED_CUSTOMER', message: `Customer ${contact.email} is on the block list` }],
        totalMinor: 25_800,
        paymentStatus: 'PAID',
        lines: { create: [{ lineNo: 1, sku: 'TEE-M', quantity: 2, unitPriceMinor: 12_900 }] },
      },
    });

  test(`${label}: the export holds everything about the customer, and is recorded`, async () => {
    const contact = { email: `qian.${label.toLowerCase()}@example.com`, phone: '13900001111' };
    const id = (await customerIdFor(db, { name: 'Qian Hui', ...contact }))!;
    const order = await orderOf(id, 'COMPLETED', contact);
    await rememberAddress(db, id, ADDRESS);
    await db.emailLog.create({
      data: {
        key: `received:${order.orderNumber}`,
        kind: 'received',
        recipient: contact.email,
        subject: `Order ${order.orderNumber}`,
        messageId: 'm1',
        status: 'SENT',
        orderNumber: order.orderNumber,
      },
    });

    const exported = await exportCustomer(db, id, 'manager');
    expect(exported.customer).toMatchObject({ name: 'Qian Hui', mobile: contact.phone, email: contact.email });
    expect(exported.customer.addresses.map((a) => a.address)).toEqual([ADDRESS]);
    expect(exported.orders.map((o) => [o.orderNumber, o.lines.length, o.shippingAddress])).toEqual([
      [order.orderNumber, 1, ADDRESS],
    ]);
    expect(exported.emails.map((e) => e.recipient)).toEqual([contact.email]);
    // Plain JSON, as the download is.
    const asDownloaded = JSON.parse(JSON.stringify(exported)) as typeof exported;
    expect(asDownloaded.orders[0].customerEmail).toBe(contact.email);
    const events = await db.customerEvent.findMany({ where: { customerId: id, action: 'EXPORTED' } });
    expect(events.map((e) => e.actor)).toEqual(['manager']);
  });

  test(`${label}: erasure waits for open orders, then leaves the books and nothing of the person`, async () => {
    const contact = { email: `sun.${label.toLowerCase()}@example.com`, phone: '13900002222' };
    const id = (await customerIdFor(db, { name: 'Sun Wei', ...contact }))!;
    const other = (await customerIdFor(db, { name: 'Sun W.', email: `old.sun.${label}@example.com` }))!;
    await changeProfile(db, id, { notes: 'Prefers WeChat: sunwei88', birthday: '1988-08-08' }, 'clerk');
    await mergeCustomers(db, id, other, 'manager');
    await rememberAddress(db, id, ADDRESS);
    await db.customerFeedback.create({
      data: { customerId: id, kind: 'COMPLAINT', text: 'Call me on 13900002222', actor: 'clerk' },
    });
    await movePoints(db, { key: `gift:${id}`, customerId: id, kind: 'ADJUST', points: 300, actor: 'test' });
    const done = await orderOf(id, 'COMPLETED', contact);
    await db.returnRequest.create({
      data: {
        returnNumber: `RMA-${done.orderNumber}`,
        orderId: done.id,
        kind: 'RETURN',
        status: 'REFUNDED',
        reasonCode: 'SIZE_OR_FIT',
        note: 'Sun Wei says too small',
        source: 'customer',
        requestedBy: 'customer',
        lines: [],
      },
    });
    await db.emailLog.create({
      data: {
        key: `delivered:${done.orderNumber}`,
        kind: 'delivered',
        recipient: contact.email,
        subject: `Order ${done.orderNumber}`,
        messageId: 'm2',
        status: 'SENT',
        orderNumber: done.orderNumber,
      },
    });
    const open = await orderOf(id, 'PICKING', contact);

    await expect(eraseCustomer(db, id, 'manager', 'Customer asked')).rejects.toEqual(
      new OrdersOpenError([open.orderNumber]),
    );
    expect(await db.customer.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: 'Sun Wei', erasedAt: null });

    await db.order.update({ where: { id: open.id }, data: { status: 'CANCELLED' } });
    await eraseCustomer(db, id, 'manager', 'Customer asked');

    for (const cid of [id, other]) {
      expect(await db.customer.findUniqueOrThrow({ where: { id: cid } })).toMatchObject({
        name: ERASED,
        mobile: null,
        email: null,
        otherPhone: null,
        birthday: null,
        notes: null,
        marketingConsent: false,
        pointsBalance: 0,
      });
    }
    expect(await db.customerAddress.count({ where: { customerId: id } })).toBe(0);
    expect((await db.customerFeedback.findMany({ where: { customerId: id } })).map((f) => f.text)).toEqual([ERASED]);
    const orders = await db.order.findMany({
      where: { customerId: id },
      include: { lines: true },
      orderBy: { id: 'asc' },
    });
    for (const order of orders) {
      expect(order).toMatchObject({
        customerName: ERASED,
        customerEmail: null,
        customerPhone: null,
        shippingAddress: { city: 'Shanghai', country: 'CN' },
        totalMinor: 25_800,
      });
      expect(order.lines).toHaveLength(1);
    }
    const everything = JSON.stringify({
      orders,
      customers: await db.customer.findMany({ where: { id: { in: [id, other] } } }),
      events: await db.customerEvent.findMany({ where: { customerId: { in: [id, other] } } }),
      feedback: await db.customerFeedback.findMany({ where: { customerId: id } }),
      emails: await db.emailLog.findMany({ where: { orderNumber: done.orderNumber } }),
      returns: await db.returnRequest.findMany({ where: { orderId: done.id } }),
    });
    for (const trace of [
      'Sun Wei',
      'Sun W.',
      contact.email,
      contact.phone,
      'sunwei88',
      'Nanjing Road',
      '200001',
      '1988',
    ]) {
      expect([trace, everything.includes(trace)]).toEqual([trace, false]);
    }
    const erased = await db.customerEvent.findMany({ where: { customerId: id, action: 'ERASED' } });
    expect(erased.map((e) => [e.actor, e.details])).toEqual([
      ['manager', { reason: 'Customer asked', orders: 2, pointsLapsed: 300 }],
    ]);
    expect(await checkPoints(db)).toEqual([]);

    await expect(eraseCustomer(db, id, 'manager', 'again')).rejects.toBeInstanceOf(AlreadyErasedError);
    // The person ordering again is a new customer: nothing links them to the erased record.
    expect(await customerIdFor(db, { name: 'Sun Wei', ...contact })).not.toBe(id);
  });
}

describe('customer data on SQLite', () => {
  customerDataSuite('SQLite', () => Promise.resolve(`file:${path.join(tmpDir, 'customer-data.db')}`));
});

(postgresAvailable() ? describe : describe.skip)('customer data on PostgreSQL', () => {
  let pgUrl: string | undefined;
  afterAll(async () => {
    if (pgUrl) await dropTestDatabase(pgUrl);
  });
  customerDataSuite('PostgreSQL', async () => (pgUrl = await createTestDatabase('customer_data')));
});

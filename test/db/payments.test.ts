/**
 * Payments the shop can trust, on SQLite and PostgreSQL: review asks the payment adapter about the payment a PAID
 * order names (activities/orders.ts), and refunds return money only from that confirmed capture and never more than
 * it took, in total (activities/refunds.ts), whoever said the order was paid.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ActivityDeps } from '../../activities/deps';
import { createAfterSalesActivities } from '../../activities/after-sales';
import { createOrderActivities } from '../../activities/orders';
import { recordRefund } from '../../activities/refunds';
import type { CarrierAdapter } from '../../carriers/types';
import { createDb, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { DEFAULT_TIERS } from '../../domain/loyalty';
import type { Mailer } from '../../mail/transport';
import { LocalPaymentAdapter, localPaymentFiles, readLocalRefunds } from '../../payments/local';
import type { PaymentAdapter } from '../../payments/types';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';

/** The review and refund activities as the worker builds them, on `db` and `payments` (no mail or carrier). */
function activitiesOn(db: Db, payments: PaymentAdapter) {
  const deps: ActivityDeps = {
    db,
    payments,
    mailer: {} as Mailer,
    carrier: {} as CarrierAdapter,
    config: {
      mailFrom: 'oms@example.com',
      managerEmail: 'm@example.com',
      expressFromMinor: 0,
      publicUrl: '',
      loyalty: { tiers: DEFAULT_TIERS, tierWindowMs: 365 * DAY_MS, pointsLifetimeMs: 365 * DAY_MS, pointValueMinor: 1 },
      shopName: 'Shop OMS',
      shopLogoUrl: undefined,
      shopContact: undefined,
      afterSalesWindowMs: 7 * DAY_MS,
      returnDiscountPolicy: 'DEDUCT',
      birthdayPromotion: 'BIRTHDAY',
      timeZone: 'Asia/Shanghai',
      language: 'en',
    },
  };
  return { orders: createOrderActivities(deps), afterSales: createAfterSalesActivities(deps) };
}

const DAY_MS = 86_400_000;
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-payments-db-'));
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

function paymentSuite(name: string, newUrl: () => Promise<string>, dropUrl?: (url: string) => Promise<void>) {
  let url: string;
  let db: Db;
  const files = localPaymentFiles(path.join(tmpDir, name));
  const payments = new LocalPaymentAdapter(files);
  let orders: ReturnType<typeof createOrderActivities>;
  let afterSales: ReturnType<typeof createAfterSalesActivities>;

  beforeAll(async () => {
    url = await newUrl();
    await migrate(url);
    db = createDb(url);
    ({ orders, afterSales } = activitiesOn(db, payments));
  }, 60_000);
  afterAll(async () => {
    await db?.$disconnect();
    if (url) await dropUrl?.(url);
  });

  let seq = 0;
  /** A 10,000 phone order a clerk marked PAID, naming `reference` (or none). */
  async function clerksPaidOrder(reference?: string): Promise<string> {
    const orderNumber = `SO-20261202-${String(++seq).padStart(6, '0')}`;
    await db.order.create({
      data: {
        orderNumber,
        channel: 'phone',
        externalId: orderNumber,
        status: 'IN_REVIEW',
        customerName: 'Wang Fang',
        customerEmail: 'wang@example.com',
        customerPhone: '+86 139 1234 5678',
        shippingAddress: { line1: '100 Huaihai Road', city: 'Shanghai', postalCode: '200021', country: 'CN' },
        totalMinor: 10_000,
        paymentStatus: 'PAID',
        paymentReference: reference ?? null,
        lines: { create: [{ lineNo: 1, sku: 'TEE-WHI-M', quantity: 2, unitPriceMinor: 5_000 }] },
      },
    });
    return orderNumber;
  }
  const paymentReasons = async (orderNumber: string) =>
    (await orders.reviewOrderLines(orderNumber)).reasons.filter((r) => r.code.startsWith('PAYMENT_'));
  const refundsOf = (orderNumber: string) =>
    db.refund.findMany({ where: { order: { orderNumber } }, orderBy: { id: 'asc' } });
  const unpaidNotes = (orderNumber: string) =>
    db.auditEvent.findMany({ where: { orderNumber, action: 'refund not paid' } });

  test("a clerk's PAID order with no payment behind it goes to review, and cancelling it refunds nothing", async () => {
    const none = await clerksPaidOrder();
    const madeUp = await clerksPaidOrder('LPC-MADE-UP-BY-A-CLERK');
    expect(await paymentReasons(none)).toEqual([
      { code: 'PAYMENT_UNVERIFIED', message: 'Marked paid, but names no payment reference' },
    ]);
    expect(await paymentReasons(madeUp)).toEqual([
      {
        code: 'PAYMENT_UNVERIFIED',
        message: 'Marked paid, but the payment provider has no payment LPC-MADE-UP-BY-A-CLERK',
      },
    ]);
    for (const orderNumber of [none, madeUp]) {
      expect(await db.order.findUniqueOrThrow({ where: { orderNumber } })).toMatchObject({ capturedMinor: null });
      // Approved anyway and then cancelled: no money goes back that was never taken, and staff can see why.
      expect(await afterSales.refundOrder({ orderNumber, key: 'cancel', reason: 'customer changed mind' })).toBe(0);
      expect(await refundsOf(orderNumber)).toEqual([]);
      expect(await unpaidNotes(orderNumber)).toMatchObject([{ actor: 'payments', details: { unpaidMinor: 10_000 } }]);
    }
    expect(readLocalRefunds(files.refunds).filter((r) => [none, madeUp].includes(r.orderNumber))).toEqual([]);
  });

  test('a PAID order whose payment the provider confirms passes, and its refund names that capture', async () => {
    const { reference } = await payments.capture({ amountMinor: 10_000, currency: 'CNY', method: 'card' });
    const orderNumber = await clerksPaidOrder(reference);
    expect(await paymentReasons(orderNumber)).toEqual([]);
    expect(await db.order.findUniqueOrThrow({ where: { orderNumber } })).toMatchObject({ capturedMinor: 10_000 });
    expect(await afterSales.refundOrder({ orderNumber, key: 'cancel', reason: 'cancelled' })).toBe(10_000);
    // A retried activity pays nothing more.
    expect(await afterSales.refundOrder({ orderNumber, key: 'cancel', reason: 'cancelled' })).toBe(10_000);
    expect(await refundsOf(orderNumber)).toMatchObject([{ amountMinor: 10_000, captureRef: reference }]);
    expect(payments.remainingMinor(reference)).toBe(0);
  });

  test('a capture short of the total is flagged; approved anyway, refunds return at most what it took', async () => {
    const { reference } = await payments.capture({ amountMinor: 4_000, currency: 'CNY', method: 'cash' });
    const orderNumber = await clerksPaidOrder(reference);
    expect(await paymentReasons(orderNumber)).toEqual([
      {
        code: 'PAYMENT_UNVERIFIED',
        message: `Payment ${reference} captured 4000, less than the order total 10000`,
      },
    ]);
    expect(await afterSales.refundOrder({ orderNumber, key: 'cancel', reason: 'cancelled' })).toBe(4_000);
    expect(await refundsOf(orderNumber)).toMatchObject([{ amountMinor: 4_000, captureRef: reference }]);
    expect(await unpaidNotes(orderNumber)).toMatchObject([{ details: { unpaidMinor: 6_000 } }]);
  });

  test('two refunds that together exceed the capture: the second is refused beyond what is left', async () => {
    const { reference } = await payments.capture({ amountMinor: 10_000, currency: 'CNY', method: 'card' });
    const orderNumber = await clerksPaidOrder(reference);
    await orders.reviewOrderLines(orderNumber);
    const refund = (key: string, amountMinor: number) =>
      recordRefund(db, payments, { orderNumber, key, amountMinor, reason: key });
    expect(await refund('return-1', 7_000)).toBe(7_000);
    expect(await refund('return-2', 7_000)).toBe(3_000);
    expect(await refund('return-3', 1)).toBe(0);
    const stored = await refundsOf(orderNumber);
    expect(stored.map((r) => [r.key, r.amountMinor])).toEqual([
      [`${orderNumber}:return-1`, 7_000],
      [`${orderNumber}:return-2`, 3_000],
    ]);
    expect(stored.reduce((sum, r) => sum + r.amountMinor, 0)).toBe(10_000);
    expect((await unpaidNotes(orderNumber)).map((n) => n.details)).toEqual([
      { unpaidMinor: 4_000 },
      { unpaidMinor: 1 },
    ]);
    expect(payments.remainingMinor(reference)).toBe(0);
  });

  test('refunds of one capture at once: together they pay exactly the capture, each audited for its rest', async () => {
    const { reference } = await payments.capture({ amountMinor: 10_000, currency: 'CNY', method: 'card' });
    const orderNumber = await clerksPaidOrder(reference);
    await orders.reviewOrderLines(orderNumber);
    const keys = ['return-a', 'return-b', 'return-c', 'return-d'];
    const paid = await Promise.all(
      keys.map((key) => recordRefund(db, payments, { orderNumber, key, amountMinor: 3_000, reason: key })),
    );
    expect([...paid].sort((a, b) => a - b)).toEqual([1_000, 3_000, 3_000, 3_000]);
    const stored = await refundsOf(orderNumber);
    expect(stored.reduce((sum, r) => sum + r.amountMinor, 0)).toBe(10_000);
    expect((await unpaidNotes(orderNumber)).map((n) => n.details)).toEqual([{ unpaidMinor: 2_000 }]);
    expect(payments.remainingMinor(reference)).toBe(0);
  });

  test('a refund whose provider call failed is paid, on retry, the amount decided first', async () => {
    const { reference } = await payments.capture({ amountMinor: 10_000, currency: 'CNY', method: 'card' });
    const orderNumber = await clerksPaidOrder(reference);
    await orders.reviewOrderLines(orderNumber);
    let down = true;
    const flaky: PaymentAdapter = {
      name: payments.name,
      verify: (ref) => payments.verify(ref),
      refund: (request) => (down ? Promise.reject(new Error('provider unreachable')) : payments.refund(request)),
    };
    const refund = (key: string, amountMinor: number) =>
      recordRefund(db, flaky, { orderNumber, key, amountMinor, reason: key });
    await expect(refund('return-a', 7_000)).rejects.toThrow('provider unreachable');
    down = false;
    // Another refund meanwhile gets only what the first did not claim; the first's retry pays its 7,000.
    expect(await refund('return-b', 7_000)).toBe(3_000);
    expect(await refund('return-a', 7_000)).toBe(7_000);
    expect(await refund('return-a', 7_000)).toBe(7_000);
    const stored = await refundsOf(orderNumber);
    expect(stored.map((r) => [r.key, r.amountMinor, r.providerRef !== null])).toEqual([
      [`${orderNumber}:return-a`, 7_000, true],
      [`${orderNumber}:return-b`, 3_000, true],
    ]);
    expect((await unpaidNotes(orderNumber)).map((n) => [n.key, n.details])).toEqual([
      [`${orderNumber}:return-b:unpaid`, { unpaidMinor: 4_000 }],
    ]);
    const provider = readLocalRefunds(files.refunds).filter((r) => r.orderNumber === orderNumber);
    expect(provider.map((r) => r.amountMinor)).toEqual([3_000, 7_000]);
  });
}

/** The migration that brought payment captures in, with orders placed before it (paid under the old rules). */
const CAPTURES_MIGRATION = '20261202054130_payment_captures';

function legacySuite(name: string, newUrl: () => Promise<string>, dropUrl?: (url: string) => Promise<void>) {
  let url: string;
  let db: Db;
  const files = localPaymentFiles(path.join(tmpDir, `${name}-legacy`));
  const payments = new LocalPaymentAdapter(files);
  let orders: ReturnType<typeof createOrderActivities>;
  let afterSales: ReturnType<typeof createAfterSalesActivities>;
  const [paid, refundedInPart, pending] = ['SO-20261101-000001', 'SO-20261101-000002', 'SO-20261101-000003'];

  /** An order as the previous version stored it: no payment reference, no capture. */
  async function oldOrder(orderNumber: string, paymentStatus: string): Promise<void> {
    const at = new Date('2026-11-01T10:00:00Z');
    await db.$executeRaw`
      INSERT INTO "Order" ("orderNumber", "channel", "externalId", "status", "customerName", "customerEmail",
        "customerPhone", "shippingAddress", "totalMinor", "paymentStatus", "createdAt", "updatedAt")
      VALUES (${orderNumber}, 'web', ${orderNumber}, 'PICKING', 'Wang Fang', 'wang@example.com', '+86 139 1234 5678',
        '{"line1":"100 Huaihai Road","city":"Shanghai","postalCode":"200021","country":"CN"}', 10000,
        ${paymentStatus}, ${at}, ${at})`;
    await db.$executeRaw`
      INSERT INTO "OrderLine" ("orderId", "lineNo", "sku", "quantity", "unitPriceMinor")
      SELECT "id", 1, 'TEE-WHI-M', 2, 5000 FROM "Order" WHERE "orderNumber" = ${orderNumber}`;
  }

  beforeAll(async () => {
    url = await newUrl();
    await migrate(url, { before: CAPTURES_MIGRATION });
    db = createDb(url);
    await oldOrder(paid, 'PAID');
    await oldOrder(refundedInPart, 'PAID');
    await oldOrder(pending, 'PENDING');
    // Refunded 3,000 before the upgrade, the old way (no capture named).
    await db.$executeRaw`
      INSERT INTO "Refund"
        ("key", "orderId", "amountMinor", "currency", "reason", "provider", "providerRef", "createdAt")
      SELECT ${`${refundedInPart}:partial`}, "id", 3000, 'CNY', 'Out of stock', 'local', 'LPR-OLD', ${new Date()}
      FROM "Order" WHERE "orderNumber" = ${refundedInPart}`;
    expect(await migrate(url)).toContain(CAPTURES_MIGRATION);
    ({ orders, afterSales } = activitiesOn(db, payments));
  }, 60_000);
  afterAll(async () => {
    await db?.$disconnect();
    if (url) await dropUrl?.(url);
  });

  const unpaidNotes = (orderNumber: string) =>
    db.auditEvent.findMany({ where: { orderNumber, action: 'refund not paid' } });

  test('the upgrade marks orders paid before it as paid their total; unpaid ones stay unpaid', async () => {
    const stored = await db.order.findMany({ orderBy: { orderNumber: 'asc' } });
    expect(stored.map((o) => [o.orderNumber, o.paymentLegacy, o.capturedMinor, o.paymentReference])).toEqual([
      [paid, true, 10_000, null],
      [refundedInPart, true, 10_000, null],
      [pending, false, null, null],
    ]);
    // Reviewed again after the upgrade: not flagged for naming no payment, and still refundable.
    const reasons = (await orders.reviewOrderLines(paid)).reasons.filter((r) => r.code.startsWith('PAYMENT_'));
    expect(reasons).toEqual([]);
    expect(await db.order.findUniqueOrThrow({ where: { orderNumber: paid } })).toMatchObject({ capturedMinor: 10_000 });
  });

  test('an order paid before the upgrade, cancelled after it, gets its money back, once', async () => {
    expect(await afterSales.refundOrder({ orderNumber: paid, key: 'cancel', reason: 'customer changed mind' })).toBe(
      10_000,
    );
    expect(await afterSales.refundOrder({ orderNumber: paid, key: 'cancel', reason: 'customer changed mind' })).toBe(
      10_000,
    );
    const provider = readLocalRefunds(files.refunds).filter((r) => r.orderNumber === paid);
    expect(provider).toMatchObject([{ amountMinor: 10_000, idempotencyKey: `${paid}:cancel` }]);
    expect(await db.refund.findMany({ where: { order: { orderNumber: paid } } })).toMatchObject([
      { amountMinor: 10_000, captureRef: null, providerRef: provider[0].providerRef },
    ]);
    expect(await unpaidNotes(paid)).toEqual([]);
  });

  test('refunds of such an order never exceed its total, counting those paid before the upgrade', async () => {
    expect(await afterSales.refundOrder({ orderNumber: refundedInPart, key: 'cancel', reason: 'cancelled' })).toBe(
      7_000,
    );
    expect(
      await recordRefund(db, payments, {
        orderNumber: refundedInPart,
        key: 'goodwill',
        amountMinor: 500,
        reason: 'goodwill',
      }),
    ).toBe(0);
    const refunds = await db.refund.findMany({ where: { order: { orderNumber: refundedInPart } } });
    expect(refunds.reduce((sum, r) => sum + r.amountMinor, 0)).toBe(10_000);
    expect(await unpaidNotes(refundedInPart)).toMatchObject([{ details: { unpaidMinor: 500 } }]);
    expect(await afterSales.refundOrder({ orderNumber: pending, key: 'cancel', reason: 'cancelled' })).toBe(0);
  });
}

describe('orders paid before payment captures, on SQLite', () =>
  legacySuite('sqlite', () => Promise.resolve(`file:${path.join(tmpDir, 'legacy.db')}`)));

(postgresAvailable() ? describe : describe.skip)('orders paid before payment captures, on PostgreSQL', () =>
  legacySuite('postgresql', () => createTestDatabase('payments_legacy'), dropTestDatabase),
);

describe('payments on SQLite', () =>
  paymentSuite('sqlite', () => Promise.resolve(`file:${path.join(tmpDir, 'payments.db')}`)));

(postgresAvailable() ? describe : describe.skip)('payments on PostgreSQL', () =>
  paymentSuite('postgresql', () => createTestDatabase('payments'), dropTestDatabase),
);

/**
 * Points and tiers on SQLite and PostgreSQL: 100 redemptions at once from four processes against a balance that covers
 * 10 take exactly 10; points lapse oldest first and only once; a refund takes back at most what is left; the tier
 * goes up with delivered spend and down after a refund, each change recorded; a merge takes the points along; and the
 * check finds a balance that does not match its ledger.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDb, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { DEFAULT_TIERS, type LoyaltyRules } from '../../domain/loyalty';
import { ROOT_DIR } from '../../lib/config';
import { mergeCustomers } from '../../orders/customers';
import { recomputeTier, settleDelivered, settleRefund } from '../../orders/loyalty';
import { checkPoints, expireDuePoints, InsufficientPointsError, movePoints } from '../../orders/points';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';

const run = promisify(execFile);
const DAY = 86_400_000;
const RULES: LoyaltyRules = {
  tiers: DEFAULT_TIERS,
  tierWindowMs: 365 * DAY,
  pointsLifetimeMs: 365 * DAY,
  pointValueMinor: 1,
};
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-loyalty-'));
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

function loyaltySuite(label: string, databaseUrl: () => Promise<string>) {
  let db: Db;
  let url: string;
  let seq = 0;

  beforeAll(async () => {
    url = await databaseUrl();
    await migrate(url);
    db = createDb(url);
  }, 60_000);

  afterAll(async () => {
    await db?.$disconnect();
  });

  const newCustomer = async (points = 0) => {
    const customer = await db.customer.create({
      data: { name: `Member ${++seq}`, mobile: `1390000${String(seq).padStart(4, '0')}` },
    });
    if (points)
      await movePoints(db, {
        key: `gift:${customer.id}`,
        customerId: customer.id,
        kind: 'ADJUST',
        points,
        actor: 'test',
      });
    return customer.id;
  };

  const deliveredOrder = (customerId: number, totalMinor: number, deliveredAt = new Date()) =>
    db.order.create({
      data: {
        orderNumber: `SO-20261203-${String(++seq).padStart(6, '0')}`,
        channel: 'web',
        externalId: `L-${seq}`,
        status: 'DELIVERED',
        customerId,
        shippingAddress: {},
        totalMinor,
        paymentStatus: 'PAID',
        deliveredAt,
      },
    });

  const balanceOf = async (id: number) =>
    (await db.customer.findUniqueOrThrow({ where: { id }, select: { pointsBalance: true } })).pointsBalance;

  test(`${label}: 100 redemptions at once from four processes against a balance for 10 take exactly 10`, async () => {
    const customerId = await newCustomer(1_000);
    const keys = Array.from({ length: 100 }, (_, i) => `redeem:race-${customerId}-${i}`);
    const chunks = [0, 1, 2, 3].map((p) => keys.slice(p * 25, p * 25 + 25));
    const outputs = await Promise.all(
      chunks.map((chunk) =>
        run(
          process.execPath,
          ['--import', 'tsx', 'test/support/redeem-points.ts', url, String(customerId), '100', chunk.join(',')],
          { cwd: ROOT_DIR, maxBuffer: 1 << 20 },
        ),
      ),
    );
    const results = outputs.flatMap((o) => JSON.parse(o.stdout) as boolean[]);
    expect(results).toHaveLength(100);
    expect(results.filter(Boolean)).toHaveLength(10);
    expect(await balanceOf(customerId)).toBe(0);
    expect(await db.pointsMovement.count({ where: { customerId, kind: 'REDEEM' } })).toBe(10);
    expect(await checkPoints(db)).toEqual([]);

    // A redemption that went through, sent again, changes nothing; one more is refused with nothing written.
    const taken = (await db.pointsMovement.findFirstOrThrow({ where: { customerId, kind: 'REDEEM' } })).key;
    const again = await movePoints(db, { key: taken, customerId, kind: 'REDEEM', points: -100, actor: 'till' });
    expect(again).toMatchObject({ applied: false, points: -100 });
    await expect(
      movePoints(db, { key: `redeem:late-${customerId}`, customerId, kind: 'REDEEM', points: -1, actor: 'till' }),
    ).rejects.toBeInstanceOf(InsufficientPointsError);
    expect(await balanceOf(customerId)).toBe(0);
  }, 120_000);

  test(`${label}: points lapse oldest first, after what was spent, and only once`, async () => {
    const customerId = await newCustomer();
    const credit = (key: string, points: number, expiresAt: Date) =>
      movePoints(db, { key: `${key}:${customerId}`, customerId, kind: 'EARN', points, expiresAt, actor: 'test' });
    await credit('old', 300, new Date(Date.now() - DAY));
    await credit('new', 200, new Date(Date.now() + 30 * DAY));
    await movePoints(db, { key: `spend:${customerId}`, customerId, kind: 'REDEEM', points: -120, actor: 'till' });

    // Of the 300 that lapsed yesterday, 120 were spent: 180 go, the 200 still valid stay.
    expect(await expireDuePoints(db)).toBe(180);
    expect(await balanceOf(customerId)).toBe(200);
    const lapsed = await db.pointsMovement.findMany({ where: { customerId, kind: 'EXPIRE' } });
    expect(lapsed.map((m) => m.points)).toEqual([-180]);

    expect(await expireDuePoints(db)).toBe(0);
    // A month on, the rest lapses too.
    expect(await expireDuePoints(db, new Date(Date.now() + 31 * DAY))).toBe(200);
    expect(await balanceOf(customerId)).toBe(0);
    expect(await checkPoints(db)).toEqual([]);
  });

  test(`${label}: a refund takes back its share of the points earned, but never more than is left`, async () => {
    const customerId = await newCustomer();
    const order = await deliveredOrder(customerId, 60_000); // ¥600 at 1 point per yuan
    await settleDelivered(db, order.orderNumber, RULES);
    expect(await balanceOf(customerId)).toBe(600);

    await settleRefund(db, order.orderNumber, 'return-1', 20_000, RULES); // a third refunded: 200 points go
    expect(await balanceOf(customerId)).toBe(400);
    await settleRefund(db, order.orderNumber, 'return-1', 20_000, RULES); // the same refund again: nothing
    expect(await balanceOf(customerId)).toBe(400);

    await movePoints(db, { key: `spend:${customerId}`, customerId, kind: 'REDEEM', points: -350, actor: 'till' });
    await settleRefund(db, order.orderNumber, 'return-2', 40_000, RULES); // the rest: 400 due, 50 left
    expect(await balanceOf(customerId)).toBe(0);
    const takeBack = await db.pointsMovement.findFirstOrThrow({
      where: { key: `take-back:${order.orderNumber}:return-2` },
    });
    expect(takeBack.points).toBe(-50);
    expect(takeBack.reason).toMatch(/350 of 400 points were already spent/);
    expect(await checkPoints(db)).toEqual([]);
  });

  test(`${label}: the tier follows delivered spend over the window: up after an order, down after a refund`, async () => {
    const customerId = await newCustomer();
    await deliveredOrder(customerId, 500_000, new Date(Date.now() - 400 * DAY)); // outside the window
    const order = await deliveredOrder(customerId, 120_000);
    expect((await recomputeTier(db, customerId, RULES, 'test')).code).toBe('SILVER');

    await db.refund.create({
      data: {
        key: `${order.orderNumber}:return-x`,
        orderId: order.id,
        amountMinor: 30_000,
        currency: 'CNY',
        reason: 'test',
        provider: 'local',
      },
    });
    expect((await recomputeTier(db, customerId, RULES, 'refund')).code).toBe('STANDARD');
    expect((await recomputeTier(db, customerId, RULES, 'again')).code).toBe('STANDARD');

    const changes = await db.customerEvent.findMany({
      where: { customerId, action: 'TIER_CHANGED' },
      orderBy: { id: 'asc' },
    });
    expect(changes.map((c) => c.details)).toEqual([
      { from: 'STANDARD', to: 'SILVER', fromName: '普通', toName: '银卡', spendMinor: 120_000, because: 'test' },
      { from: 'SILVER', to: 'STANDARD', fromName: '银卡', toName: '普通', spendMinor: 90_000, because: 'refund' },
    ]);
  });

  test(`${label}: a merge takes the points along, and the check finds a balance its ledger does not explain`, async () => {
    const kept = await newCustomer(100);
    const other = await newCustomer(250);
    await mergeCustomers(db, kept, other, 'manager');
    expect([await balanceOf(kept), await balanceOf(other)]).toEqual([350, 0]);
    expect(await checkPoints(db)).toEqual([]);

    await db.customer.update({ where: { id: kept }, data: { pointsBalance: 999 } });
    expect(await checkPoints(db)).toEqual([{ customerId: kept, balance: 999, fromLedger: 350 }]);
    await db.customer.update({ where: { id: kept }, data: { pointsBalance: 350 } });
    // The database itself refuses a balance below zero.
    await expect(db.customer.update({ where: { id: kept }, data: { pointsBalance: -1 } })).rejects.toThrow();
  });
}

describe('points and tiers on SQLite', () => {
  loyaltySuite('SQLite', () => Promise.resolve(`file:${path.join(tmpDir, 'loyalty.db')}`));
});

(postgresAvailable() ? describe : describe.skip)('points and tiers on PostgreSQL', () => {
  let pgUrl: string | undefined;
  afterAll(async () => {
    if (pgUrl) await dropTestDatabase(pgUrl);
  });
  loyaltySuite('PostgreSQL', async () => (pgUrl = await createTestDatabase('loyalty')));
});

/**
 * Coupons on SQLite and PostgreSQL: 50 orders at once from four processes with a code limited to 5 take exactly 5
 * uses; 20 at once from one customer with a limit of 2 each take exactly 2; a cancelled order gives its use back
 * once, however often the release runs.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDb, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { ROOT_DIR } from '../../lib/config';
import { releaseCoupons } from '../../orders/promotions';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';

const run = promisify(execFile);
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-coupons-'));
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

function couponSuite(label: string, databaseUrl: () => Promise<string>) {
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

  async function newCoupon(limits: { maxUses?: number; perCustomer?: number }) {
    const n = ++seq;
    const promotion = await db.promotion.create({
      data: {
        code: `CPN${n}`,
        name: `Coupon promotion ${n}`,
        kind: 'ORDER_PERCENT_OFF',
        definition: { rule: { kind: 'ORDER_PERCENT_OFF', percent: 10, fromMinor: 0 } },
        couponRequired: true,
        createdBy: 'test',
      },
    });
    return db.coupon.create({ data: { code: `CODE${n}`, promotionId: promotion.id, createdBy: 'test', ...limits } });
  }

  /** Each chunk from a process of its own, at once; true where the use was taken. */
  async function redeemAtOnce(code: string, customer: string, orderNumbers: string[], processes = 4) {
    const size = Math.ceil(orderNumbers.length / processes);
    const chunks = Array.from({ length: processes }, (_, p) => orderNumbers.slice(p * size, p * size + size));
    const outputs = await Promise.all(
      chunks.map((chunk) =>
        run(
          process.execPath,
          ['--import', 'tsx', 'test/support/redeem-coupon.ts', url, code, customer, chunk.join(',')],
          {
            cwd: ROOT_DIR,
            maxBuffer: 1 << 20,
          },
        ),
      ),
    );
    return outputs.flatMap((o) => JSON.parse(o.stdout) as boolean[]);
  }

  test(`${label}: 50 orders at once from four processes with a code limited to 5 take exactly 5`, async () => {
    const coupon = await newCoupon({ maxUses: 5 });
    const orders = Array.from({ length: 50 }, (_, i) => `SO-RACE-${coupon.id}-${i}`);
    const results = await redeemAtOnce(coupon.code, '-', orders);
    expect(results).toHaveLength(50);
    expect(results.filter(Boolean)).toHaveLength(5);
    const row = await db.coupon.findUniqueOrThrow({ where: { id: coupon.id }, include: { redemptions: true } });
    expect([row.used, row.redemptions.length]).toEqual([5, 5]);
  }, 120_000);

  test(`${label}: 20 orders at once from one customer, 2 uses each allowed, take exactly 2`, async () => {
    const customer = await db.customer.create({
      data: { name: 'Coupon customer', mobile: `1380000${String(++seq).padStart(4, '0')}` },
    });
    const coupon = await newCoupon({ perCustomer: 2 });
    const orders = Array.from({ length: 20 }, (_, i) => `SO-MINE-${coupon.id}-${i}`);
    const results = await redeemAtOnce(coupon.code, String(customer.id), orders);
    expect(results.filter(Boolean)).toHaveLength(2);
    expect(await db.couponRedemption.count({ where: { couponId: coupon.id, customerId: customer.id } })).toBe(2);
  }, 120_000);

  test(`${label}: a cancelled order gives its use back once, however often the release runs`, async () => {
    const coupon = await newCoupon({ maxUses: 1 });
    expect(await redeemAtOnce(coupon.code, '-', [`SO-BACK-${coupon.id}`], 1)).toEqual([true]);
    expect(await redeemAtOnce(coupon.code, '-', [`SO-LATE-${coupon.id}`], 1)).toEqual([false]);
    const released = await Promise.all([1, 2, 3].map(() => releaseCoupons(db, `SO-BACK-${coupon.id}`)));
    expect(released.reduce((s, n) => s + n, 0)).toBe(1);
    expect((await db.coupon.findUniqueOrThrow({ where: { id: coupon.id } })).used).toBe(0);
    expect(await redeemAtOnce(coupon.code, '-', [`SO-AGAIN-${coupon.id}`], 1)).toEqual([true]);
  }, 120_000);
}

describe('coupons on SQLite', () => {
  couponSuite('SQLite', () => Promise.resolve(`file:${path.join(tmpDir, 'coupons.db')}`));
});

(postgresAvailable() ? describe : describe.skip)('coupons on PostgreSQL', () => {
  let pgUrl: string | undefined;
  afterAll(async () => {
    if (pgUrl) await dropTestDatabase(pgUrl);
  });
  couponSuite('PostgreSQL', async () => (pgUrl = await createTestDatabase('coupons')));
});

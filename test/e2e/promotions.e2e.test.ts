/**
 * Promotions on the real stack (SQLite, the worker, Temporal, MailDev): an order with a stepped 满减 and a member
 * discount costs what its quote said and the email shows why; a 满赠 gift is allocated, picked and shipped; 50 orders
 * at once with a coupon limited to 5 give exactly 5 discounted orders, and a cancellation gives its use back; a
 * marketplace order keeps the platform's price and waits in review when our quote differs; a return under a 满减
 * threshold refunds at the price paid, by each policy. Every promotion here is aimed at the test's own product, so
 * the tests do not price each other's orders.
 */
import { todayIn } from '../../domain/birthdays';
import { normaliseMobile } from '../../domain/customers';
import { emailsTo, eventually, startTestSystem, type TestSystem } from '../support/system';
import type { CreatedApiKey, StoredOrder } from '../support/api';
import {
  getOrder,
  newMobile,
  newProduct,
  orderBody,
  pickEverything,
  placeOrder,
  reachStatus,
  stockLevel,
  unique,
} from '../support/orders';

interface ApiError {
  error: { code: string; message: string; details: unknown };
}
interface QuoteAnswer {
  lines: {
    sku: string;
    quantity: number;
    unitPriceMinor: number;
    discountMinor: number;
    totalMinor: number;
    gift: boolean;
  }[];
  totalMinor: number;
  discountMinor: number;
  applied: { code: string; amountMinor: number }[];
  notApplied: { code: string; reason: string; missingMinor?: number }[];
  tier: { code: string } | null;
}
type OrderAnswer = StoredOrder & {
  lines: {
    lineNo: number;
    sku: string;
    quantity: number;
    unitPriceMinor: number;
    discountMinor: number;
    gift: boolean;
  }[];
  discountMinor: number;
};

function customer() {
  const id = unique();
  return { name: '王芳', email: `wang.${id}@example.com`, phone: newMobile() };
}

async function promotion(system: TestSystem, manager: string, body: Record<string, unknown>) {
  const created = await system.api<{ code: string; id: number } & ApiError>('POST', '/api/promotions', body, manager);
  if (created.status !== 201)
    throw new Error(`POST /api/promotions: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

/** Delivered, returned (line 1, one unit) and refunded: the refund as the return records it. */
async function returnOneUnit(system: TestSystem, orderNumber: string): Promise<number> {
  await reachStatus(system, orderNumber, 'PICKING');
  await pickEverything(system, orderNumber);
  await reachStatus(system, orderNumber, 'DELIVERED');
  const opened = await system.api<{ returnNumber: string }>('POST', `/api/orders/${orderNumber}/returns`, {
    source: 'customer',
    kind: 'RETURN',
    reason: 'CHANGED_MIND',
    lines: [{ lineNo: 1, quantity: 1 }],
  });
  expect(opened.status).toBe(201);
  const { returnNumber } = opened.body;
  expect((await system.api('POST', `/api/returns/${returnNumber}/approve`, {})).status).toBe(200);
  const received = { lines: [{ lineNo: 1, condition: 'RESTOCK' }], location: 'WH-SH' };
  expect((await system.api('POST', `/api/returns/${returnNumber}/receive`, received)).status).toBe(200);
  await eventually('the return received', async () =>
    (await system.db.returnRequest.findUniqueOrThrow({ where: { returnNumber } })).receivedAt ? true : undefined,
  );
  expect((await system.api('POST', `/api/returns/${returnNumber}/refund`, {})).status).toBe(200);
  return eventually('the refund', async () => {
    const row = await system.db.returnRequest.findUniqueOrThrow({ where: { returnNumber } });
    return row.status === 'REFUNDED' ? row.refundMinor! : undefined;
  });
}

/** Two units at ¥200 under 满300减30 (¥370 paid); the return of one leaves ¥200 kept, below the threshold. */
async function orderUnderThreshold(system: TestSystem, manager: string): Promise<string> {
  const { code, sku } = await newProduct(system, { stock: { 'WH-SH': 4 }, priceMinor: 20_000 });
  await promotion(system, manager, {
    code: `MJ${unique().toUpperCase()}`,
    name: '满300减30',
    rule: { kind: 'THRESHOLD_OFF', steps: [{ fromMinor: 30_000, offMinor: 3_000 }], target: { products: [code] } },
  });
  const orderNumber = await placeOrder(system, orderBody(sku, { lines: [{ sku, quantity: 2 }] }));
  expect((await getOrder(system, orderNumber)).totalMinor).toBe(37_000);
  return orderNumber;
}

describe('promotions (refunds: DEDUCT, the default)', () => {
  let system: TestSystem;
  let manager: string;

  beforeAll(async () => {
    // A window long enough to ask for a return after delivery on a loaded box.
    system = await startTestSystem({ env: { OMS_AFTER_SALES_WINDOW: '20s' } });
    manager = (await system.api<CreatedApiKey>('POST', '/api/admin/keys', { name: 'promotions', role: 'manager' })).body
      .key;
  }, 180_000);

  afterAll(() => system?.stop(), 60_000);

  test('a stepped 满减 and a member discount: the order costs what the quote said, and the email shows why', async () => {
    const { code, sku } = await newProduct(system, { stock: { 'WH-SH': 10 }, priceMinor: 15_900 });
    const step = await promotion(system, manager, {
      code: `MJ${unique().toUpperCase()}`,
      name: '满300减30 满500减60',
      rule: {
        kind: 'THRESHOLD_OFF',
        steps: [
          { fromMinor: 30_000, offMinor: 3_000 },
          { fromMinor: 50_000, offMinor: 6_000 },
        ],
        target: { products: [code] },
      },
    });
    const buyer = customer();
    const member = await system.db.customer.create({
      data: { name: buyer.name, mobile: normaliseMobile(buyer.phone), email: buyer.email, tierCode: 'GOLD' },
    });
    // 4 × ¥159 = ¥636; 金卡 5 % = ¥31.80 off → ¥604.20, over ¥500: ¥60 off → ¥544.20.
    const quoted = await system.api<QuoteAnswer>('POST', '/api/pricing/quote', {
      channel: 'web',
      lines: [{ sku, quantity: 4 }],
      customerId: member.id,
    });
    expect(quoted.status).toBe(200);
    expect(quoted.body.applied.map((a) => [a.code, a.amountMinor])).toEqual([
      ['MEMBER:GOLD', 3_180],
      [step.code, 6_000],
    ]);
    expect(quoted.body).toMatchObject({ totalMinor: 54_420, tier: { code: 'GOLD' } });
    // Known by the phone the order will give, as intake will know them: the same price.
    const byPhone = await system.api<QuoteAnswer>('POST', '/api/pricing/quote', {
      channel: 'web',
      lines: [{ sku, quantity: 4 }],
      customer: { phone: buyer.phone },
    });
    expect([byPhone.body.totalMinor, byPhone.body.tier?.code]).toEqual([54_420, 'GOLD']);
    expect(await system.db.customer.count({ where: { mobile: normaliseMobile(buyer.phone) } })).toBe(1);
    // Two units fewer is ¥302.10 after the member discount: the first step.
    const fewer = await system.api<QuoteAnswer>('POST', '/api/pricing/quote', {
      channel: 'web',
      lines: [{ sku, quantity: 2 }],
      customerId: member.id,
    });
    expect(fewer.body.totalMinor).toBe(31_800 - 1_590 - 3_000);

    const body = orderBody(sku, { customer: buyer, lines: [{ sku, quantity: 4 }], language: 'zh-CN' });
    const created = await system.api<OrderAnswer>('POST', '/api/orders', body);
    expect(created.status).toBe(201);
    expect(created.body.totalMinor).toBe(quoted.body.totalMinor);
    expect(created.body.lines.map((l) => [l.sku, l.quantity, l.unitPriceMinor, l.discountMinor])).toEqual(
      quoted.body.lines.map((l) => [l.sku, l.quantity, l.unitPriceMinor, l.discountMinor]),
    );
    const orderNumber = created.body.orderNumber;
    expect((await system.db.orderDiscount.findMany({ where: { order: { orderNumber } } })).map((d) => d.code)).toEqual([
      'MEMBER:GOLD',
      step.code,
    ]);

    const email = await eventually('the confirmation email', async () => {
      const mails = await emailsTo(system.mailUrl, buyer.email);
      return mails.find((m) => m.text.includes('满300减30 满500减60'));
    });
    expect(email.text).toContain('金卡 5%: -¥31.80');
    expect(email.text).toContain('满300减30 满500减60: -¥60.00');
    expect(email.text).toContain('合计: ¥544.20');
    await reachStatus(system, orderNumber, 'PICKING');
  }, 120_000);

  test('满赠: the gift is added as a zero-price line, then allocated, picked and shipped like any other', async () => {
    const bag = await newProduct(system, { stock: { 'WH-SH': 3 }, priceMinor: 3_000 });
    const jeans = await newProduct(system, { stock: { 'WH-SH': 5 }, priceMinor: 29_900 });
    const gift = await promotion(system, manager, {
      code: `GIFT${unique().toUpperCase()}`,
      name: '满299送帆布袋',
      rule: {
        kind: 'THRESHOLD_GIFT',
        fromMinor: 29_900,
        giftSku: bag.sku,
        giftQuantity: 1,
        target: { products: [jeans.code] },
      },
    });
    const created = await system.api<OrderAnswer>(
      'POST',
      '/api/orders',
      orderBody(jeans.sku, { lines: [{ sku: jeans.sku, quantity: 1 }] }),
    );
    expect(created.status).toBe(201);
    expect(created.body.totalMinor).toBe(29_900);
    expect(
      created.body.lines.map((l) => [l.lineNo, l.sku, l.quantity, l.gift, l.unitPriceMinor - l.discountMinor]),
    ).toEqual([
      [1, jeans.sku, 1, false, 29_900],
      [2, bag.sku, 1, true, 0],
    ]);
    const orderNumber = created.body.orderNumber;
    await reachStatus(system, orderNumber, 'PICKING');
    expect(await stockLevel(system, bag.sku, 'WH-SH')).toMatchObject({ onHand: 3, reserved: 1 });
    await pickEverything(system, orderNumber);
    await reachStatus(system, orderNumber, ['SHIPPED', 'DELIVERED']);
    expect(await stockLevel(system, bag.sku, 'WH-SH')).toMatchObject({ onHand: 2, reserved: 0 });
    const report = await system.api<{ orders: number; discountMinor: number }>(
      'GET',
      `/api/promotions/${gift.code}`,
      undefined,
      manager,
    );
    expect(report.body).toMatchObject({ orders: 1, discountMinor: 3_000 });
  }, 120_000);

  test('50 orders at once with a coupon limited to 5: exactly 5 discounted; a cancellation gives its use back', async () => {
    const { code, sku } = await newProduct(system, { stock: { 'WH-SH': 60 }, priceMinor: 10_000 });
    const coupon = await promotion(system, manager, {
      code: `CPN${unique().toUpperCase()}`,
      name: '9折券',
      couponRequired: true,
      rule: { kind: 'ORDER_PERCENT_OFF', percent: 10, fromMinor: 0, target: { products: [code] } },
    });
    const couponCode = `SAVE${unique().toUpperCase()}`;
    const issued = await system.api(
      'POST',
      `/api/promotions/${coupon.code}/coupons`,
      { codes: [couponCode], maxUses: 5 },
      manager,
    );
    expect(issued.status).toBe(201);

    const bodies = Array.from({ length: 50 }, () =>
      orderBody(sku, { customer: customer(), lines: [{ sku, quantity: 1 }], couponCodes: [couponCode.toLowerCase()] }),
    );
    const answers = await Promise.all(bodies.map((b) => system.api<OrderAnswer & ApiError>('POST', '/api/orders', b)));
    const accepted = answers.filter((a) => a.status === 201);
    expect(accepted).toHaveLength(5);
    for (const a of accepted) expect([a.body.totalMinor, a.body.discountMinor]).toEqual([9_000, 1_000]);
    const refused = answers.filter((a) => a.status !== 201);
    expect(new Set(refused.map((a) => `${a.status} ${a.body.error.code}`))).toEqual(new Set(['409 COUPON_USED_UP']));
    // Nothing of a refused order is stored: no order, no use.
    expect(await system.db.order.count({ where: { externalId: { in: bodies.map((b) => b.externalId) } } })).toBe(5);
    const row = await system.db.coupon.findUniqueOrThrow({
      where: { code: couponCode },
      include: { redemptions: true },
    });
    expect([row.used, row.redemptions.length]).toEqual([5, 5]);

    const cancelled = accepted[0].body.orderNumber;
    expect((await system.api('POST', `/api/orders/${cancelled}/cancel`, { reason: 'Changed mind' })).status).toBe(200);
    await eventually('the use given back', async () => {
      const now = await system.db.coupon.findUniqueOrThrow({ where: { code: couponCode } });
      return now.used === 4 ? true : undefined;
    });
    const again = await system.api<OrderAnswer>(
      'POST',
      '/api/orders',
      orderBody(sku, { customer: customer(), lines: [{ sku, quantity: 1 }], couponCodes: [couponCode] }),
    );
    expect([again.status, again.body.totalMinor]).toEqual([201, 9_000]);
  }, 180_000);

  test('bad coupons, promotions and quotes are refused with a clear 4xx, and nothing is written', async () => {
    const { code, sku } = await newProduct(system, { stock: { 'WH-SH': 2 }, priceMinor: 5_000 });
    const coupon = await promotion(system, manager, {
      code: `CPN${unique().toUpperCase()}`,
      name: '满100减10券',
      couponRequired: true,
      rule: { kind: 'THRESHOLD_OFF', steps: [{ fromMinor: 10_000, offMinor: 1_000 }], target: { products: [code] } },
    });
    const couponCode = `TEN${unique().toUpperCase()}`;
    await system.api(
      'POST',
      `/api/promotions/${coupon.code}/coupons`,
      { codes: [couponCode], expiresAt: '2099-01-01' },
      manager,
    );
    const tries: [Record<string, unknown>, number, string][] = [
      [{ couponCodes: ['NO-SUCH-CODE'] }, 422, 'COUPON_UNKNOWN'],
      // One unit is ¥50: the coupon's ¥100 is not reached.
      [{ couponCodes: [couponCode], lines: [{ sku, quantity: 1 }] }, 422, 'COUPON_NOT_APPLICABLE'],
      [{ couponCodes: [couponCode], channel: 'marketplace' }, 422, 'VALIDATION_FAILED'],
      [{ lines: [{ sku, quantity: 1, paidMinor: 100 }] }, 422, 'VALIDATION_FAILED'],
    ];
    for (const [change, status, errorCode] of tries) {
      const body = { ...orderBody(sku), ...change };
      const answer = await system.api<ApiError>('POST', '/api/orders', body);
      expect([answer.status, answer.body.error.code, JSON.stringify(change)]).toEqual([
        status,
        errorCode,
        JSON.stringify(change),
      ]);
      expect(await system.db.order.count({ where: { externalId: body.externalId } })).toBe(0);
    }
    expect((await system.db.coupon.findUniqueOrThrow({ where: { code: couponCode } })).used).toBe(0);

    const before = await system.db.promotion.count();
    for (const bad of [
      { code: 'X', name: 'too short a code', rule: { kind: 'PERCENT_OFF', percent: 10 } },
      {
        code: 'FALLING',
        name: 'steps that fall',
        rule: {
          kind: 'THRESHOLD_OFF',
          steps: [
            { fromMinor: 50_000, offMinor: 6_000 },
            { fromMinor: 30_000, offMinor: 3_000 },
          ],
        },
      },
      { code: 'NOKIND', name: 'no such kind', rule: { kind: 'FREE_MONEY' } },
      {
        code: 'BACKWARDS',
        name: 'ends first',
        rule: { kind: 'PERCENT_OFF', percent: 5 },
        startsAt: '2026-12-08',
        endsAt: '2026-12-01',
      },
    ]) {
      const answer = await system.api<ApiError>('POST', '/api/promotions', bad, manager);
      expect([answer.status, answer.body.error.code, bad.code]).toEqual([422, 'VALIDATION_FAILED', bad.code]);
    }
    expect(
      (
        await system.api<ApiError>(
          'POST',
          '/api/promotions',
          { code: coupon.code, name: 'again', rule: { kind: 'PERCENT_OFF', percent: 5 } },
          manager,
        )
      ).status,
    ).toBe(409);
    expect(await system.db.promotion.count()).toBe(before);

    const quote = await system.api<ApiError>('POST', '/api/pricing/quote', {
      channel: 'web',
      lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }],
    });
    expect([quote.status, quote.body.error.code]).toEqual([422, 'UNKNOWN_SKU']);
    // A clerk sees the price, not the promotions' set-up.
    const clerk = (await system.api<CreatedApiKey>('POST', '/api/admin/keys', { name: 'till', role: 'clerk' })).body
      .key;
    expect(
      (
        await system.api(
          'POST',
          '/api/pricing/quote',
          { channel: 'pos', pickupStore: 'ST-NJR', lines: [{ sku, quantity: 1 }] },
          clerk,
        )
      ).status,
    ).toBe(200);
    expect((await system.api('GET', '/api/promotions', undefined, clerk)).status).toBe(403);

    // Ended: no longer changed, no longer applied.
    expect((await system.api('POST', `/api/promotions/${coupon.code}/end`, {}, manager)).status).toBe(200);
    expect(
      (await system.api<ApiError>('PATCH', `/api/promotions/${coupon.code}`, { name: 'later' }, manager)).status,
    ).toBe(409);
    const late = await system.api<ApiError>('POST', '/api/orders', { ...orderBody(sku), couponCodes: [couponCode] });
    expect([late.status, late.body.error.code]).toEqual([422, 'COUPON_EXPIRED']);
  }, 120_000);

  test('a marketplace order keeps the price the platform charged, and waits in review when our quote differs', async () => {
    const { code, sku } = await newProduct(system, { stock: { 'WH-SH': 4 }, priceMinor: 10_000 });
    await promotion(system, manager, {
      code: `PCT${unique().toUpperCase()}`,
      name: '八折',
      rule: { kind: 'PERCENT_OFF', percent: 20, target: { products: [code] } },
    });
    const sameAsOurs = orderBody(sku, { channel: 'marketplace', lines: [{ sku, quantity: 1, paidMinor: 8_000 }] });
    const ours = await placeOrder(system, sameAsOurs);
    await reachStatus(system, ours, 'PICKING');
    const platformSale = orderBody(sku, { channel: 'marketplace', lines: [{ sku, quantity: 2, paidMinor: 15_000 }] });
    const created = await system.api<OrderAnswer>('POST', '/api/orders', platformSale);
    expect([created.status, created.body.totalMinor, created.body.lines[0].discountMinor]).toEqual([
      201, 15_000, 5_000,
    ]);
    const held = await reachStatus(system, created.body.orderNumber, 'IN_REVIEW');
    expect(held).toBe('IN_REVIEW');
    const order = await eventually('the review reasons', async () => {
      const o = await getOrder(system, created.body.orderNumber);
      return (o.reviewReasons as { code: string }[] | null)?.length ? o : undefined;
    });
    expect((order.reviewReasons as { code: string; message: string }[]).map((r) => r.code)).toEqual(['PRICE_DIFFERS']);
  }, 120_000);

  test('birthday coupons: the schedule emails each consenting customer in their birthday week one code, once a year', async () => {
    const inDays = (days: number) => {
      const day = new Date(`${todayIn('Asia/Shanghai')}T00:00:00Z`);
      day.setUTCDate(day.getUTCDate() + days);
      return `1990${day.toISOString().slice(4, 10)}`;
    };
    const person = async (birthday: string, marketingConsent: boolean) => {
      const c = customer();
      const row = await system.db.customer.create({
        data: { name: c.name, email: c.email, mobile: normaliseMobile(c.phone), birthday, marketingConsent },
      });
      return { contact: c, email: c.email, id: row.id };
    };
    const due = await person(inDays(3), true);
    const notAsked = await person(inDays(2), false);
    const later = await person(inDays(10), true);

    const schedule = system.temporal.schedule.getHandle('birthday-coupons');
    expect((await schedule.describe()).spec.timezone).toBe('Asia/Shanghai');
    await schedule.trigger();
    const email = await eventually('the birthday email', async () => (await emailsTo(system.mailUrl, due.email))[0]);
    const code = /BD[0-9A-F]{10}/.exec(email.text)?.[0];
    expect(code).toBeDefined();
    // A second run the same week sends and issues nothing more. It is started once the first has finished: the
    // schedule skips a run that would overlap one still running.
    const runsDone = (count: number) =>
      eventually(`${count} run(s) finished`, async () => {
        const runs = await schedule.describe();
        return runs.info.recentActions.length >= count && runs.info.runningActions.length === 0 ? true : undefined;
      });
    await runsDone(1);
    await schedule.trigger();
    await runsDone(2);
    expect(await emailsTo(system.mailUrl, due.email)).toHaveLength(1);
    expect(await system.db.coupon.count({ where: { customerId: due.id } })).toBe(1);
    expect(await emailsTo(system.mailUrl, notAsked.email)).toHaveLength(0);
    expect(await emailsTo(system.mailUrl, later.email)).toHaveLength(0);

    // The code is the customer's own, good for one order.
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 3 }, priceMinor: 10_000 });
    const stranger = await system.api<ApiError>('POST', '/api/orders', {
      ...orderBody(sku, { lines: [{ sku, quantity: 1 }] }),
      couponCodes: [code],
    });
    expect([stranger.status, stranger.body.error.code]).toEqual([422, 'COUPON_NOT_YOURS']);
    const own = await system.api<OrderAnswer>('POST', '/api/orders', {
      ...orderBody(sku, { customer: due.contact, lines: [{ sku, quantity: 1 }] }),
      couponCodes: [code],
    });
    expect([own.status, own.body.totalMinor]).toEqual([201, 9_000]);
    const twice = await system.api<ApiError>('POST', '/api/orders', {
      ...orderBody(sku, { customer: due.contact, lines: [{ sku, quantity: 1 }] }),
      couponCodes: [code],
    });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'COUPON_USED_UP']);
  }, 120_000);

  test('the report of a finished promotion: its orders against the same length of time before it', async () => {
    const { code, sku } = await newProduct(system, { stock: { 'WH-SH': 10 }, priceMinor: 20_000 });
    // Phone orders only: no other test here takes any, so the figures are this test's own.
    const phoneOrder = (quantity: number) =>
      placeOrder(
        system,
        orderBody(sku, {
          channel: 'phone',
          customer: { name: '赵磊', phone: newMobile() },
          lines: [{ sku, quantity }],
          payment: { status: 'COD' },
        }),
      );
    const earlier = await phoneOrder(1);
    const created = await promotion(system, manager, {
      code: `MJ${unique().toUpperCase()}`,
      name: '电话专享满300减30',
      channels: ['phone'],
      rule: { kind: 'THRESHOLD_OFF', steps: [{ fromMinor: 30_000, offMinor: 3_000 }], target: { products: [code] } },
    });
    await phoneOrder(2);
    await phoneOrder(1);
    // The period before is as long as the one during: end it only once that reaches back past the earlier order.
    const earlierAt = (
      await system.db.order.findUniqueOrThrow({ where: { orderNumber: earlier } })
    ).createdAt.getTime();
    const startedAt = (
      await system.db.promotion.findUniqueOrThrow({ where: { code: created.code } })
    ).createdAt.getTime();
    await eventually('the period long enough', () =>
      Promise.resolve(Date.now() - startedAt > 2 * (startedAt - earlierAt) + 500 ? true : undefined),
    );
    expect((await system.api('POST', `/api/promotions/${created.code}/end`, {}, manager)).status).toBe(200);

    const answer = await system.api<{ reports: Record<string, unknown>[] }>(
      'GET',
      `/api/reports/promotions?code=${created.code}`,
      undefined,
      manager,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.reports[0]).toMatchObject({
      during: { orders: 2, revenueMinor: 57_000, discountMinor: 3_000, averageBasketMinor: 28_500, unitsPerOrder: 1.5 },
      before: { orders: 1, revenueMinor: 20_000, discountMinor: 0, averageBasketMinor: 20_000, unitsPerOrder: 1 },
      withPromotion: { orders: 1, revenueMinor: 37_000, discountMinor: 3_000, unitsPerOrder: 2 },
      change: { orders: 100, revenue: 185, averageBasket: 42.5, unitsPerOrder: 50 },
    });
    expect((await system.api('GET', '/api/reports/promotions?code=NO-SUCH', undefined, manager)).status).toBe(404);
  }, 120_000);

  test('a return below the 满减 threshold: the refund is what was paid less the discount the rest no longer earns', async () => {
    const orderNumber = await orderUnderThreshold(system, manager);
    // Held ¥370; keeping one unit at ¥200 (no 满减 alone) → ¥170 back, not the unit's ¥185 share.
    expect(await returnOneUnit(system, orderNumber)).toBe(17_000);
  }, 180_000);
});

describe('promotions (refunds: KEEP)', () => {
  let system: TestSystem;
  let manager: string;

  beforeAll(async () => {
    system = await startTestSystem({ env: { OMS_AFTER_SALES_WINDOW: '20s', OMS_RETURN_DISCOUNT_POLICY: 'KEEP' } });
    manager = (await system.api<CreatedApiKey>('POST', '/api/admin/keys', { name: 'promotions', role: 'manager' })).body
      .key;
  }, 180_000);

  afterAll(() => system?.stop(), 60_000);

  test('a return below the 满减 threshold: the customer keeps the discount, and the unit refunds its share', async () => {
    const orderNumber = await orderUnderThreshold(system, manager);
    expect(await returnOneUnit(system, orderNumber)).toBe(18_500);
    // The payment stand-in paid it back as recorded.
    const refunds = await system.db.refund.findMany({ where: { order: { orderNumber } } });
    expect(refunds.map((r) => r.amountMinor)).toEqual([18_500]);
  }, 180_000);
});

/** The pricing engine (domain/pricing.ts): what a customer pays, and the reason for every fen taken off. */
import fc from 'fast-check';
import { percentOf, quoteBasket, spreadByWeight, type CatalogueEntry, type QuoteRequest } from '../../domain/pricing';
import { promotionInputSchema, type Promotion, type PromotionRule } from '../../domain/promotions';
import {
  paidForUnits,
  RETURN_DISCOUNT_POLICIES,
  returnedShareMinor,
  returnRefundMinor,
  type PaidLine,
  type PricingRecord,
} from '../../domain/paid-prices';

const CATALOGUE = new Map<string, CatalogueEntry>([
  ['TEE-M', { priceMinor: 9_900, product: 'TEE', category: 'Tops' }],
  ['TEE-L', { priceMinor: 9_900, product: 'TEE', category: 'Tops' }],
  ['JEANS-32', { priceMinor: 29_900, product: 'JEANS', category: 'Bottoms' }],
  ['SOCKS', { priceMinor: 1_500, product: 'SOCKS', category: 'Accessories' }],
  ['TOTE', { priceMinor: 3_000, product: 'TOTE', category: 'Gifts' }],
]);

let nextId = 1;
function promotion(rule: PromotionRule, extra: Partial<Promotion> = {}): Promotion {
  const id = nextId++;
  return {
    id,
    code: `P${id}`,
    name: `Promotion ${id}`,
    rule,
    couponRequired: false,
    exclusive: false,
    priority: 0,
    ...extra,
  };
}

const GOLD = { code: 'GOLD', name: '金卡', discountPercent: 5 };
const AT = new Date('2026-12-07T06:00:00Z'); // a Monday, 14:00 in Shanghai

function quote(lines: QuoteRequest['lines'], promotions: Promotion[], extra: Partial<QuoteRequest> = {}) {
  return quoteBasket({
    lines,
    catalogue: CATALOGUE,
    promotions,
    channel: 'web',
    at: AT,
    timeZone: 'Asia/Shanghai',
    ...extra,
  });
}

const 满减 = () =>
  promotion({
    kind: 'THRESHOLD_OFF',
    steps: [
      { fromMinor: 30_000, offMinor: 3_000 },
      { fromMinor: 50_000, offMinor: 6_000 },
    ],
  });

describe('pricing engine', () => {
  test('without promotions an order costs its list prices', () => {
    const q = quote([{ sku: 'TEE-M', quantity: 2 }], []);
    expect(q).toMatchObject({ listMinor: 19_800, discountMinor: 0, totalMinor: 19_800, applied: [] });
  });

  test('a stepped 满减 takes off the highest step reached, spread over the lines so they add up to the total', () => {
    const p = 满减();
    const below = quote([{ sku: 'TEE-M', quantity: 2 }], [p]);
    expect(below.totalMinor).toBe(19_800);
    expect(below.notApplied).toEqual([
      expect.objectContaining({ code: p.code, reason: 'BELOW_THRESHOLD', missingMinor: 10_200 }),
    ]);

    const first = quote(
      [
        { sku: 'TEE-M', quantity: 1 },
        { sku: 'JEANS-32', quantity: 1 },
      ],
      [p],
    ); // 398.00
    expect(first.totalMinor).toBe(39_800 - 3_000);
    const second = quote(
      [
        { sku: 'TEE-M', quantity: 3 },
        { sku: 'JEANS-32', quantity: 1 },
      ],
      [p],
    ); // 596.00
    expect(second.totalMinor).toBe(59_600 - 6_000);
    expect(second.lines.reduce((s, l) => s + l.totalMinor, 0)).toBe(second.totalMinor);
    // 6000 spread over 29700 and 29900 in proportion: 2990 and 3010
    expect(second.lines.map((l) => l.discountMinor)).toEqual([2_990, 3_010]);
    expect(second.applied).toEqual([expect.objectContaining({ code: p.code, amountMinor: 6_000 })]);
  });

  test("a member's tier discount comes first, and a 满减 is judged on what is left", () => {
    const p = 满减();
    // 2 × 159.00 = 318.00 list; GOLD 5 % → 302.10, still over 300: 30 off
    const catalogue = new Map(CATALOGUE).set('SHIRT', { priceMinor: 15_900, product: 'SHIRT', category: 'Tops' });
    const q = quote([{ sku: 'SHIRT', quantity: 2 }], [p], { tier: GOLD, catalogue });
    expect(q.applied.map((a) => [a.code, a.amountMinor])).toEqual([
      ['MEMBER:GOLD', 1_590],
      [p.code, 3_000],
    ]);
    expect(q.totalMinor).toBe(31_800 - 1_590 - 3_000);
    // 3 × 99.00 = 297.00 at list: a member's 5 % takes it further below 300
    expect(quote([{ sku: 'TEE-M', quantity: 3 }], [p], { tier: GOLD }).applied.map((a) => a.code)).toEqual([
      'MEMBER:GOLD',
    ]);
  });

  test('a member price replaces the member discount on its SKU; a price list is lowest-wins per channel', () => {
    const memberPrice = promotion({
      kind: 'MEMBER_PRICE',
      prices: [{ sku: 'JEANS-32', tiers: ['GOLD'], priceMinor: 25_000 }],
    });
    const storeList = promotion(
      { kind: 'PRICE_LIST', prices: [{ sku: 'TEE-M', priceMinor: 8_900 }] },
      { channels: ['pos'] },
    );
    const web = quote(
      [
        { sku: 'JEANS-32', quantity: 1 },
        { sku: 'TEE-M', quantity: 1 },
      ],
      [memberPrice, storeList],
      { tier: GOLD },
    );
    expect(web.lines.map((l) => l.totalMinor)).toEqual([25_000, 9_900 - 495]);
    const till = quote([{ sku: 'TEE-M', quantity: 1 }], [memberPrice, storeList], { tier: GOLD, channel: 'pos' });
    expect(till.lines[0].adjustments.map((a) => [a.code, a.amountMinor])).toEqual([
      [storeList.code, 1_000],
      ['MEMBER:GOLD', 445], // 5 % of 89.00 = 4.45
    ]);
  });

  test('percent and amount off by category, product or SKU, and buy 2 get 1 free', () => {
    const tops = promotion({ kind: 'PERCENT_OFF', percent: 20, target: { categories: ['Tops'] } });
    const socks = promotion({ kind: 'AMOUNT_OFF', amountMinor: 500, target: { skus: ['SOCKS'] } });
    const jeans = promotion({ kind: 'BUY_N_GET_M', buy: 2, free: 1, target: { products: ['JEANS'] } });
    const q = quote(
      [
        { sku: 'TEE-L', quantity: 1 },
        { sku: 'SOCKS', quantity: 3 },
        { sku: 'JEANS-32', quantity: 3 },
      ],
      [tops, socks, jeans],
    );
    expect(q.lines.map((l) => l.discountMinor)).toEqual([1_980, 1_500, 29_900]);
  });

  test('an exclusive promotion is taken alone when it is cheaper for the customer, else the combinable ones', () => {
    const tenOff = promotion({ kind: 'PERCENT_OFF', percent: 10 });
    const fiveOff = promotion({ kind: 'AMOUNT_OFF', amountMinor: 500 });
    const flash = promotion({ kind: 'PERCENT_OFF', percent: 30 }, { exclusive: true });
    const q = quote([{ sku: 'JEANS-32', quantity: 1 }], [tenOff, fiveOff, flash]);
    expect(q.applied.map((a) => a.code)).toEqual([flash.code]);
    expect(q.notApplied.map((n) => [n.code, n.reason])).toEqual([
      [tenOff.code, 'NOT_COMBINABLE'],
      [fiveOff.code, 'NOT_COMBINABLE'],
    ]);
    const weakFlash = promotion({ kind: 'PERCENT_OFF', percent: 5 }, { exclusive: true });
    expect(quote([{ sku: 'JEANS-32', quantity: 1 }], [tenOff, fiveOff, weakFlash]).applied.map((a) => a.code)).toEqual([
      tenOff.code,
      fiveOff.code,
    ]);
  });

  test('within a stage, the higher priority applies first and the next works on what it left', () => {
    const percent = promotion({ kind: 'PERCENT_OFF', percent: 10 }, { priority: 1 });
    const amount = promotion({ kind: 'AMOUNT_OFF', amountMinor: 1_000 }, { priority: 5 });
    // 299.00 − 10.00 = 289.00, then 10 % = 28.90
    expect(quote([{ sku: 'JEANS-32', quantity: 1 }], [percent, amount]).totalMinor).toBe(29_900 - 1_000 - 2_890);
  });

  test('a coupon promotion applies only with its code; a 9折 coupon from a minimum', () => {
    const coupon = promotion({ kind: 'ORDER_PERCENT_OFF', percent: 10, fromMinor: 20_000 }, { couponRequired: true });
    const lines = [{ sku: 'JEANS-32', quantity: 1 }];
    expect(quote(lines, [coupon]).totalMinor).toBe(29_900);
    expect(quote(lines, [coupon], { couponPromotionIds: new Set([coupon.id]) }).totalMinor).toBe(29_900 - 2_990);
    expect(
      quote([{ sku: 'TEE-M', quantity: 1 }], [coupon], { couponPromotionIds: new Set([coupon.id]) }).notApplied[0],
    ).toMatchObject({ reason: 'BELOW_THRESHOLD', missingMinor: 10_100 });
  });

  test('dates, weekdays and hours in the shop time zone, channels, stores and tiers', () => {
    const lines = [{ sku: 'TEE-M', quantity: 1 }];
    const off = (extra: Partial<Promotion>) =>
      quote(lines, [promotion({ kind: 'AMOUNT_OFF', amountMinor: 100 }, extra)], { tier: GOLD }).discountMinor - 495;
    expect(off({ startsAt: new Date('2026-12-07T05:00:00Z'), endsAt: new Date('2026-12-07T07:00:00Z') })).toBe(100);
    expect(off({ endsAt: AT })).toBe(0); // ends exactly now: over
    expect(off({ hours: { weekdays: [1], from: '14:00', until: '15:00' } })).toBe(100); // Monday 14:00 in Shanghai
    expect(off({ hours: { weekdays: [6, 7] } })).toBe(0);
    expect(off({ hours: { from: '06:00', until: '07:00' } })).toBe(0); // 06:00 UTC is not 06:00 in Shanghai
    expect(off({ channels: ['pos'] })).toBe(0);
    expect(off({ locations: ['SH-01'] })).toBe(0);
    expect(off({ tiers: ['GOLD', 'VIP'] })).toBe(100);
    expect(off({ tiers: ['VIP'] })).toBe(0);
  });

  test('满赠 adds the gift as a zero-price line from the threshold, stock permitting', () => {
    const gift = promotion({ kind: 'THRESHOLD_GIFT', fromMinor: 30_000, giftSku: 'TOTE', giftQuantity: 1 });
    const lines = [
      { sku: 'JEANS-32', quantity: 1 },
      { sku: 'SOCKS', quantity: 1 },
    ];
    const q = quote(lines, [gift]);
    expect(q.lines[2]).toMatchObject({
      lineNo: 3,
      sku: 'TOTE',
      quantity: 1,
      gift: true,
      unitPriceMinor: 3_000,
      totalMinor: 0,
    });
    expect(q.totalMinor).toBe(31_400);
    expect(q.applied).toEqual([
      expect.objectContaining({ code: gift.code, amountMinor: 3_000, gift: { sku: 'TOTE', quantity: 1 } }),
    ]);
    const none = quote(lines, [gift], { giftAvailable: () => false });
    expect(none.lines).toHaveLength(2);
    expect(none.notApplied[0].reason).toBe('GIFT_OUT_OF_STOCK');
    // judged on what the goods cost after discounts: 20 % off takes 314.00 to 251.20
    const sale = promotion({ kind: 'PERCENT_OFF', percent: 20 });
    expect(quote(lines, [gift, sale]).lines).toHaveLength(2);
  });

  test('points are a payment: they come off what is left to pay, not off the lines', () => {
    const q = quote([{ sku: 'TEE-M', quantity: 1 }], [], { points: { points: 500, pointValueMinor: 1 } });
    expect(q).toMatchObject({ totalMinor: 9_900, pointsMinor: 500, payableMinor: 9_400 });
  });

  test('the quote keeps the promotions that applied, and only those', () => {
    const p = 满减();
    const unused = promotion({ kind: 'AMOUNT_OFF', amountMinor: 100, target: { skus: ['SOCKS'] } });
    const q = quote([{ sku: 'JEANS-32', quantity: 2 }], [p, unused]);
    expect(q.promotions.map((x) => x.id)).toEqual([p.id]);
  });

  test('the promotion schema refuses steps that do not rise and windows that end before they start', () => {
    const base = { code: 'MJ300', name: '满300减30' };
    expect(
      promotionInputSchema.safeParse({
        ...base,
        rule: { kind: 'THRESHOLD_OFF', steps: [{ fromMinor: 30_000, offMinor: 3_000 }] },
      }).success,
    ).toBe(true);
    const falling = promotionInputSchema.safeParse({
      ...base,
      rule: {
        kind: 'THRESHOLD_OFF',
        steps: [
          { fromMinor: 50_000, offMinor: 6_000 },
          { fromMinor: 30_000, offMinor: 3_000 },
        ],
      },
    });
    expect(falling.success).toBe(false);
    expect(
      promotionInputSchema.safeParse({
        ...base,
        rule: { kind: 'THRESHOLD_OFF', steps: [{ fromMinor: 100, offMinor: 100 }] },
      }).success,
    ).toBe(false);
    expect(
      promotionInputSchema.safeParse({
        ...base,
        rule: { kind: 'PERCENT_OFF', percent: 10 },
        startsAt: '2026-12-08',
        endsAt: '2026-12-01',
      }).success,
    ).toBe(false);
    expect(promotionInputSchema.safeParse({ ...base, rule: { kind: 'PERCENT_OFF', percent: 8.555 } }).success).toBe(
      false,
    );
  });
});

describe('pricing arithmetic', () => {
  test('percentages round half up to the fen', () => {
    expect(percentOf(8_900, 5)).toBe(445);
    expect(percentOf(1_010, 5)).toBe(51); // 50.5
    expect(percentOf(999, 8.5)).toBe(85); // 84.915
  });

  test('spreading adds up exactly and never gives a weight more than itself (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (weights, share) => {
          const total = weights.reduce((s, w) => s + w, 0);
          const amount = Math.floor(total * share);
          const parts = spreadByWeight(amount, weights);
          expect(parts.reduce((s, p) => s + p, 0)).toBe(total === 0 ? 0 : amount);
          parts.forEach((p, i) => {
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(weights[i]);
          });
        },
      ),
    );
  });
});

/** Promotions of every kind, as a manager might set them up. */
const anyRule: fc.Arbitrary<PromotionRule> = fc.oneof(
  fc.record({
    kind: fc.constant('PRICE_LIST' as const),
    prices: fc.array(
      fc.record({ sku: fc.constantFrom(...CATALOGUE.keys()), priceMinor: fc.integer({ min: 0, max: 40_000 }) }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({
    kind: fc.constant('MEMBER_PRICE' as const),
    prices: fc.array(
      fc.record({
        sku: fc.constantFrom(...CATALOGUE.keys()),
        tiers: fc.constant(['GOLD']),
        priceMinor: fc.integer({ min: 0, max: 40_000 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({
    kind: fc.constant('PERCENT_OFF' as const),
    percent: fc.integer({ min: 1, max: 10_000 }).map((b) => b / 100),
  }),
  fc.record({
    kind: fc.constant('AMOUNT_OFF' as const),
    amountMinor: fc.integer({ min: 1, max: 50_000 }),
    target: fc.record({ categories: fc.constant(['Tops']) }),
  }),
  fc.record({
    kind: fc.constant('BUY_N_GET_M' as const),
    buy: fc.integer({ min: 1, max: 3 }),
    free: fc.integer({ min: 1, max: 2 }),
  }),
  fc.record({
    kind: fc.constant('THRESHOLD_OFF' as const),
    steps: fc.integer({ min: 1_000, max: 60_000 }).map((from) => [
      { fromMinor: from, offMinor: Math.floor(from / 10) },
      { fromMinor: from * 2, offMinor: Math.floor(from / 4) },
    ]),
  }),
  fc.record({
    kind: fc.constant('ORDER_PERCENT_OFF' as const),
    percent: fc.integer({ min: 1, max: 5_000 }).map((b) => b / 100),
    fromMinor: fc.integer({ min: 0, max: 50_000 }),
  }),
  fc.record({
    kind: fc.constant('THRESHOLD_GIFT' as const),
    fromMinor: fc.integer({ min: 1, max: 60_000 }),
    giftSku: fc.constant('TOTE'),
    giftQuantity: fc.integer({ min: 1, max: 2 }),
  }),
);

const anyPromotions = fc
  .array(fc.tuple(anyRule, fc.boolean(), fc.integer({ min: 0, max: 3 })), { maxLength: 8 })
  .map((specs) =>
    specs.map(([rule, exclusive, priority], i) => ({
      id: i + 1,
      code: `P${i + 1}`,
      name: `P${i + 1}`,
      rule,
      couponRequired: false,
      exclusive,
      priority,
    })),
  );

const anyBasket = fc.array(
  fc.record({ sku: fc.constantFrom('TEE-M', 'TEE-L', 'JEANS-32', 'SOCKS'), quantity: fc.integer({ min: 1, max: 6 }) }),
  { minLength: 1, maxLength: 6 },
);

describe('pricing engine (property)', () => {
  test('over any basket and promotions: the lines add up, nothing goes negative, nothing costs more than its list price', () => {
    fc.assert(
      fc.property(anyBasket, anyPromotions, fc.boolean(), (lines, promotions, member) => {
        const q = quoteBasket({
          lines,
          catalogue: CATALOGUE,
          promotions,
          channel: 'web',
          at: AT,
          timeZone: 'Asia/Shanghai',
          tier: member ? GOLD : undefined,
        });
        expect(q.lines.reduce((s, l) => s + l.totalMinor, 0)).toBe(q.totalMinor);
        expect(q.listMinor - q.discountMinor).toBe(q.totalMinor);
        for (const line of q.lines) {
          expect(line.totalMinor).toBeGreaterThanOrEqual(0);
          expect(line.totalMinor).toBeLessThanOrEqual(line.listMinor);
          expect(line.adjustments.reduce((s, a) => s + a.amountMinor, 0)).toBe(line.discountMinor);
          if (line.gift) expect(line.totalMinor).toBe(0);
        }
        expect(q.applied.reduce((s, a) => s + a.amountMinor, 0)).toBe(q.discountMinor);
        // the basket's own lines come first, in order
        expect(q.lines.slice(0, lines.length).map((l) => l.sku)).toEqual(lines.map((l) => l.sku));
      }),
    );
  });
});

describe('refunds at the price paid (domain/paid-prices.ts)', () => {
  const record = (q: ReturnType<typeof quoteBasket>, tier?: typeof GOLD): PricingRecord => ({
    at: AT.toISOString(),
    timeZone: 'Asia/Shanghai',
    channel: 'web',
    tier,
    promotions: q.promotions.map((p) => ({
      ...p,
      startsAt: p.startsAt?.toISOString() ?? null,
      endsAt: p.endsAt?.toISOString() ?? null,
    })),
    goods: Object.fromEntries([...CATALOGUE].map(([sku, e]) => [sku, { product: e.product, category: e.category }])),
  });
  const paid = (q: ReturnType<typeof quoteBasket>): PaidLine[] =>
    q.lines.map((l) => ({
      lineNo: l.lineNo,
      sku: l.sku,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
      totalMinor: l.totalMinor,
      gift: l.gift,
    }));

  test('a returned unit refunds its share of every discount on its line', () => {
    const q = quote(
      [
        { sku: 'TEE-M', quantity: 3 },
        { sku: 'JEANS-32', quantity: 1 },
      ],
      [满减()],
    ); // 596.00 − 60.00
    const lines = paid(q);
    const tee = lines[0]; // 297.00 − 29.90 = 267.10 for three
    expect(returnedShareMinor(lines, new Map(), [{ lineNo: 1, quantity: 1 }])).toBe(8_903);
    // one by one, the three add up to the line exactly
    expect(
      paidForUnits(tee, 1) +
        (paidForUnits(tee, 2) - paidForUnits(tee, 1)) +
        (paidForUnits(tee, 3) - paidForUnits(tee, 2)),
    ).toBe(26_710);
  });

  test('a return below the 满减 threshold: KEEP refunds the share, DEDUCT takes the lost discount off the refund', () => {
    const q = quote(
      [
        { sku: 'TEE-M', quantity: 1 },
        { sku: 'JEANS-32', quantity: 1 },
      ],
      [满减()],
    ); // 398.00 − 30.00 = 368.00
    const lines = paid(q);
    const returning = [{ lineNo: 1, quantity: 1 }]; // the tee: its share is 99.00 − 7.46 = 91.54
    const base = { lines, returnedBefore: new Map<number, number>(), returning, record: record(q) };
    expect(returnRefundMinor({ ...base, policy: 'KEEP' })).toBe(9_154);
    // the jeans alone cost 299.00 with no 满减: the customer held 368.00 and keeps 299.00 → 69.00
    expect(returnRefundMinor({ ...base, policy: 'DEDUCT' })).toBe(6_900);
  });

  test('a kept gift the rest no longer earns is deducted under DEDUCT; a returned gift refunds nothing', () => {
    const gift = promotion({ kind: 'THRESHOLD_GIFT', fromMinor: 25_000, giftSku: 'TOTE', giftQuantity: 1 });
    const q = quote(
      [
        { sku: 'JEANS-32', quantity: 1 },
        { sku: 'SOCKS', quantity: 1 },
      ],
      [gift],
    );
    const lines = paid(q);
    const socks = {
      lines,
      returnedBefore: new Map<number, number>(),
      returning: [{ lineNo: 2, quantity: 1 }],
      record: record(q),
    };
    expect(returnRefundMinor({ ...socks, policy: 'KEEP' })).toBe(1_500);
    expect(returnRefundMinor({ ...socks, policy: 'DEDUCT' })).toBe(1_500); // 299.00 of jeans still earns the tote (from 250.00)
    const jeans = { ...socks, returning: [{ lineNo: 1, quantity: 1 }] };
    expect(returnRefundMinor({ ...jeans, policy: 'KEEP' })).toBe(29_900);
    expect(returnRefundMinor({ ...jeans, policy: 'DEDUCT' })).toBe(29_900 - 3_000); // keeps the tote: pays for it
    const both = {
      ...socks,
      returning: [
        { lineNo: 1, quantity: 1 },
        { lineNo: 3, quantity: 1 },
      ],
    };
    expect(returnRefundMinor({ ...both, policy: 'DEDUCT' })).toBe(29_900);
    expect(returnedShareMinor(lines, new Map(), [{ lineNo: 3, quantity: 1 }])).toBe(0);
  });

  test('over any basket, promotions and returns, refunds never exceed what was paid and never go negative (property)', () => {
    fc.assert(
      fc.property(
        anyBasket,
        anyPromotions,
        fc.boolean(),
        fc.constantFrom(...RETURN_DISCOUNT_POLICIES),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 6 })), { maxLength: 8 }),
        (basket, promotions, member, policy, picks) => {
          const q = quoteBasket({
            lines: basket,
            catalogue: CATALOGUE,
            promotions,
            channel: 'web',
            at: AT,
            timeZone: 'Asia/Shanghai',
            tier: member ? GOLD : undefined,
          });
          const lines = paid(q);
          const returnedBefore = new Map<number, number>();
          let refunded = 0;
          for (const [pick, want] of picks) {
            const line = lines[pick % lines.length];
            const quantity = Math.min(want, line.quantity - (returnedBefore.get(line.lineNo) ?? 0));
            if (quantity <= 0) continue;
            const returning = [{ lineNo: line.lineNo, quantity }];
            const refund = returnRefundMinor({
              lines,
              returnedBefore: new Map(returnedBefore),
              returning,
              policy,
              record: record(q, member ? GOLD : undefined),
            });
            expect(refund).toBeGreaterThanOrEqual(0);
            expect(refund).toBeLessThanOrEqual(returnedShareMinor(lines, returnedBefore, returning));
            refunded += refund;
            returnedBefore.set(line.lineNo, (returnedBefore.get(line.lineNo) ?? 0) + quantity);
          }
          expect(refunded).toBeLessThanOrEqual(q.totalMinor);
          if (policy === 'KEEP' && lines.every((l) => (returnedBefore.get(l.lineNo) ?? 0) === l.quantity))
            expect(refunded).toBe(q.totalMinor);
        },
      ),
    );
  });
});

/** The arithmetic of tiers and points (domain/loyalty.ts), and the shop's tier list as configuration reads it. */
import {
  backorderQueue,
  DEFAULT_TIERS,
  pointsEarned,
  pointsToExpire,
  pointsToTakeBack,
  splitReturnRefund,
  tierByCode,
  tierFor,
  tierSpendMinor,
} from '../../domain/loyalty';
import { loadConfig } from '../../lib/config';

const DAY = 86_400_000;
const now = new Date('2026-12-03T10:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

describe('tiers', () => {
  test('the highest tier whose threshold the spend reaches; an unknown code is the lowest tier', () => {
    expect(tierFor(0, DEFAULT_TIERS).name).toBe('普通');
    expect(tierFor(99_999, DEFAULT_TIERS).name).toBe('普通');
    expect(tierFor(100_000, DEFAULT_TIERS).name).toBe('银卡');
    expect(tierFor(300_000, DEFAULT_TIERS).name).toBe('金卡');
    expect(tierFor(10_000_000, DEFAULT_TIERS).name).toBe('VIP');
    expect(tierByCode('GOLD', DEFAULT_TIERS).name).toBe('金卡');
    expect(tierByCode('PLATINUM', DEFAULT_TIERS).code).toBe('STANDARD');
  });

  test('spend counts delivered orders inside the window, net of refunds, never below zero an order', () => {
    const spend = tierSpendMinor(
      [
        { totalMinor: 50_000, refundedMinor: 10_000, deliveredAt: daysAgo(10) },
        { totalMinor: 80_000, refundedMinor: 0, deliveredAt: daysAgo(400) }, // outside 365 days
        { totalMinor: 30_000, refundedMinor: 0, deliveredAt: null }, // not delivered yet
        { totalMinor: 20_000, refundedMinor: 25_000, deliveredAt: daysAgo(1) }, // refunded beyond: counts 0
      ],
      now,
      365 * DAY,
    );
    expect(spend).toBe(40_000);
  });

  test('a VIP order waiting is served before an ordinary one that waited longer; within a tier, oldest first', () => {
    const waiting = [
      { id: 1, createdAt: daysAgo(5), priority: 0, name: 'ordinary, oldest' },
      { id: 2, createdAt: daysAgo(1), priority: 2, name: 'VIP, newest' },
      { id: 3, createdAt: daysAgo(3), priority: 0, name: 'ordinary, newer' },
      { id: 4, createdAt: daysAgo(2), priority: 1, name: 'gold' },
    ];
    expect(backorderQueue(waiting).map((w) => w.name)).toEqual([
      'VIP, newest',
      'gold',
      'ordinary, oldest',
      'ordinary, newer',
    ]);
  });
});

describe('points', () => {
  test('earned in whole points per yuan of money paid, at the tier rate', () => {
    const [standard, , gold] = DEFAULT_TIERS;
    expect(pointsEarned(12_345, standard)).toBe(123);
    expect(pointsEarned(12_345, gold)).toBe(185); // 123.45 × 1.5 = 185.175
    expect(pointsEarned(0, gold)).toBe(0);
    expect(pointsEarned(-500, gold)).toBe(0);
  });

  test('refunds take points back in proportion, and partial refunds add up to exactly what was earned', () => {
    const earned = { points: 100, paidMinor: 30_000 };
    const parts = [10_000, 10_000, 10_000];
    let before = 0;
    const taken = parts.map((part) => {
      const points = pointsToTakeBack(earned, before, part);
      before += part;
      return points;
    });
    expect(taken).toEqual([33, 34, 33]);
    expect(taken.reduce((a, b) => a + b, 0)).toBe(100);
    // Refunded beyond what earned points (say, the shipping): nothing more.
    expect(pointsToTakeBack(earned, 30_000, 5_000)).toBe(0);
    expect(pointsToTakeBack({ points: 0, paidMinor: 0 }, 0, 1_000)).toBe(0);
  });

  test("a return's refund gives back its share of the points paid with, the rest as money", () => {
    const order = { totalMinor: 40_000, pointsRedeemed: 10_000, pointsMinor: 10_000 };
    // A quarter of the goods back: a quarter of the points (2,500) and 7,500 fen in money.
    expect(splitReturnRefund(order, 0, 10_000)).toEqual({ points: 2_500, moneyMinor: 7_500 });
    // The rest: everything adds up to what was paid both ways.
    expect(splitReturnRefund(order, 10_000, 30_000)).toEqual({ points: 7_500, moneyMinor: 22_500 });
    // No points paid: all money.
    expect(splitReturnRefund({ ...order, pointsRedeemed: 0, pointsMinor: 0 }, 0, 10_000)).toEqual({
      points: 0,
      moneyMinor: 10_000,
    });
  });

  test('what lapses is the oldest credits due, less everything taken off so far', () => {
    const movements = [
      { points: 300, expiresAt: daysAgo(1) },
      { points: 200, expiresAt: daysAgo(-30) },
      { points: -120, expiresAt: null },
    ];
    expect(pointsToExpire(movements, now)).toBe(180);
    expect(pointsToExpire([...movements, { points: -180, expiresAt: null }], now)).toBe(0);
    // Spent more than the due credits brought: nothing lapses.
    expect(pointsToExpire([...movements, { points: -400, expiresAt: null }], now)).toBe(0);
  });
});

describe('the tier list in configuration', () => {
  const tiers = (value: unknown) => loadConfig({ OMS_LOYALTY_TIERS: JSON.stringify(value) }).loyalty.tiers;
  const tier = {
    code: 'A',
    name: 'A',
    fromMinor: 0,
    pointsPerYuan: 1,
    discountPercent: 0,
    express: false,
    backorderPriority: 0,
  };

  test('unset: the four tiers', () => {
    expect(loadConfig({}).loyalty.tiers.map((t) => t.name)).toEqual(['普通', '银卡', '金卡', 'VIP']);
  });

  test("a shop's own list is taken; one that cannot work is refused with the reason", () => {
    expect(tiers([tier, { ...tier, code: 'B', name: 'B', fromMinor: 5_000 }]).map((t) => t.code)).toEqual(['A', 'B']);
    expect(() => tiers([{ ...tier, fromMinor: 100 }])).toThrow(
      'OMS_LOYALTY_TIERS: tier 0.fromMinor: the first tier starts at 0',
    );
    expect(() => tiers([tier, { ...tier, code: 'B', fromMinor: 0 }])).toThrow('each tier starts above the one before');
    expect(() => tiers([tier, { ...tier, fromMinor: 10 }])).toThrow('tier code A is given twice');
    expect(() => loadConfig({ OMS_LOYALTY_TIERS: '[{' })).toThrow('OMS_LOYALTY_TIERS: expected a JSON list of tiers');
    expect(() => loadConfig({ OMS_POINT_VALUE_MINOR: '0' })).toThrow('OMS_POINT_VALUE_MINOR: expected 1 or more');
  });
});

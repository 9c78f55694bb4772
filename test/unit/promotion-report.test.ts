/** The promotion report's arithmetic (domain/promotion-report.ts). */
import { changePercent, promotionReport, reportPeriods, type ReportOrder } from '../../domain/promotion-report';

const order = (totalMinor: number, units: number, promotionDiscountMinor = 0, refundedMinor = 0): ReportOrder => ({
  totalMinor,
  refundedMinor,
  units,
  promotionDiscountMinor,
  usedPromotion: promotionDiscountMinor > 0,
});

test('figures per period: revenue net of refunds, the average basket, units per order, the change', () => {
  const report = promotionReport(
    [order(37_000, 2, 3_000), order(20_000, 1), order(10_000, 1, 0, 10_000)],
    [order(20_000, 1)],
  );
  expect(report.during).toEqual({
    orders: 3,
    revenueMinor: 57_000,
    discountMinor: 3_000,
    averageBasketMinor: 19_000,
    unitsPerOrder: 1.33,
  });
  expect(report.withPromotion).toMatchObject({ orders: 1, revenueMinor: 37_000, discountMinor: 3_000 });
  expect(report.change).toEqual({ orders: 200, revenue: 185, averageBasket: -5, unitsPerOrder: 33 });
});

test('nothing before: no change to speak of; no orders: zeros, not NaN', () => {
  expect(changePercent(0, 5)).toBeNull();
  expect(promotionReport([], []).during).toEqual({
    orders: 0,
    revenueMinor: 0,
    discountMinor: 0,
    averageBasketMinor: 0,
    unitsPerOrder: 0,
  });
});

test('the period before is as long as the one during, which ends when the promotion did, or now', () => {
  const startsAt = new Date('2026-12-01T00:00:00Z');
  const ended = reportPeriods(
    { startsAt, createdAt: startsAt, endsAt: new Date('2026-12-08T00:00:00Z') },
    new Date('2026-12-20T00:00:00Z'),
  );
  expect(ended.before.from.toISOString()).toBe('2026-11-24T00:00:00.000Z');
  const running = reportPeriods({ startsAt, createdAt: startsAt, endsAt: null }, new Date('2026-12-03T00:00:00Z'));
  expect([running.during.to.toISOString(), running.before.from.toISOString()]).toEqual([
    '2026-12-03T00:00:00.000Z',
    '2026-11-29T00:00:00.000Z',
  ]);
});

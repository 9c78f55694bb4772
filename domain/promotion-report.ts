/**
 * How a promotion did (GET /api/reports/promotions): the shop's orders while it ran against the same length of time
 * just before it, and the orders that took it. Plain arithmetic on the orders the caller selected.
 */

/** An order as the report counts it. */
export interface ReportOrder {
  totalMinor: number;
  /** Refunded so far: revenue is what the shop kept. */
  refundedMinor: number;
  /** Units the customer got (ordered less cancelled; gifts not counted). */
  units: number;
  /** What this promotion took off it (0: it did not apply). */
  promotionDiscountMinor: number;
  usedPromotion: boolean;
}

export interface PeriodFigures {
  orders: number;
  revenueMinor: number;
  /** What the promotion took off these orders. */
  discountMinor: number;
  /** Revenue per order, rounded to the fen; 0 without orders. */
  averageBasketMinor: number;
  /** Two decimals; 0 without orders. */
  unitsPerOrder: number;
}

export function periodFigures(orders: readonly ReportOrder[]): PeriodFigures {
  const count = orders.length;
  const revenueMinor = orders.reduce((s, o) => s + o.totalMinor - o.refundedMinor, 0);
  const units = orders.reduce((s, o) => s + o.units, 0);
  return {
    orders: count,
    revenueMinor,
    discountMinor: orders.reduce((s, o) => s + o.promotionDiscountMinor, 0),
    averageBasketMinor: count ? Math.round(revenueMinor / count) : 0,
    unitsPerOrder: count ? Math.round((units / count) * 100) / 100 : 0,
  };
}

export interface ReportPeriods {
  during: { from: Date; to: Date };
  before: { from: Date; to: Date };
}

/** While it ran (from its start, or its creation, until it ended or now) and the same length just before. */
export function reportPeriods(promotion: { startsAt: Date | null; createdAt: Date; endsAt: Date | null }, now: Date) {
  const from = promotion.startsAt ?? promotion.createdAt;
  const end = promotion.endsAt && promotion.endsAt < now ? promotion.endsAt : now;
  const to = end > from ? end : from;
  const length = to.getTime() - from.getTime();
  return {
    during: { from, to },
    before: { from: new Date(from.getTime() - length), to: from },
  } satisfies ReportPeriods;
}

/** Change from before to during, in percent with one decimal; null when there was nothing before to compare with. */
export function changePercent(before: number, during: number): number | null {
  if (before === 0) return null;
  return Math.round(((during - before) / before) * 1000) / 10;
}

export function promotionReport(during: readonly ReportOrder[], before: readonly ReportOrder[]) {
  const d = periodFigures(during);
  const b = periodFigures(before);
  return {
    during: d,
    before: b,
    /** The orders that took the promotion, among those during. */
    withPromotion: periodFigures(during.filter((o) => o.usedPromotion)),
    change: {
      orders: changePercent(b.orders, d.orders),
      revenue: changePercent(b.revenueMinor, d.revenueMinor),
      averageBasket: changePercent(b.averageBasketMinor, d.averageBasketMinor),
      unitsPerOrder: changePercent(b.unitsPerOrder, d.unitsPerOrder),
    },
  };
}

/** The promotion report's data: the orders of a period, as domain/promotion-report.ts counts them. */
import type { Db } from '../db/client';
import type { SalesChannel } from '../domain/order-status';
import { promotionReport, reportPeriods, type ReportOrder } from '../domain/promotion-report';
import { promotionOf } from './promotions';

/** Orders that were never fulfilled are no sales. */
const NOT_SALES = ['CANCELLED', 'REJECTED'];

async function ordersBetween(
  db: Db,
  promotionId: number,
  from: Date,
  to: Date,
  channels: readonly SalesChannel[] | undefined,
): Promise<ReportOrder[]> {
  const orders = await db.order.findMany({
    where: {
      createdAt: { gte: from, lt: to },
      status: { notIn: NOT_SALES },
      ...(channels ? { channel: { in: [...channels] } } : {}),
    },
    select: {
      totalMinor: true,
      lines: { select: { quantity: true, cancelledQuantity: true, gift: true } },
      refunds: { select: { amountMinor: true } },
      discounts: { where: { promotionId }, select: { amountMinor: true } },
    },
  });
  return orders.map((o) => ({
    totalMinor: o.totalMinor,
    refundedMinor: o.refunds.reduce((s, r) => s + r.amountMinor, 0),
    units: o.lines.filter((l) => !l.gift).reduce((s, l) => s + l.quantity - l.cancelledQuantity, 0),
    promotionDiscountMinor: o.discounts.reduce((s, d) => s + d.amountMinor, 0),
    usedPromotion: o.discounts.length > 0,
  }));
}

/** One promotion's report; undefined when there is no such promotion. */
export async function reportOnPromotion(db: Db, code: string, now = new Date()) {
  const row = await db.promotion.findUnique({ where: { code } });
  if (!row) return undefined;
  const promotion = promotionOf(row);
  const periods = reportPeriods(
    { startsAt: row.startsAt, createdAt: row.createdAt, endsAt: promotion.endsAt ?? null },
    now,
  );
  const [during, before] = await Promise.all([
    ordersBetween(db, row.id, periods.during.from, periods.during.to, promotion.channels),
    ordersBetween(db, row.id, periods.before.from, periods.before.to, promotion.channels),
  ]);
  return {
    promotion: { code: row.code, name: row.name, kind: row.kind, channels: promotion.channels ?? null },
    periods,
    ...promotionReport(during, before),
  };
}

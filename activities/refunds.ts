/**
 * Money back through the payment adapter, once per key. Only from what the order was paid (domain/refunds.ts): the
 * payment the provider confirmed at review (Order.paymentReference, Order.capturedMinor), or, for an order paid
 * before payments were verified (Order.paymentLegacy), its total, refunded by order number as then; never more than
 * is left after the earlier refunds. What is asked beyond that is not paid, and the order's audit trail says so, for
 * staff to settle by hand.
 *
 * Decide, then pay. One transaction, holding the order's row, reads what is left and writes the refund row with the
 * amount to pay (and the audit row for any unpaid part), both keyed by the refund's key; only then is the provider
 * asked, for exactly that amount under the same key (it pays once per key), and the row gets the provider's
 * reference. So two refunds of one order decide one after the other, and a retry after a crash or a refused call
 * pays the amount decided, never a recomputed one. The provider checks the capture again on its own books.
 * Returns the amount paid.
 */
import type { Db } from '../db/client';
import { splitReturnRefund, type LoyaltyRules } from '../domain/loyalty';
import { payableMinor, refundSource } from '../domain/refunds';
import { redeemedPointsReturned, returnRedeemedPoints, settleRefund } from '../orders/loyalty';
import type { PaymentAdapter } from '../payments/types';

interface RefundAsked {
  orderNumber: string;
  /** Unique per refund of the order (`cancel`, `return-RMA-…`): a retry with the same key is the same refund. */
  key: string;
  amountMinor: number;
  reason: string;
}

export async function recordRefund(db: Db, payments: PaymentAdapter, refund: RefundAsked): Promise<number> {
  const key = `${refund.orderNumber}:${refund.key}`;
  const found = await db.refund.findUnique({ where: { key } });
  if (!found && refund.amountMinor <= 0) return 0;
  const decided = found ?? (await decideRefund(db, payments.name, key, refund));
  if (!decided) return 0;
  if (decided.providerRef === null) {
    const { providerRef } = await payments.refund({
      idempotencyKey: key,
      captureRef: decided.captureRef ?? undefined,
      orderNumber: refund.orderNumber,
      amountMinor: decided.amountMinor,
      currency: decided.currency,
      reason: decided.reason,
    });
    await db.refund.update({ where: { key }, data: { providerRef } });
  }
  return decided.amountMinor;
}

/** The refund row for this key, written with what is left to pay; undefined when nothing is (decided now or before). */
function decideRefund(db: Db, provider: string, key: string, refund: RefundAsked) {
  return db.$transaction(async (tx) => {
    // The order's row first: refunds of one order decide one at a time (on SQLite this takes the write lock at once).
    await tx.$executeRaw`
      UPDATE "Order" SET "capturedMinor" = "capturedMinor" WHERE "orderNumber" = ${refund.orderNumber}`;
    const done = await tx.refund.findUnique({ where: { key } });
    if (done) return done;
    const unpaidKey = `${key}:unpaid`;
    if (await tx.auditEvent.findUnique({ where: { key: unpaidKey } })) return undefined; // decided before: nothing
    const order = await tx.order.findUniqueOrThrow({ where: { orderNumber: refund.orderNumber } });
    const source = refundSource(order);
    const earlier = source
      ? await tx.refund.aggregate({
          // A legacy order's refunds name no capture (those from before the upgrade neither): counted per order.
          where: source.captureRef === null ? { orderId: order.id } : { captureRef: source.captureRef },
          _sum: { amountMinor: true },
        })
      : undefined;
    const refundedMinor = earlier?._sum.amountMinor ?? 0;
    const amountMinor = payableMinor(refund.amountMinor, source, refundedMinor);
    if (amountMinor < refund.amountMinor) {
      const unpaidMinor = refund.amountMinor - amountMinor;
      const why = !source
        ? 'no payment the provider confirmed backs this order'
        : source.captureRef === null
          ? `the order was paid ${source.paidMinor}, of which ${refundedMinor} is refunded already`
          : `payment ${source.captureRef} captured ${source.paidMinor} and has no more left to refund`;
      await tx.auditEvent.create({
        data: {
          key: unpaidKey,
          orderNumber: refund.orderNumber,
          actor: 'payments',
          action: 'refund not paid',
          reason: `${unpaidMinor} of "${refund.reason}" not refunded: ${why}`,
          details: { unpaidMinor },
        },
      });
    }
    if (amountMinor === 0 || !source) return undefined;
    return tx.refund.create({
      data: {
        key,
        orderId: order.id,
        amountMinor,
        currency: order.currency,
        reason: refund.reason,
        provider,
        providerRef: null,
        captureRef: source.captureRef,
      },
    });
  });
}

/** What a set of order lines is worth, at the prices the customer paid. */
export async function valueOfLines(db: Db, orderNumber: string, lines: { lineNo: number; quantity: number }[]) {
  const orderLines = await db.orderLine.findMany({ where: { order: { orderNumber } } });
  const price = new Map(orderLines.map((l) => [l.lineNo, l.unitPriceMinor]));
  return lines.reduce((sum, l) => sum + (price.get(l.lineNo) ?? 0) * l.quantity, 0);
}

interface GoodsRefund {
  orderNumber: string;
  /** As for recordRefund; the points given back are keyed by it too. */
  key: string;
  /** What the goods were worth at the prices paid. */
  valueMinor: number;
  reason: string;
}

/**
 * Goods worth `valueMinor` refunded: the part paid in points comes back as points (domain/loyalty.ts
 * splitReturnRefund), the rest as money (for a paid order), and the money refunded takes its share of the order's
 * earned points back and has the tier looked at again. Returns the money refunded.
 */
export async function refundGoods(
  db: Db,
  payments: PaymentAdapter,
  rules: LoyaltyRules,
  refund: GoodsRefund,
): Promise<number> {
  const { orderNumber, key } = refund;
  const order = await db.order.findUniqueOrThrow({
    where: { orderNumber },
    select: { paymentStatus: true, totalMinor: true, pointsRedeemed: true, pointsMinor: true, refunds: true },
  });
  let split = { points: 0, moneyMinor: refund.valueMinor };
  if (order.pointsRedeemed > 0) {
    const ownKey = `${orderNumber}:${key}`;
    const pointsBack = await redeemedPointsReturned(db, orderNumber, key);
    const moneyBefore = order.refunds.filter((r) => r.key !== ownKey).reduce((sum, r) => sum + r.amountMinor, 0);
    split = splitReturnRefund(order, moneyBefore + pointsBack.minor, refund.valueMinor);
  }
  const refunded =
    order.paymentStatus === 'PAID'
      ? await recordRefund(db, payments, { orderNumber, key, amountMinor: split.moneyMinor, reason: refund.reason })
      : 0;
  await returnRedeemedPoints(db, orderNumber, key, split.points, rules);
  await settleRefund(db, orderNumber, key, refunded, rules);
  return refunded;
}

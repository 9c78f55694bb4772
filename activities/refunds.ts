/** Money back through the payment adapter, recorded once per key (a retry returns the recorded refund). */
import type { Db } from '../db/client';
import type { PaymentAdapter } from '../payments/types';

export async function recordRefund(
  db: Db,
  payments: PaymentAdapter,
  refund: { orderNumber: string; key: string; amountMinor: number; reason: string },
): Promise<number> {
  const key = `${refund.orderNumber}:${refund.key}`;
  const done = await db.refund.findUnique({ where: { key } });
  if (done) return done.amountMinor;
  if (refund.amountMinor <= 0) return 0;
  const order = await db.order.findUniqueOrThrow({ where: { orderNumber: refund.orderNumber } });
  const { providerRef } = await payments.refund({
    idempotencyKey: key,
    orderNumber: refund.orderNumber,
    amountMinor: refund.amountMinor,
    currency: order.currency,
    reason: refund.reason,
  });
  try {
    await db.refund.create({
      data: {
        key,
        orderId: order.id,
        amountMinor: refund.amountMinor,
        currency: order.currency,
        reason: refund.reason,
        provider: payments.name,
        providerRef,
      },
    });
  } catch (err) {
    if ((err as { code?: string }).code !== 'P2002') throw err;
  }
  return refund.amountMinor;
}

/** What a set of order lines is worth, at the prices the customer paid. */
export async function valueOfLines(db: Db, orderNumber: string, lines: { lineNo: number; quantity: number }[]) {
  const orderLines = await db.orderLine.findMany({ where: { order: { orderNumber } } });
  const price = new Map(orderLines.map((l) => [l.lineNo, l.unitPriceMinor]));
  return lines.reduce((sum, l) => sum + (price.get(l.lineNo) ?? 0) * l.quantity, 0);
}

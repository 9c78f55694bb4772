/**
 * Review's checks on an order as stored, or as an edit would leave it (activities/order-edits.ts): the known SKUs,
 * the block list and the provider's word on the payment the order names. The rules are domain/review.ts.
 */
import type { Db } from '../db/client';
import type { ShippingAddress } from '../domain/order-input';
import { normalisePhone, reviewOrder, type ReviewableOrder } from '../domain/review';
import type { PaymentAdapter } from '../payments/types';

type StoredOrder = Omit<ReviewableOrder, 'shippingAddress' | 'capture'> & {
  shippingAddress: unknown;
  currency: string;
  capturedMinor: number | null;
};

export async function reviewChecks(db: Db, payments: PaymentAdapter, order: StoredOrder) {
  const skus = order.lines.map((l) => l.sku);
  const known = await db.productVariant.findMany({ where: { sku: { in: skus } }, select: { sku: true } });
  const blocked = await db.blockedCustomer.findMany();
  // The one outside call of review: the provider's word on the payment the order names, not the caller's.
  const capture =
    order.paymentStatus === 'PAID' && order.paymentReference
      ? await payments.verify(order.paymentReference)
      : undefined;
  const reasons = reviewOrder(
    { ...order, shippingAddress: order.shippingAddress as ShippingAddress, capture },
    new Set(known.map((v) => v.sku)),
    undefined,
    {
      emails: new Set(blocked.filter((b) => b.kind === 'EMAIL').map((b) => b.value)),
      phones: new Set(blocked.filter((b) => b.kind === 'PHONE').map((b) => normalisePhone(b.value))),
    },
  );
  const confirmedMinor = capture?.currency === order.currency ? capture.amountMinor : null;
  // What the provider took is the most its refunds may ever return (activities/refunds.ts); a legacy order keeps
  // what the upgrade recorded (its total), as it names no capture to ask about.
  return { reasons, capturedMinor: order.paymentLegacy ? order.capturedMinor : confirmedMinor };
}

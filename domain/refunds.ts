/** Where an order's refunds may come from, and how much of what is asked can be paid. */

export interface PaidOrder {
  paymentReference: string | null;
  capturedMinor: number | null;
  /** Paid before payments were verified: no capture named, refunded by order number as then (up to its total). */
  paymentLegacy: boolean;
}

/** The payment a refund returns money from: a confirmed capture, or (captureRef null) a legacy order's payment. */
export interface RefundSource {
  captureRef: string | null;
  /** The most all its refunds together may return. */
  paidMinor: number;
}

/** Undefined when nothing the provider took backs the order: a PAID claim no capture confirmed. */
export function refundSource(order: PaidOrder): RefundSource | undefined {
  if (order.capturedMinor === null) return undefined;
  if (order.paymentLegacy) return { captureRef: null, paidMinor: order.capturedMinor };
  if (!order.paymentReference) return undefined;
  return { captureRef: order.paymentReference, paidMinor: order.capturedMinor };
}

/** What is paid of a refund asked for: at most what is left of the source after the earlier refunds. */
export function payableMinor(askedMinor: number, source: RefundSource | undefined, refundedMinor: number): number {
  if (!source) return 0;
  return Math.max(0, Math.min(askedMinor, source.paidMinor - refundedMinor));
}

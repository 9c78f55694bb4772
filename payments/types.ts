/**
 * What Shop OMS needs from a payment provider: take money (capture), say whether it took it (verify), and give it
 * back (refund), once per key and never more than it took.
 */

/** Money the provider took from a customer, named by the provider's reference. */
export interface Capture {
  reference: string;
  amountMinor: number;
  currency: string;
  /** How the customer paid, e.g. `card`, `alipay`, `cash` (a till recording its takings). */
  method: string;
  at: string;
}

export interface CaptureRequest {
  amountMinor: number;
  currency: string;
  method: string;
  /** The provider's reference; one is made when omitted. */
  reference?: string;
}

export interface RefundRequest {
  /** Same key, same refund: a retried activity never pays twice. */
  idempotencyKey: string;
  /**
   * The capture the money goes back from: all refunds of one capture together never exceed it. Absent only for an
   * order paid before captures were recorded (Order.paymentLegacy): the provider finds that payment by the order
   * number, as it did then, and the caller caps the refunds at the order's total.
   */
  captureRef?: string;
  orderNumber: string;
  amountMinor: number;
  currency: string;
  reason: string;
}

/** The provider refused a refund: no such capture, another currency, or more than is left of it. */
export class RefundRefusedError extends Error {
  constructor(
    readonly captureRef: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PaymentAdapter {
  readonly name: string;
  /** The capture with this reference, or undefined when the provider took no such payment. */
  verify(reference: string): Promise<Capture | undefined>;
  refund(request: RefundRequest): Promise<{ providerRef: string }>;
}

/** A provider the shop can take money through itself (the local stand-in: tests, demo data, a till's cash). */
export interface CapturingPaymentAdapter extends PaymentAdapter {
  capture(request: CaptureRequest): Promise<Capture>;
}

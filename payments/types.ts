/** What Shop OMS needs from a payment provider: give money back, once per key. */
export interface RefundRequest {
  /** Same key, same refund: a retried activity never pays twice. */
  idempotencyKey: string;
  orderNumber: string;
  amountMinor: number;
  currency: string;
  reason: string;
}

export interface PaymentAdapter {
  readonly name: string;
  refund(request: RefundRequest): Promise<{ providerRef: string }>;
}

/**
 * The local payment adapter: a stand-in for a real provider (Alipay, WeChat Pay, a card acquirer).
 * It moves no money; the refund it confirms is recorded by the caller and shows in the order's
 * refunds, as a real provider's would. The reference is derived from the key, so a retry gets the same.
 */
import crypto from 'node:crypto';
import type { PaymentAdapter, RefundRequest } from './types';

export class LocalPaymentAdapter implements PaymentAdapter {
  readonly name = 'local';

  async refund(request: RefundRequest): Promise<{ providerRef: string }> {
    if (!Number.isInteger(request.amountMinor) || request.amountMinor <= 0) {
      throw new Error(`refund of ${request.amountMinor} for ${request.orderNumber}: amount must be positive`);
    }
    const digest = crypto.createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 16);
    return { providerRef: `LPR-${digest.toUpperCase()}` };
  }
}

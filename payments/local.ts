/**
 * The local payment adapter: a stand-in for a real provider (Alipay, WeChat Pay, a card acquirer).
 * It moves no money; the refund it confirms is recorded by the caller and shows in the order's
 * refunds, as a real provider's would. The reference is derived from the key, so a retry gets the same.
 * Like a provider, it keeps its own record of the refunds it paid (one line each in `recordFile`, when given),
 * and a key it has seen is answered from that record without paying again: the fault suite counts them there.
 * (The record is per worker process's data folder: two workers on two machines would keep two.)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PaymentAdapter, RefundRequest } from './types';

export interface LocalRefundRecord {
  idempotencyKey: string;
  orderNumber: string;
  amountMinor: number;
  currency: string;
  providerRef: string;
  at: string;
}

/** The refunds the local provider has paid, oldest first (empty when it has paid none). */
export function readLocalRefunds(recordFile: string): LocalRefundRecord[] {
  if (!fs.existsSync(recordFile)) return [];
  return fs
    .readFileSync(recordFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LocalRefundRecord);
}

export class LocalPaymentAdapter implements PaymentAdapter {
  readonly name = 'local';
  private readonly paid = new Map<string, LocalRefundRecord>();

  constructor(private readonly recordFile?: string) {
    if (recordFile) for (const refund of readLocalRefunds(recordFile)) this.paid.set(refund.idempotencyKey, refund);
  }

  /**
   * Pays at once (nothing to wait for): the work is synchronous, and a refusal reaches the caller as a rejected
   * promise, as from any adapter.
   */
  refund(request: RefundRequest): Promise<{ providerRef: string }> {
    return new Promise((resolve) => resolve(this.pay(request)));
  }

  private pay(request: RefundRequest): { providerRef: string } {
    if (!Number.isInteger(request.amountMinor) || request.amountMinor <= 0) {
      throw new Error(`refund of ${request.amountMinor} for ${request.orderNumber}: amount must be positive`);
    }
    const known = this.paid.get(request.idempotencyKey);
    if (known) return { providerRef: known.providerRef };
    const digest = crypto.createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 16);
    const refund: LocalRefundRecord = {
      idempotencyKey: request.idempotencyKey,
      orderNumber: request.orderNumber,
      amountMinor: request.amountMinor,
      currency: request.currency,
      providerRef: `LPR-${digest.toUpperCase()}`,
      at: new Date().toISOString(),
    };
    if (this.recordFile) {
      fs.mkdirSync(path.dirname(this.recordFile), { recursive: true });
      fs.appendFileSync(this.recordFile, `${JSON.stringify(refund)}\n`);
    }
    this.paid.set(refund.idempotencyKey, refund);
    return { providerRef: refund.providerRef };
  }
}

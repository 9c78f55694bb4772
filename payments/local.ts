/**
 * The local payment adapter: a stand-in for a real provider (Alipay, WeChat Pay, a card acquirer, a till's cash
 * drawer). It moves no money, but keeps a provider's books: the payments customers made (captures, one line each in
 * the captures file) and the refunds it paid (one line each in the refunds file), and it answers from them as a
 * provider would: it confirms only a capture it holds, and it refuses a refund of a capture it does not hold, in
 * another currency, or beyond what is left of it after earlier refunds (a refund naming no capture, of an order
 * paid before captures were kept, is paid as it was then: the caller caps it). A refund key it has seen is answered
 * from its record without paying again (the fault suite counts them there); the reference is derived from the key, so
 * a retry gets the same. The files are append-only JSON lines that other processes may append to too (the
 * `npm run payments` command, the tests): each call first reads what was added since. (The files are per data
 * folder: two workers on two machines would keep two sets of books.)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  RefundRefusedError,
  type Capture,
  type CaptureRequest,
  type CapturingPaymentAdapter,
  type RefundRequest,
} from './types';

export interface LocalRefundRecord {
  idempotencyKey: string;
  /** The capture it returns money from (absent on refunds of orders paid before captures were kept). */
  captureRef?: string;
  orderNumber: string;
  amountMinor: number;
  currency: string;
  providerRef: string;
  at: string;
}

/** Where the local stand-in keeps its books in a data folder. */
export function localPaymentFiles(dataDir: string): { refunds: string; captures: string } {
  return {
    refunds: path.join(dataDir, 'local-payments.jsonl'),
    captures: path.join(dataDir, 'local-payment-captures.jsonl'),
  };
}

/** The refunds the local provider has paid, oldest first (empty when it has paid none). */
export function readLocalRefunds(recordFile: string): LocalRefundRecord[] {
  return new JsonLines<LocalRefundRecord>(recordFile).readNew();
}

/** An append-only file of JSON lines, read incrementally: each read returns the complete lines added since the last. */
class JsonLines<T> {
  private offset = 0;

  constructor(private readonly file?: string) {}

  readNew(): T[] {
    if (!this.file || !fs.existsSync(this.file)) return [];
    const fd = fs.openSync(this.file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= this.offset) return [];
      const chunk = Buffer.alloc(size - this.offset);
      fs.readSync(fd, chunk, 0, chunk.length, this.offset);
      // A line another process is still writing is read next time.
      const end = chunk.lastIndexOf(0x0a);
      if (end < 0) return [];
      this.offset += end + 1;
      return chunk
        .subarray(0, end)
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as T);
    } finally {
      fs.closeSync(fd);
    }
  }

  append(record: T): void {
    if (!this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    fs.appendFileSync(this.file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  }
}

export class LocalPaymentAdapter implements CapturingPaymentAdapter {
  readonly name = 'local';
  private readonly paid = new Map<string, LocalRefundRecord>();
  private readonly captures = new Map<string, Capture>();
  private readonly refundFile: JsonLines<LocalRefundRecord>;
  private readonly captureFile: JsonLines<Capture>;

  /** Without files it keeps its books in memory only (unit tests). */
  constructor(files: { refunds?: string; captures?: string } = {}) {
    this.refundFile = new JsonLines(files.refunds);
    this.captureFile = new JsonLines(files.captures);
  }

  /** Records a payment a customer made (tests, demo data, a till's cash takings); a reference is taken once. */
  capture(request: CaptureRequest): Promise<Capture> {
    return new Promise((resolve) => resolve(this.captureNow(request)));
  }

  verify(reference: string): Promise<Capture | undefined> {
    return new Promise((resolve) => {
      this.catchUp();
      resolve(this.captures.get(reference));
    });
  }

  /**
   * Pays at once (nothing to wait for): the work is synchronous, and a refusal reaches the caller as a rejected
   * promise, as from any adapter.
   */
  refund(request: RefundRequest): Promise<{ providerRef: string }> {
    return new Promise((resolve) => resolve(this.pay(request)));
  }

  /** What is left of a capture after the refunds paid from it. */
  remainingMinor(reference: string): number {
    this.catchUp();
    const capture = this.captures.get(reference);
    return capture ? capture.amountMinor - this.refundedMinor(reference) : 0;
  }

  /** The same at once: the books are local files (test helpers that must not wait). */
  captureNow(request: CaptureRequest): Capture {
    if (!Number.isInteger(request.amountMinor) || request.amountMinor <= 0) {
      throw new Error(`capture of ${request.amountMinor}: amount must be a positive whole number of minor units`);
    }
    if (!/^[A-Z]{3}$/.test(request.currency)) throw new Error(`capture in "${request.currency}": not a currency code`);
    this.catchUp();
    const reference = request.reference ?? `LPC-${crypto.randomBytes(8).toString('hex').toUpperCase()}`;
    if (this.captures.has(reference)) throw new Error(`a payment ${reference} was already captured`);
    const capture: Capture = {
      reference,
      amountMinor: request.amountMinor,
      currency: request.currency,
      method: request.method,
      at: new Date().toISOString(),
    };
    this.captureFile.append(capture);
    this.captures.set(reference, capture);
    return capture;
  }

  private pay(request: RefundRequest): { providerRef: string } {
    if (!Number.isInteger(request.amountMinor) || request.amountMinor <= 0) {
      throw new Error(`refund of ${request.amountMinor} for ${request.orderNumber}: amount must be positive`);
    }
    this.catchUp();
    const known = this.paid.get(request.idempotencyKey);
    if (known) return { providerRef: known.providerRef };
    // Without a capture: a payment from before captures were kept, found by order number as then (nothing to check).
    if (request.captureRef !== undefined) this.checkCapture(request.captureRef, request);
    const digest = crypto.createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 16);
    const refund: LocalRefundRecord = {
      idempotencyKey: request.idempotencyKey,
      captureRef: request.captureRef,
      orderNumber: request.orderNumber,
      amountMinor: request.amountMinor,
      currency: request.currency,
      providerRef: `LPR-${digest.toUpperCase()}`,
      at: new Date().toISOString(),
    };
    this.refundFile.append(refund);
    this.paid.set(refund.idempotencyKey, refund);
    return { providerRef: refund.providerRef };
  }

  /** Refuses a refund of a capture it does not hold, in another currency, or beyond what is left of it. */
  private checkCapture(captureRef: string, request: RefundRequest): void {
    const capture = this.captures.get(captureRef);
    if (!capture) throw new RefundRefusedError(captureRef, `no payment ${captureRef} was captured`);
    if (capture.currency !== request.currency) {
      throw new RefundRefusedError(
        captureRef,
        `payment ${captureRef} was taken in ${capture.currency}, not ${request.currency}`,
      );
    }
    const left = capture.amountMinor - this.refundedMinor(captureRef);
    if (request.amountMinor > left) {
      throw new RefundRefusedError(
        captureRef,
        `refund of ${request.amountMinor} exceeds the ${left} left of payment ${captureRef}`,
      );
    }
  }

  private refundedMinor(reference: string): number {
    let sum = 0;
    for (const refund of this.paid.values()) if (refund.captureRef === reference) sum += refund.amountMinor;
    return sum;
  }

  /** Takes in what other processes (or this one) appended since the last look. */
  private catchUp(): void {
    for (const capture of this.captureFile.readNew()) this.captures.set(capture.reference, capture);
    for (const refund of this.refundFile.readNew()) this.paid.set(refund.idempotencyKey, refund);
  }
}

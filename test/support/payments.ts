/**
 * Payments customers made, for tests: recorded in the books of the local payment stand-in (payments/local.ts) of
 * every test system this process runs, as a web shop's checkout records them with a real provider before it sends
 * the order. A capture made before a system starts is recorded there when it starts.
 */
import { LocalPaymentAdapter, localPaymentFiles } from '../../payments/local';
import type { Capture, CaptureRequest } from '../../payments/types';

/**
 * What `orderBody` has each customer pay: more than any order a test places (the review limit is 5,000,000), and
 * within the database's 32-bit integers.
 */
export const PAID_IN_FULL_MINOR = 2_000_000_000;

const made: Capture[] = [];
const books = new Map<string, LocalPaymentAdapter>();

/** A customer's payment, in every running test system's payment stand-in; returns the capture (its reference). */
export function capturePayment(request: Partial<CaptureRequest> = {}): Capture {
  const full: CaptureRequest = { amountMinor: PAID_IN_FULL_MINOR, currency: 'CNY', method: 'card', ...request };
  const first = books.values().next().value ?? new LocalPaymentAdapter();
  const capture = first.captureNow(full);
  for (const adapter of books.values()) if (adapter !== first) adapter.captureNow({ ...full, ...capture });
  made.push(capture);
  return capture;
}

/** Called by startTestSystem: the system's stand-in gets every payment made so far, and those made from now on. */
export function openTestPayments(dataDir: string): void {
  const adapter = new LocalPaymentAdapter(localPaymentFiles(dataDir));
  for (const capture of made) adapter.captureNow(capture);
  books.set(dataDir, adapter);
}

export function closeTestPayments(dataDir: string): void {
  books.delete(dataDir);
}

/** Returns and exchanges after delivery. Pure: the caller supplies shipped lines, earlier returns and the time. */
import type { ReturnStatus } from './order-status';

export const RETURN_REASONS = [
  'DAMAGED',
  'DEFECTIVE',
  'WRONG_ITEM',
  'NOT_AS_DESCRIBED',
  'SIZE_OR_FIT',
  'CHANGED_MIND',
  'OTHER',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export interface ShippedLine {
  lineNo: number;
  sku: string;
  shipped: number;
  unitPriceMinor: number;
}

/** A line staff ask to return (or exchange, naming the replacement SKU). */
export interface ReturnLineRequest {
  lineNo: number;
  quantity: number;
  replacementSku?: string;
}

/** A returned line as inspected on arrival: back to stock or written off, with the units' serials. */
export interface ReceivedLineInput {
  lineNo: number;
  condition: 'RESTOCK' | 'WRITE_OFF';
  serials?: string[];
}

/** One return or exchange of an order, as its workflow follows it. */
export interface ReturnState {
  returnNumber: string;
  kind: 'RETURN' | 'EXCHANGE';
  status: ReturnStatus;
  lines: ReturnLineRequest[];
}

export interface ReturnProblem {
  lineNo?: number;
  code: string;
  message: string;
}

/**
 * Everything wrong with a return or exchange request, each problem naming the line and SKU so a clerk can fix it.
 * Quantities already in earlier (not rejected) returns are passed per lineNo.
 */
export function checkReturnLines(
  requested: readonly ReturnLineRequest[],
  shipped: readonly ShippedLine[],
  alreadyReturned: ReadonlyMap<number, number>,
  kind: 'RETURN' | 'EXCHANGE',
): ReturnProblem[] {
  if (requested.length === 0) return [{ code: 'NO_LINES', message: 'Choose at least one line to return' }];

  const problems: ReturnProblem[] = [];
  const byLineNo = new Map(shipped.map((line) => [line.lineNo, line]));
  const seen = new Set<number>();
  for (const request of requested) {
    const { lineNo } = request;
    const line = byLineNo.get(lineNo);
    const label = line ? `Line ${lineNo} (${line.sku})` : `Line ${lineNo}`;
    // A repeated line would let its quantities add up past what was shipped; only the first is checked further.
    if (seen.has(lineNo)) {
      problems.push({ lineNo, code: 'DUPLICATE_LINE', message: `${label} is listed more than once` });
      continue;
    }
    seen.add(lineNo);
    if (!line) {
      problems.push({ lineNo, code: 'UNKNOWN_LINE', message: `${label} is not a shipped line of this order` });
      continue;
    }

    const returnable = Math.max(0, line.shipped - (alreadyReturned.get(lineNo) ?? 0));
    if (!Number.isInteger(request.quantity) || request.quantity < 1) {
      problems.push({
        lineNo,
        code: 'TOO_MANY',
        message: `${label}: quantity must be a whole number of at least 1 (returnable: ${returnable})`,
      });
    } else if (request.quantity > returnable) {
      problems.push({
        lineNo,
        code: 'TOO_MANY',
        message: `${label}: ${request.quantity} requested but only ${returnable} can be returned`,
      });
    }

    // A blank replacement (e.g. an empty form field) counts as none.
    const replacement = request.replacementSku?.trim();
    if (kind === 'EXCHANGE' && !replacement) {
      problems.push({ lineNo, code: 'NO_REPLACEMENT', message: `${label}: an exchange needs a replacement SKU` });
    } else if (kind === 'RETURN' && replacement) {
      problems.push({
        lineNo,
        code: 'UNEXPECTED_REPLACEMENT',
        message: `${label}: a return has no replacement (got ${replacement}); make it an exchange instead`,
      });
    }
  }
  return problems;
}

/** A line of a return as received back: for serialised goods, the serial number of each unit. */
export interface ReceivedReturnLine {
  lineNo: number;
  serials?: readonly string[];
}

/** A line a return was opened for. */
export interface ReturnedLine {
  lineNo: number;
  sku: string;
  quantity: number;
}

export interface ReceiptProblem {
  lineNo: number;
  code: 'UNKNOWN_LINE' | 'INVALID_CONTENT';
  message: string;
}

/**
 * One line of a return as received, against the lines the return was opened for: the returned line it is, or
 * what is wrong with it (a line the return does not have; serial numbers that are not one per returned unit of a
 * serialised SKU, or any for unserialised goods). A line that names no serials is not checked further here.
 */
export function checkReceivedLine(
  line: ReceivedReturnLine,
  returned: readonly ReturnedLine[],
  serialised: ReadonlySet<string>,
  returnNumber: string,
): { returned: ReturnedLine } | { problem: ReceiptProblem } {
  const { lineNo } = line;
  const expected = returned.find((l) => l.lineNo === lineNo);
  if (!expected) return { problem: { lineNo, code: 'UNKNOWN_LINE', message: `${returnNumber} has no line ${lineNo}` } };
  if (line.serials && (!serialised.has(expected.sku) || line.serials.length !== expected.quantity)) {
    return {
      problem: {
        lineNo,
        code: 'INVALID_CONTENT',
        message: `Line ${lineNo}: give one serial per returned ${expected.sku} (${expected.quantity}), or none for unserialised goods`,
      },
    };
  }
  return { returned: expected };
}

/**
 * Refund for returned lines at the price paid, in minor units. Call after `checkReturnLines` passes:
 * an unknown line is a programming error, not something to refund as zero.
 */
export function refundAmountMinor(
  requested: readonly { lineNo: number; quantity: number }[],
  shipped: readonly ShippedLine[],
): number {
  const byLineNo = new Map(shipped.map((line) => [line.lineNo, line]));
  return requested.reduce((sum, request) => {
    const line = byLineNo.get(request.lineNo);
    if (!line) throw new Error(`Line ${request.lineNo} is not a shipped line of this order`);
    return sum + request.quantity * line.unitPriceMinor;
  }, 0);
}

/** Open while less than windowMs has passed since delivery; exactly windowMs later it is closed. */
export function afterSalesWindowOpen(deliveredAt: Date, now: Date, windowMs: number): boolean {
  return now.getTime() - deliveredAt.getTime() < windowMs;
}

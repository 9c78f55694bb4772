/**
 * What staff and other workflows have asked of an order, as it arrives: the Update and signal handlers
 * write here, the flow waits on it. One typed place instead of loose variables.
 */
import type { ExceptionAction, ReceivedLineInput, ReturnState } from '../definitions';

export type ReviewDecision = { approved: true } | { approved: false; reason: string };
export type BackorderAction = { kind: 'SHIP_AVAILABLE' } | { kind: 'SUBSTITUTE'; lineNo: number; sku: string };

export interface StaffInbox {
  decision?: ReviewDecision;
  cancel?: { reason: string; customerRequest: boolean };
  /** From the backorder sweep: stock was reserved for this order. */
  backorderServed: boolean;
  backorderAction?: BackorderAction;
  /** Pickup shipments the customer has collected. */
  collected: Set<number>;
  exceptionDecisions: Map<number, ExceptionAction>;
  /** A return request accepted but not yet written: the after-sales window waits for it. */
  returnRequestInFlight: boolean;
  openReturn?: ReturnState;
  received?: { lines: ReceivedLineInput[]; locationId?: number; actor: string };
  refundRequested: boolean;
  /** An edit is being written: picks and cancellations wait for it (they are refused meanwhile). */
  editInFlight: boolean;
}

export function emptyInbox(): StaffInbox {
  return {
    backorderServed: false,
    collected: new Set(),
    exceptionDecisions: new Map(),
    returnRequestInFlight: false,
    refundRequested: false,
    editInFlight: false,
  };
}

/** Thrown inside the flow when a cancellation was accepted; caught once, where compensation runs. */
export class OrderCancelled extends Error {}

/**
 * Update validators' refusals: what the order is not waiting for is WRONG_STATE (the API answers 409),
 * what is wrong in itself is INVALID_CONTENT (422). Which action is allowed when is domain/staff-actions.ts.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { namedShipment } from '../../domain/picking';
import { orderActionRefusal, STAFF_ACTIONS, type OrderAction } from '../../domain/staff-actions';
import type { ReturnState, ShipmentState } from '../definitions';
import type { OrderRun } from './run';

export const wrongState = (message: string) => ApplicationFailure.nonRetryable(message, 'WRONG_STATE');

export const invalid = (message: string, details?: unknown) =>
  ApplicationFailure.create({ message, type: 'INVALID_CONTENT', nonRetryable: true, details: [details] });

/** Cancel has its own checks (cancellation.ts); every other order action is gated by status alone. */
type StatusGatedAction = Exclude<OrderAction, 'cancel'>;

/** An order action: allowed in the table's statuses, and never while a cancellation is being carried out. */
export function requireOrderAction(run: OrderRun, action: StatusGatedAction): void {
  const refusal = orderActionRefusal(action, run.orderNumber, run.state.status);
  if (refusal) throw wrongState(refusal);
  if (run.inbox.cancel) throw wrongState(`Order ${run.orderNumber} is being cancelled`);
}

/** The shipment a pick is for: the one named, or the only one waiting when none is named. */
export function shipmentToPick(run: OrderRun, seq: number | undefined): ShipmentState {
  const { phase, verb } = STAFF_ACTIONS.pick;
  const candidates = run.state.shipments.filter((s) => s.phase === phase);
  const shipment = namedShipment(candidates, seq);
  if (!shipment) {
    if (seq === undefined && candidates.length > 1)
      throw invalid(`Name the shipment to ${verb}: ${candidates.map((s) => s.seq).join(', ')}`);
    throw wrongState(`Order ${run.orderNumber} has no shipment ${seq ?? ''} waiting to ${verb}`.replace('  ', ' '));
  }
  return shipment;
}

/** Picks and cancellations are refused while an edit is being written (workflows/order/edits.ts). */
export function refuseWhileEditing(run: OrderRun): void {
  if (run.inbox.editInFlight) throw wrongState(`Order ${run.orderNumber} is being edited; try again in a moment`);
}

type ReturnAction = 'decideReturn' | 'receiveReturn' | 'refundReturn';

/** The open return an action is for, in the status the table names for it. */
export function returnAwaiting(run: OrderRun, returnNumber: string, action: ReturnAction, verb: string): ReturnState {
  const { openReturn } = run.inbox;
  if (!openReturn || openReturn.returnNumber !== returnNumber) throw wrongState(`${returnNumber} is not open`);
  if (openReturn.status !== STAFF_ACTIONS[action].returnStatus)
    throw wrongState(`${returnNumber} is ${openReturn.status}; cannot ${verb} it now`);
  return openReturn;
}

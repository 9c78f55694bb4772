/**
 * Which permission each staff action needs (the routes that carry them out check the same ones), so the actions
 * offered for an order (`GET /api/orders/:orderNumber/actions`) are only those the caller's role may take.
 */
import type { Role } from '../access/roles';
import type { AvailableAction, OrderActionView, StaffAction } from '../domain/staff-actions';
import { availableActions } from '../domain/staff-actions';
import type { OrderState } from '../workflows/definitions';
import { mayDo, type Permission } from './permissions';

export const STAFF_ACTION_PERMISSIONS = {
  approve: 'orders.review',
  reject: 'orders.review',
  cancel: 'orders.cancel',
  shipAvailable: 'orders.backorder',
  substitute: 'orders.backorder',
  requestReturn: 'returns.open',
  edit: 'orders.edit',
  pick: 'orders.pick',
  collect: 'orders.collect',
  resolveException: 'orders.resolve-exception',
  decideReturn: 'returns.decide',
  receiveReturn: 'returns.receive',
  refundReturn: 'returns.refund',
} as const satisfies Record<StaffAction, Permission>;

/** What staff can see of the workflow's live state, as the staff-action table reads it. */
export const actionViewOf = (state: OrderState): OrderActionView => ({
  status: state.status,
  cancelRequested: state.cancelRequested,
  shipments: state.shipments.map((s) => ({ seq: s.seq, phase: s.phase })),
  returns: state.returns.map((r) => ({ returnNumber: r.returnNumber, kind: r.kind, status: r.status })),
});

/** The actions to offer `role` on an order in this state. */
export const actionsFor = (role: Role, state: OrderState): AvailableAction[] =>
  availableActions(actionViewOf(state)).filter((a) => mayDo(role, STAFF_ACTION_PERMISSIONS[a.action]));

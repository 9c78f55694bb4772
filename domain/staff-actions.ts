/**
 * Which staff action is allowed when: the one table the order workflow's Update validators, the API's
 * refusals, the API documentation (docs/api.md) and the console's buttons all read.
 *
 * Order actions depend on the order's status. Shipment actions depend on one shipment's phase (a split order
 * can have one parcel ready for pickup while another is still being picked), return actions on one return's
 * status. Refusals that depend on what staff already asked (a decision already taken) stay in the workflow.
 */
import type { OrderStatus, ReturnStatus, ShipmentPhase } from './order-status';

type OrderRule = { appliesTo: 'order'; statuses: readonly OrderStatus[]; verb: string };
type ShipmentRule = { appliesTo: 'shipment'; phase: ShipmentPhase; verb: string };
type ReturnRule = { appliesTo: 'return'; returnStatus: ReturnStatus; verb: string; exchangeToo: boolean };
export type StaffActionRule = OrderRule | ShipmentRule | ReturnRule;

/** The statuses in which nothing has left the building yet, so cancelling still undoes everything. */
export const CANCELLABLE_STATUSES = [
  'RECEIVED',
  'IN_REVIEW',
  'ALLOCATING',
  'BACKORDERED',
  'PICKING',
  'READY_FOR_PICKUP',
] as const satisfies readonly OrderStatus[];

/** The statuses in which an order may still be edited, until a parcel of it is picked (domain/order-edits.ts). */
export const EDITABLE_STATUSES = [
  'RECEIVED',
  'IN_REVIEW',
  'ALLOCATING',
  'BACKORDERED',
  'PICKING',
] as const satisfies readonly OrderStatus[];

export const STAFF_ACTIONS = {
  approve: { appliesTo: 'order', statuses: ['IN_REVIEW'], verb: 'approve' },
  reject: { appliesTo: 'order', statuses: ['IN_REVIEW'], verb: 'reject' },
  cancel: { appliesTo: 'order', statuses: CANCELLABLE_STATUSES, verb: 'cancel' },
  shipAvailable: { appliesTo: 'order', statuses: ['BACKORDERED'], verb: 'ship what is available of' },
  substitute: { appliesTo: 'order', statuses: ['BACKORDERED'], verb: 'substitute a SKU on' },
  requestReturn: { appliesTo: 'order', statuses: ['DELIVERED'], verb: 'open a return or exchange on' },
  edit: { appliesTo: 'order', statuses: EDITABLE_STATUSES, verb: 'edit' },
  pick: { appliesTo: 'shipment', phase: 'PICKING', verb: 'pick' },
  collect: { appliesTo: 'shipment', phase: 'READY_FOR_PICKUP', verb: 'collect' },
  resolveException: { appliesTo: 'shipment', phase: 'EXCEPTION', verb: 'resolve the delivery exception of' },
  decideReturn: { appliesTo: 'return', returnStatus: 'REQUESTED', verb: 'approve or reject', exchangeToo: true },
  receiveReturn: { appliesTo: 'return', returnStatus: 'APPROVED', verb: 'receive', exchangeToo: true },
  refundReturn: { appliesTo: 'return', returnStatus: 'RECEIVED', verb: 'refund', exchangeToo: false },
} as const satisfies Record<string, StaffActionRule>;

export type StaffAction = keyof typeof STAFF_ACTIONS;
export const STAFF_ACTION_NAMES = Object.keys(STAFF_ACTIONS) as StaffAction[];
export type OrderAction = {
  [A in StaffAction]: (typeof STAFF_ACTIONS)[A]['appliesTo'] extends 'order' ? A : never;
}[StaffAction];

/** Why an order action is refused in this status, or undefined when it is allowed. */
export function orderActionRefusal(action: OrderAction, orderNumber: string, status: OrderStatus): string | undefined {
  const rule: OrderRule = STAFF_ACTIONS[action];
  if (rule.statuses.includes(status)) return undefined;
  if (action === 'cancel') {
    return `Order ${orderNumber} is ${status}; after shipping, open a return once it is delivered instead`;
  }
  return `Order ${orderNumber} is ${status}; cannot ${rule.verb} it now`;
}

/** Whether any parcel of the order has left (picked and beyond): cancelling no longer undoes the whole order. */
export function anyShipmentOnItsWay(shipments: readonly { phase: ShipmentPhase }[]): boolean {
  return shipments.some((s) => s.phase !== 'PICKING' && s.phase !== 'READY_FOR_PICKUP');
}

/** What staff can see of an order: enough to tell which actions to offer. */
export interface OrderActionView {
  status: OrderStatus;
  cancelRequested?: boolean;
  shipments: { seq: number; phase: ShipmentPhase }[];
  returns: { returnNumber: string; kind: 'RETURN' | 'EXCHANGE'; status: ReturnStatus }[];
}

/** One action staff may take now, and on what (a shipment's seq or a return's number). */
export type AvailableAction =
  | { action: StaffAction }
  | { action: StaffAction; shipmentSeq: number }
  | { action: StaffAction; returnNumber: string };

/**
 * The actions to offer for an order as it stands. A workflow may still refuse one (a decision already being
 * carried out, a shipment partly on its way for a cancel); the table never offers what it would refuse anyway.
 */
export function availableActions(view: OrderActionView): AvailableAction[] {
  if (view.cancelRequested) return [];
  const offered: AvailableAction[] = [];
  for (const action of STAFF_ACTION_NAMES) {
    const rule: StaffActionRule = STAFF_ACTIONS[action];
    if (rule.appliesTo === 'order') {
      if (rule.statuses.includes(view.status)) offered.push({ action });
    } else if (rule.appliesTo === 'shipment') {
      for (const s of view.shipments) if (s.phase === rule.phase) offered.push({ action, shipmentSeq: s.seq });
    } else {
      for (const r of view.returns) {
        if (r.status === rule.returnStatus && (rule.exchangeToo || r.kind === 'RETURN')) {
          offered.push({ action, returnNumber: r.returnNumber });
        }
      }
    }
  }
  // Cancelling undoes a whole order: not once any parcel of it has left. An edit: not once any is picked.
  const onItsWay = anyShipmentOnItsWay(view.shipments);
  const picked = view.shipments.some((s) => s.phase !== 'PICKING');
  return offered.filter((a) => !(onItsWay && a.action === 'cancel') && !(picked && a.action === 'edit'));
}

/** The table as markdown, for docs/api.md (a unit test keeps the two the same). */
export function staffActionsMarkdown(): string {
  const rows = STAFF_ACTION_NAMES.map((action) => {
    const rule: StaffActionRule = STAFF_ACTIONS[action];
    const when =
      rule.appliesTo === 'order'
        ? `order ${rule.statuses.map((s) => `\`${s}\``).join(', ')}`
        : rule.appliesTo === 'shipment'
          ? `a shipment \`${rule.phase}\``
          : `a ${rule.exchangeToo ? 'return or exchange' : 'return (not an exchange)'} \`${rule.returnStatus}\``;
    return `| \`${action}\` | ${when} |`;
  });
  return ['| action | allowed when |', '|---|---|', ...rows].join('\n');
}

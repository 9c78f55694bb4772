/**
 * The order workflow's contract, shared by the workflow, the worker and the API:
 * input, search attributes, signals, updates and queries. Defined once here.
 */
import { defineSearchAttributeKey, SearchAttributeType, type UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderStatus, ShipmentPhase, WaitingStage } from '../domain/order-status';
import type {
  ReceivedLineInput,
  ReturnLineRequest as ReturnLineInput,
  ReturnReason,
  ReturnState,
} from '../domain/after-sales';
import type { ExceptionAction, ShipmentPlan } from '../domain/shipment';
import type { OrderEdit } from '../domain/order-edit-input';

export const ORDER_WORKFLOW_TYPE = 'orderWorkflow';

export const OrderStatusAttribute = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const OrderChannelAttribute = defineSearchAttributeKey('OrderChannel', SearchAttributeType.KEYWORD);
export const HasWarningAttribute = defineSearchAttributeKey('HasWarning', SearchAttributeType.BOOL);
export const DelayedStageAttribute = defineSearchAttributeKey('DelayedStage', SearchAttributeType.KEYWORD);
export const TransferStatusAttribute = defineSearchAttributeKey('TransferStatus', SearchAttributeType.KEYWORD);

/** `--search-attribute` flags for the embedded dev server; the same list the docker-compose admin job registers. */
export const CUSTOM_SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'Bool'> = {
  OrderStatus: 'Keyword',
  OrderChannel: 'Keyword',
  HasWarning: 'Bool',
  DelayedStage: 'Keyword',
  TransferStatus: 'Keyword',
};

/** Workflow input: only the order number; personal data stays in the database, out of the history. */
export interface OrderWorkflowInput extends IssuedStart {
  orderNumber: string;
  afterSalesWindowMs: number;
  slaMs: Record<WaitingStage, number>;
}

// The shapes the contract carries live in domain/, so activities and the API need not import the workflow folder.
export type { ExceptionAction, PickLine, ShipmentOutcome, ShipmentPlan, ShipmentPurpose } from '../domain/shipment';
export type { ReceivedLineInput, ReturnLineInput, ReturnState };
export type { ShipmentPhase, ReturnStatus } from '../domain/order-status';

export interface ShipmentState extends ShipmentPlan {
  phase: ShipmentPhase;
  trackingNumber?: string;
  exception?: string;
  serials?: Record<string, string[]>;
}

export interface OrderState {
  orderNumber: string;
  status: OrderStatus;
  reviewReasons: { code: string; message: string }[];
  /** The first shipment's tracking number (kept for clients of the first version). */
  trackingNumber?: string;
  shipments: ShipmentState[];
  openWarnings: WaitingStage[];
  /** Units shipped per order line: what a return may take back. */
  shippedByLine: Record<number, number>;
  returns: ReturnState[];
  cancelRequested?: boolean;
}

export interface StaffActor {
  keyId: number;
  name: string;
}

/** What a start names of where it came from (lib/temporal.ts and the parent add it; workflows/sealed.ts checks it). */
export interface IssuedStart {
  /** When it was issued, epoch ms. */
  issuedAt?: number;
  /** The workflow id it was issued for. */
  issuedFor?: string;
  /** Issued by a parent workflow (a shipment by its order): a run without a parent is not this start. */
  issuedByParent?: boolean;
}

/** Which workflow a signal was sent to (the API and the child workflows add it; workflows/sealed.ts checks it). */
export interface SignalSeal {
  workflowId: string;
}

/**
 * Which workflow, Update and update id an Update's argument was made for (added by lib/temporal.ts, checked by
 * workflows/sealed.ts): a copy of it sent anywhere else is refused.
 */
export interface ActionSeal {
  workflowId: string;
  update: string;
  updateId: string;
}

export interface CarrierEvent {
  eventId: string;
  trackingNumber: string;
  status: 'IN_TRANSIT' | 'OUT_FOR_DELIVERY' | 'DELIVERED' | 'EXCEPTION';
  occurredAt: string;
  /** For EXCEPTION: LOST, REFUSED, DAMAGED… */
  detail?: string;
  seal?: SignalSeal;
}

/** One scanned unit: its barcode, and for serialised goods its serial number. */
export interface Scan {
  barcode: string;
  serial?: string;
}

interface Staff {
  actor: StaffActor;
  seal: ActionSeal;
}

/** The one argument an Update's handler and validator receive (the SDK types a validator's argument as any). */
export type UpdateInput<D> = D extends UpdateDefinition<infer _Ret, [infer A]> ? A : never;

export const getOrderState = defineQuery<OrderState>('getOrderState');
export const approveOrder = defineUpdate<OrderState, [Staff & { note?: string }]>('approve');
export const rejectOrder = defineUpdate<OrderState, [Staff & { reason: string }]>('reject');
export const cancelOrder = defineUpdate<OrderState, [Staff & { reason: string; customerRequest: boolean }]>('cancel');
export const confirmPicked = defineUpdate<OrderState, [Staff & { shipmentSeq?: number; scans?: Scan[] }]>('pick');
export const shipAvailable = defineUpdate<OrderState, [Staff & { note?: string }]>('shipAvailable');
export const substituteSku = defineUpdate<OrderState, [Staff & { lineNo: number; sku: string; note?: string }]>(
  'substitute',
);
export const confirmCollected = defineUpdate<OrderState, [Staff]>('collect');
export const resolveException = defineUpdate<
  OrderState,
  [Staff & { shipmentSeq: number; action: ExceptionAction; note?: string }]
>('resolveException');
export const requestReturn = defineUpdate<
  { returnNumber: string },
  [
    Staff & {
      kind: 'RETURN' | 'EXCHANGE';
      reason: ReturnReason;
      note?: string;
      source: 'customer' | 'staff';
      lines: ReturnLineInput[];
    },
  ]
>('requestReturn');
export const decideReturn = defineUpdate<
  OrderState,
  [Staff & { returnNumber: string; approve: boolean; note?: string }]
>('decideReturn');
export const receiveReturn = defineUpdate<
  OrderState,
  [Staff & { returnNumber: string; lines: ReceivedLineInput[]; locationId?: number }]
>('receiveReturn');
export const refundReturn = defineUpdate<OrderState, [Staff & { returnNumber: string }]>('refundReturn');
/** Staff's (or the customer's) change of address, contact, note or lines (domain/order-edits.ts). */
export const editOrder = defineUpdate<OrderState, [Staff & { edit: OrderEdit }]>('editOrder');

/** Tracking events go to the order's v1 workflow, or to the shipment's own child workflow. */
export const carrierEventSignal = defineSignal<[CarrierEvent]>('carrierEvent');
/** From the backorder sweep: stock for this order has been reserved, first come first served. */
export const backorderServedSignal = defineSignal('backorderServed');
/** From a shipment's child workflow: the carrier has it (booked, stock off the shelf). */
export const shipmentBookedSignal =
  defineSignal<[{ seq: number; trackingNumber: string; seal?: SignalSeal }]>('shipmentBooked');

export const shipmentWorkflowId = (orderNumber: string, seq: number) => `order-${orderNumber}-shipment-${seq}`;

export interface ShipmentWorkflowInput extends IssuedStart {
  orderNumber: string;
  seq: number;
  purpose: ShipmentPlan['purpose'];
}

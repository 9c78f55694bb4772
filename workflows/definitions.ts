/**
 * The order workflow's contract, shared by the workflow, the worker and the API:
 * input, search attributes, signals, updates and queries. Defined once here.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderStatus, WaitingStage } from '../domain/order-status';

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
export interface OrderWorkflowInput {
  orderNumber: string;
  afterSalesWindowMs: number;
  slaMs: Record<WaitingStage, number>;
}

export interface OrderState {
  orderNumber: string;
  status: OrderStatus;
  reviewReasons: { code: string; message: string }[];
  trackingNumber?: string;
  openWarnings: WaitingStage[];
}

export interface StaffActor {
  keyId: number;
  name: string;
}

export interface CarrierEvent {
  eventId: string;
  trackingNumber: string;
  status: 'IN_TRANSIT' | 'OUT_FOR_DELIVERY' | 'DELIVERED' | 'EXCEPTION';
  occurredAt: string;
}

export const getOrderState = defineQuery<OrderState>('getOrderState');
export const approveOrder = defineUpdate<OrderState, [{ actor: StaffActor; note?: string }]>('approve');
export const rejectOrder = defineUpdate<OrderState, [{ actor: StaffActor; reason: string }]>('reject');
export const confirmPicked = defineUpdate<OrderState, [{ actor: StaffActor }]>('pick');
export const carrierEventSignal = defineSignal<[CarrierEvent]>('carrierEvent');

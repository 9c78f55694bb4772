/**
 * FROZEN: the first version of the order workflow (walking skeleton), kept only so orders started
 * before the full lifecycle finish on the code they started with (`orderWorkflow` runs it when the
 * history has no `order-lifecycle-v2` patch marker). Never change its commands: the recorded
 * history test/replay/histories/v1-*.json replays against it.
 */
import {
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { RETRY_UNTIL_DONE } from './activity-options';
import type { OrderActivities } from '../activities';
import type { OrderStatus, WaitingStage } from '../domain/order-status';
import {
  approveOrder,
  carrierEventSignal,
  confirmPicked,
  DelayedStageAttribute,
  getOrderState,
  HasWarningAttribute,
  OrderStatusAttribute,
  rejectOrder,
  type OrderWorkflowInput,
} from './definitions';

interface OrderState {
  orderNumber: string;
  status: OrderStatus;
  reviewReasons: { code: string; message: string }[];
  trackingNumber?: string;
  openWarnings: WaitingStage[];
}

const activities = proxyActivities<OrderActivities>(RETRY_UNTIL_DONE);

/** How long a backordered order waits before trying to allocate again. */
const BACKORDER_RETRY_INTERVAL = '1 minute';

export async function legacyOrderFlow(input: OrderWorkflowInput): Promise<OrderState> {
  const { orderNumber } = input;
  const state: OrderState = { orderNumber, status: 'RECEIVED', reviewReasons: [], openWarnings: [] };
  let decision: { approved: true } | { approved: false; reason: string } | undefined;
  let picked = false;
  /** Tracking numbers reported delivered; an event may arrive before the booking's result is recorded here. */
  const deliveredParcels = new Set<string>();

  /** Update validator: refuses a staff action the order is not waiting for (the API answers 409). */
  function requireStatus(status: OrderStatus, action: string, notYetDone: boolean): void {
    if (state.status !== status) {
      throw ApplicationFailure.nonRetryable(
        `Order ${orderNumber} is ${state.status}; cannot ${action} it now`,
        'WRONG_STATE',
      );
    }
    if (!notYetDone) {
      throw ApplicationFailure.nonRetryable(`Order ${orderNumber}: already asked to ${action} it`, 'WRONG_STATE');
    }
  }

  setHandler(getOrderState, () => state as never);
  setHandler(
    approveOrder,
    (_action) => {
      decision = { approved: true };
      return state as never;
    },
    { validator: (_action) => requireStatus('IN_REVIEW', 'approve', decision === undefined) },
  );
  setHandler(
    rejectOrder,
    ({ reason }) => {
      decision = { approved: false, reason };
      return state as never;
    },
    { validator: (_action) => requireStatus('IN_REVIEW', 'reject', decision === undefined) },
  );
  setHandler(
    confirmPicked,
    (_action) => {
      picked = true;
      return state as never;
    },
    { validator: (_action) => requireStatus('PICKING', 'confirm picking of', !picked) },
  );
  setHandler(carrierEventSignal, (event) => {
    if (event.status === 'DELIVERED') deliveredParcels.add(event.trackingNumber);
  });

  async function moveTo(status: OrderStatus): Promise<void> {
    state.status = status;
    upsertSearchAttributes([{ key: OrderStatusAttribute, value: status }]);
    await activities.recordOrderStatus(orderNumber, status);
  }

  /** Waits until `done`; when the stage's SLA passes first, flags the order as delayed and keeps waiting. */
  async function waitInStage(stage: WaitingStage, done: () => boolean): Promise<void> {
    if (await condition(done, input.slaMs[stage])) return;
    state.openWarnings.push(stage);
    upsertSearchAttributes([
      { key: HasWarningAttribute, value: true },
      { key: DelayedStageAttribute, value: stage },
    ]);
    await condition(done);
    state.openWarnings = state.openWarnings.filter((s) => s !== stage);
    upsertSearchAttributes([
      { key: HasWarningAttribute, value: state.openWarnings.length > 0 },
      { key: DelayedStageAttribute, value: state.openWarnings.at(-1) ?? null },
    ]);
  }

  /**
   * Customer emails go out alongside the flow, never in its way: an SMTP outage delays the email,
   * not the order. The workflow waits for every email before it closes.
   */
  const emails: Promise<void>[] = [];
  const notify = (...args: Parameters<OrderActivities['sendOrderEmail']>) => {
    emails.push(activities.sendOrderEmail(...args));
  };
  async function close(): Promise<OrderState> {
    await Promise.all(emails);
    return state;
  }

  // RECEIVED: the API stored the order; confirm it to the customer.
  notify(orderNumber, 'received');

  // IN_REVIEW: automatic checks; a flagged order waits for staff.
  await moveTo('IN_REVIEW');
  state.reviewReasons = await activities.reviewOrder(orderNumber);
  if (state.reviewReasons.length > 0) {
    await waitInStage('REVIEW', () => decision !== undefined);
    if (decision && !decision.approved) {
      await moveTo('REJECTED');
      notify(orderNumber, 'rejected', { reason: decision.reason });
      return close();
    }
  }

  // ALLOCATING → BACKORDERED until stock can be reserved.
  await moveTo('ALLOCATING');
  while (!(await activities.reserveStock(orderNumber))) {
    if (state.status !== 'BACKORDERED') await moveTo('BACKORDERED');
    await sleep(BACKORDER_RETRY_INTERVAL);
  }

  // PICKING: staff confirm the goods are picked.
  await moveTo('PICKING');
  await waitInStage('PICKING', () => picked);

  // SHIPPED: book the carrier, take the goods off the shelf, tell the customer.
  state.trackingNumber = await activities.bookShipment(orderNumber);
  await activities.shipReservedStock(orderNumber);
  await moveTo('SHIPPED');
  notify(orderNumber, 'shipped');
  await waitInStage('DELIVERY', () => deliveredParcels.has(state.trackingNumber!));

  // DELIVERED: the after-sales window runs, then the order closes.
  await activities.recordDelivery(orderNumber);
  await moveTo('DELIVERED');
  notify(orderNumber, 'delivered');
  await sleep(input.afterSalesWindowMs);
  await moveTo('COMPLETED');
  return close();
}

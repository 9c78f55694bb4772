/**
 * One durable workflow per order (id `order-<orderNumber>`): review → allocation (or backorder) →
 * picking per shipment → carrier (a child workflow per shipment) or store pickup → delivery →
 * after-sales window with returns and exchanges → COMPLETED; cancellation with compensation
 * before anything ships. Pure orchestration: side effects are activities, rules are plain functions.
 *
 * This file is the version switch and the main flow; each stage is its own module in this folder.
 */
import { patched, setHandler } from '@temporalio/workflow';
import { getOrderState, type OrderState, type OrderWorkflowInput } from '../definitions';
import { legacyOrderFlow } from '../order-v1';
import { afterSalesWindow } from './after-sales';
import { allocateOrBackorder, handleBackorderDecisions, handleBackorderServed } from './allocation';
import { compensate, handleCancellation } from './cancellation';
import { fulfil, handleShipmentActions } from './fulfilment';
import { handleOrderEdits } from './edits';
import { OrderCancelled } from './inbox';
import { handleReturnRequests } from './return-requests';
import { handleReviewDecisions, review } from './review';
import { startOrderRun, type OrderRun } from './run';

/** Orders started before the full lifecycle carry no marker and finish on the first version's code. */
export const LIFECYCLE_PATCH = 'order-lifecycle-v2';

/** Orders delivered before tiers and points existed carry no marker and earn none (domain/loyalty.ts). */
export const LOYALTY_PATCH = 'loyalty-settlement';

export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderState> {
  if (!patched(LIFECYCLE_PATCH)) return (await legacyOrderFlow(input)) as unknown as OrderState;
  return orderLifecycle(input);
}

async function orderLifecycle(input: OrderWorkflowInput): Promise<OrderState> {
  const run = startOrderRun(input);
  // Every handler is set before the first await, so no Update or signal waits for one.
  setHandler(getOrderState, () => run.state);
  handleReviewDecisions(run);
  handleCancellation(run);
  handleShipmentActions(run);
  handleBackorderDecisions(run);
  handleReturnRequests(run);
  handleBackorderServed(run);
  handleOrderEdits(run);

  try {
    run.side.notify('received');
    if (!(await review(run))) return await run.side.close();
    const shipments = await allocateOrBackorder(run);
    run.fulfilling = true;
    await Promise.all(shipments.map((shipment) => fulfil(run, shipment)));
    run.fulfilling = false;
  } catch (err) {
    if (!(err instanceof OrderCancelled)) throw err;
    return await compensate(run);
  }
  return await afterDelivery(run);
}

async function afterDelivery(run: OrderRun): Promise<OrderState> {
  const { state, side, orderNumber } = run;
  if (!state.shipments.some((s) => s.phase === 'DELIVERED')) {
    // Every parcel was lost or came back and was refunded: nothing reached the customer.
    await run.dbSteps.recordClosedReason({ orderNumber, reason: 'Not delivered; refunded' });
    await side.moveTo('CANCELLED');
    return await side.close();
  }
  await side.moveTo('DELIVERED');
  const loyalty = patched(LOYALTY_PATCH);
  if (loyalty) await run.dbSteps.settleLoyalty({ orderNumber, stage: 'DELIVERED' });
  side.notify('delivered');
  await afterSalesWindow(run);
  await side.moveTo('COMPLETED');
  if (loyalty) await run.dbSteps.settleLoyalty({ orderNumber, stage: 'COMPLETED' });
  return await side.close();
}

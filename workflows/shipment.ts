/**
 * One carrier shipment of an order (id `order-<orderNumber>-shipment-<seq>`), a child of the order
 * workflow: books the carrier, takes the goods off the shelf, tells the order, then follows the
 * tracking events (signed webhooks, signalled here) until delivery or an exception.
 */
import { condition, getExternalWorkflowHandle, proxyActivities, setHandler } from '@temporalio/workflow';
import { RETRY_UNTIL_DONE } from './activity-options';
import { databaseSteps } from './database-steps';
import type { OrderActivities } from '../activities';
import { orderWorkflowId } from '../domain/order-number';
import { bookingActivitySummary } from '../domain/run-summaries';
import {
  carrierEventSignal,
  shipmentBookedSignal,
  type CarrierEvent,
  type ShipmentOutcome,
  type ShipmentWorkflowInput,
} from './definitions';

const activities = proxyActivities<OrderActivities>(RETRY_UNTIL_DONE);

export async function shipmentWorkflow({ orderNumber, seq, purpose }: ShipmentWorkflowInput): Promise<ShipmentOutcome> {
  const dbSteps = databaseSteps();
  // Events may arrive before the booking's result is recorded here: keep them all, match them after.
  const events: CarrierEvent[] = [];
  setHandler(carrierEventSignal, (event) => void events.push(event));

  const trackingNumber = await activities.bookShipment.executeWithOptions(
    { summary: bookingActivitySummary(seq, purpose) },
    [orderNumber, seq, purpose],
  );
  await dbSteps.shipStock({ orderNumber, seq });
  const order = orderWorkflowId(orderNumber);
  await getExternalWorkflowHandle(order).signal(shipmentBookedSignal, {
    seq,
    trackingNumber,
    seal: { workflowId: order },
  });

  const final = () =>
    events.find((e) => e.trackingNumber === trackingNumber && (e.status === 'DELIVERED' || e.status === 'EXCEPTION'));
  await condition(() => final() !== undefined);
  const event = final()!;
  const outcome: ShipmentOutcome =
    event.status === 'DELIVERED' ? { status: 'DELIVERED' } : { status: 'EXCEPTION', detail: event.detail ?? 'UNKNOWN' };
  await dbSteps.recordShipmentOutcome({ orderNumber, seq, outcome });
  return outcome;
}

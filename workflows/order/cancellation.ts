/** Cancellation: accepted until any part of the order has left; compensation undoes stock, money, the customer. */
import { setHandler } from '@temporalio/workflow';
import { refundActivitySummary } from '../../domain/run-summaries';
import { anyShipmentOnItsWay, orderActionRefusal } from '../../domain/staff-actions';
import { cancelOrder, type OrderState } from '../definitions';
import { refuseWhileEditing, wrongState } from './guards';
import type { OrderRun } from './run';
import { activities } from './side-work';

export function handleCancellation(run: OrderRun): void {
  const { state, inbox, side, orderNumber } = run;
  setHandler(
    cancelOrder,
    ({ actor, reason, customerRequest }) => {
      inbox.cancel = { reason, customerRequest };
      state.cancelRequested = true;
      side.audit(actor, customerRequest ? 'cancel (customer request)' : 'cancel', reason);
      return state;
    },
    {
      validator: (_input) => {
        const refusal = orderActionRefusal('cancel', orderNumber, state.status);
        if (refusal) throw wrongState(refusal);
        if (inbox.cancel) throw wrongState(`Order ${orderNumber} is already being cancelled`);
        refuseWhileEditing(run);
        if (anyShipmentOnItsWay(state.shipments)) {
          throw wrongState(`Part of order ${orderNumber} is already on its way; it can no longer be cancelled`);
        }
      },
    },
  );
}

/** The status first (the backorder sweep reserves only for BACKORDERED orders), then stock, money, the customer. */
export async function compensate(run: OrderRun): Promise<OrderState> {
  const { side, orderNumber } = run;
  const { reason } = run.inbox.cancel!;
  await side.moveTo('CANCELLED');
  await run.dbSteps.releaseOrderStock(orderNumber);
  const refundMinor = await activities.refundOrder.executeWithOptions(
    { summary: refundActivitySummary('the cancelled order') },
    [{ orderNumber, key: 'cancel', reason }],
  );
  side.notify('cancelled', { reason, amountMinor: refundMinor || undefined });
  return await side.close();
}

/** After-sales: while the window is open, one return or exchange at a time; then the order is COMPLETED. */
import { condition } from '@temporalio/workflow';
import { afterSalesTimerSummary, refundActivitySummary } from '../../domain/run-summaries';
import type { ReturnState } from '../definitions';
import { allocateMore } from './allocation';
import { fulfil } from './fulfilment';
import type { OrderRun } from './run';
import { activities } from './side-work';

export async function afterSalesWindow(run: OrderRun): Promise<void> {
  const { inbox, side } = run;
  const windowEnds = Date.now() + run.input.afterSalesWindowMs;
  for (;;) {
    const remaining = windowEnds - Date.now();
    if (remaining <= 0 && !inbox.returnRequestInFlight) break;
    const wait = Math.max(remaining, 1);
    await condition(() => inbox.openReturn !== undefined, wait, { summary: afterSalesTimerSummary(wait) });
    if (!inbox.openReturn && inbox.returnRequestInFlight) await condition(() => inbox.openReturn !== undefined);
    if (!inbox.openReturn) break;
    await side.moveTo('AFTER_SALES');
    await handleReturn(run, inbox.openReturn);
    inbox.openReturn = undefined;
    inbox.refundRequested = false;
    inbox.received = undefined;
    if (windowEnds - Date.now() > 0) await side.moveTo('DELIVERED');
  }
}

async function handleReturn(run: OrderRun, request: ReturnState): Promise<void> {
  const { inbox, side, dbSteps, orderNumber } = run;
  const { returnNumber } = request;
  await side.waitInStage('RETURN', () => request.status !== 'REQUESTED', returnNumber);
  if (request.status === 'REJECTED') {
    side.notify('return_rejected', { ref: returnNumber, returnNumber });
    return;
  }
  side.notify('return_accepted', { ref: returnNumber, returnNumber });
  await side.waitInStage('RETURN', () => request.status === 'RECEIVED', returnNumber);
  await dbSteps.receiveReturnedGoods({ orderNumber, returnNumber, ...inbox.received! });
  if (request.kind === 'RETURN') {
    await side.waitInStage('RETURN', () => inbox.refundRequested, returnNumber);
    const amountMinor = await activities.refundReturn.executeWithOptions(
      { summary: refundActivitySummary(`return ${returnNumber}`) },
      [{ orderNumber, returnNumber }],
    );
    request.status = 'REFUNDED';
    side.notify('refund_issued', { ref: returnNumber, returnNumber, amountMinor });
  } else {
    const replacements = await allocateMore(run, {
      purpose: 'EXCHANGE',
      lines: request.lines.map((l) => ({ lineNo: l.lineNo, sku: l.replacementSku!, quantity: l.quantity })),
    });
    await Promise.all(replacements.map((shipment) => fulfil(run, shipment)));
    request.status = 'EXCHANGED';
    await dbSteps.recordReturnStatus({ returnNumber, status: 'EXCHANGED' });
  }
}

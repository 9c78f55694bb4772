/** Review: the rules' verdict on the order; a flagged order waits for staff to approve or reject it. */
import { setHandler } from '@temporalio/workflow';
import { approveOrder, rejectOrder } from '../definitions';
import { requireOrderAction, wrongState } from './guards';
import { cancelled, checkCancelled, type OrderRun } from './run';

export function handleReviewDecisions(run: OrderRun): void {
  const { state, inbox, side } = run;
  const awaitsDecision = () => {
    if (inbox.decision || state.reviewReasons.length === 0)
      throw wrongState(`Order ${run.orderNumber} awaits no decision`);
  };
  setHandler(
    approveOrder,
    ({ actor, note }) => {
      inbox.decision = { approved: true };
      side.audit(actor, 'approve', note);
      return state;
    },
    {
      validator: (_input) => {
        requireOrderAction(run, 'approve');
        awaitsDecision();
      },
    },
  );
  setHandler(
    rejectOrder,
    ({ actor, reason }) => {
      inbox.decision = { approved: false, reason };
      side.audit(actor, 'reject', reason);
      return state;
    },
    {
      validator: (_input) => {
        requireOrderAction(run, 'reject');
        awaitsDecision();
      },
    },
  );
}

/** Reviews the order; false when staff rejected it (the order is then REJECTED and the customer told). */
export async function review(run: OrderRun): Promise<boolean> {
  const { state, inbox, side } = run;
  await side.moveTo('IN_REVIEW');
  const verdict = await run.dbSteps.reviewOrderLines(run.orderNumber);
  state.reviewReasons = verdict.reasons;
  for (const line of verdict.lines) run.lineSkus.set(line.lineNo, line.sku);
  checkCancelled(run);
  if (state.reviewReasons.length === 0) return true;

  side.notify('needs_attention');
  await side.waitInStage('REVIEW', () => inbox.decision !== undefined || cancelled(run));
  checkCancelled(run);
  if (inbox.decision && !inbox.decision.approved) {
    await side.moveTo('REJECTED');
    side.notify('rejected', { reason: inbox.decision.reason });
    return false;
  }
  return true;
}

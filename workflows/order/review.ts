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
  // Review reads the order while no edit is being written (an edit takes its turn, and re-reviews, after).
  const clean = await run.exclusive(async () => {
    const verdict = await run.dbSteps.reviewOrderLines(run.orderNumber);
    state.reviewReasons = verdict.reasons;
    for (const line of verdict.lines) run.lineSkus.set(line.lineNo, line.sku);
    return decideIfSettled(run);
  });
  checkCancelled(run);
  if (clean) return true;

  side.notify('needs_attention');
  // Settled by staff's decision, or by an edit whose new verdict has no reasons left (workflows/order/edits.ts).
  const settled = () => inbox.decision !== undefined || cancelled(run) || state.reviewReasons.length === 0;
  // An edit in flight finishes first; the one after it may have brought new reasons, and the order waits again.
  do {
    await side.waitInStage('REVIEW', settled);
  } while (!(await run.exclusive(() => Promise.resolve(decideIfSettled(run)))));
  checkCancelled(run);
  if (inbox.decision && !inbox.decision.approved) {
    await side.moveTo('REJECTED');
    side.notify('rejected', { reason: inbox.decision.reason });
    return false;
  }
  return true;
}

/** True, and the lines fixed from now on, once nothing is left for review to wait for. */
function decideIfSettled(run: OrderRun): boolean {
  const { inbox, state } = run;
  if (inbox.decision === undefined && !cancelled(run) && state.reviewReasons.length > 0) return false;
  run.reviewDecided = true;
  return true;
}

/**
 * Staff's edits of an order (and the customer's address change from the tracking page): the rules of what may change
 * when are domain/order-edits.ts, the writing is activities/order-edits.ts. Edits take turns with each other and with
 * review's reading of the order (run.exclusive); while one is written, picks and cancellations are refused (409).
 */
import { setHandler } from '@temporalio/workflow';
import { editRefusal, type OrderEdit } from '../../domain/order-edits';
import { editOrder, type UpdateInput } from '../definitions';
import { invalid, wrongState } from './guards';
import type { OrderRun } from './run';
import { activities } from './side-work';

export function handleOrderEdits(run: OrderRun): void {
  const { state, inbox, orderNumber } = run;
  const refuseNow = (edit: OrderEdit) => {
    const refusal = editRefusal(
      edit,
      {
        status: state.status,
        shipments: state.shipments,
        reviewDecided: run.reviewDecided,
        cancelRequested: inbox.cancel !== undefined,
      },
      orderNumber,
    );
    if (refusal) throw wrongState(refusal);
  };
  setHandler(
    editOrder,
    ({ actor, edit, seal }) =>
      run.exclusive(async () => {
        // Again: the order may have moved on while an earlier edit or review had its turn.
        refuseNow(edit);
        inbox.editInFlight = true;
        try {
          const outcome = await activities.applyOrderEdit({
            orderNumber,
            key: seal.updateId,
            actor: actor.name,
            at: new Date(Date.now()).toISOString(),
            edit,
            reviewDecided: run.reviewDecided,
          });
          if (!outcome.applied) throw invalid(outcome.refusal);
          // Waiting for a decision: the new verdict stands, and with no reasons left the order goes on.
          if (outcome.reviewedAgain && !run.reviewDecided) state.reviewReasons = outcome.reasons;
          return state;
        } finally {
          inbox.editInFlight = false;
        }
      }),
    { validator: ({ edit }: UpdateInput<typeof editOrder>) => refuseNow(edit) },
  );
}

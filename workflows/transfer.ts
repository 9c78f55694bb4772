/**
 * A stock transfer between two locations (id `transfer-<transferNumber>`): requested (the API has
 * reserved the stock at the source) → shipped (in transit) → received, possibly short → done.
 * Staff actions are Updates; their validators refuse what the transfer is not waiting for.
 */
import {
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { RETRY_UNTIL_DONE } from './activity-options';
import type { TransferActivities } from '../activities/transfers';
import { TransferStatusAttribute, type UpdateInput } from './definitions';
import {
  cancelTransfer,
  getTransferState,
  receiveTransfer,
  shipTransfer,
  type ReceivedLine,
  type TransferState,
  type TransferStatus,
  type TransferWorkflowInput,
} from './transfer-definitions';

const activities = proxyActivities<TransferActivities>(RETRY_UNTIL_DONE);

export async function transferWorkflow(input: TransferWorkflowInput): Promise<TransferState> {
  const state: TransferState = { transferNumber: input.transferNumber, status: 'REQUESTED' };
  let dispatch: { action: 'ship' | 'cancel'; actor: string } | undefined;
  let receipt: { actor: string; lines: ReceivedLine[] } | undefined;

  const refuse = (code: string, message: string): never => {
    throw ApplicationFailure.nonRetryable(`Transfer ${input.transferNumber}: ${message}`, code);
  };
  const awaiting = (status: TransferStatus, action: string, alreadyAsked: boolean) => {
    if (state.status !== status || alreadyAsked) refuse('WRONG_STATE', `is ${state.status}; cannot ${action} it now`);
  };

  setHandler(getTransferState, () => state);
  setHandler(
    shipTransfer,
    ({ actor }) => {
      dispatch = { action: 'ship', actor };
      return state;
    },
    { validator: (_args) => awaiting('REQUESTED', 'ship', dispatch !== undefined) },
  );
  setHandler(
    cancelTransfer,
    ({ actor }) => {
      dispatch = { action: 'cancel', actor };
      return state;
    },
    { validator: (_args) => awaiting('REQUESTED', 'cancel', dispatch !== undefined) },
  );
  setHandler(
    receiveTransfer,
    (args) => {
      receipt = args;
      return state;
    },
    {
      validator: ({ lines }: UpdateInput<typeof receiveTransfer>) => {
        // Shipping writes IN_TRANSIT to the database before this run hears the activity is done: a receipt staff
        // send on what they see then is taken, and applied once the run has the shipment too.
        const shipping = state.status === 'REQUESTED' && dispatch?.action === 'ship';
        if (!shipping) awaiting('IN_TRANSIT', 'receive', receipt !== undefined);
        else if (receipt !== undefined) refuse('WRONG_STATE', `is ${state.status}; cannot receive it now`);
        for (const line of lines) {
          const sent = input.lines.filter((l) => l.sku === line.sku).reduce((sum, l) => sum + l.quantity, 0);
          if (sent === 0) refuse('INVALID_CONTENT', `${line.sku} was not sent on this transfer`);
          if (line.received > sent)
            refuse('INVALID_CONTENT', `${line.sku}: received ${line.received}, only ${sent} sent`);
        }
      },
    },
  );

  function moveTo(status: TransferStatus): void {
    state.status = status;
    upsertSearchAttributes([{ key: TransferStatusAttribute, value: status }]);
  }

  await condition(() => dispatch !== undefined);
  if (dispatch!.action === 'cancel') {
    await activities.cancelTransfer(input.transferNumber, dispatch!.actor);
    moveTo('CANCELLED');
    return state;
  }
  await activities.shipTransfer(input.transferNumber, dispatch!.actor);
  moveTo('IN_TRANSIT');

  await condition(() => receipt !== undefined);
  await activities.receiveTransfer(input.transferNumber, receipt!.actor, receipt!.lines);
  moveTo('RECEIVED');
  return state;
}

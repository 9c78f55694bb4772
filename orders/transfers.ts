/**
 * Transfer orders (stock sent from one location to another) are opened like orders: the goods reserved at the
 * source and the transfer recorded (inventory/transfers.ts), then its workflow started, which moves it from there.
 * Without its workflow the transfer could never move, so when the start fails the stock is given back and the
 * error goes on to the caller.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { cancelTransfer, requestTransfer, type TransferRequest } from '../inventory/transfers';
import type { Config } from '../lib/config';
import { transferRunSummary } from '../domain/run-summaries';
import { startWorkflowOnce } from '../lib/temporal';
import { TransferStatusAttribute } from '../workflows/definitions';
import {
  TRANSFER_WORKFLOW_TYPE,
  transferWorkflowId,
  type TransferWorkflowInput,
} from '../workflows/transfer-definitions';

/** The new transfer's number; null when the source does not have all of it available (nothing is recorded). */
export async function openTransfer(
  db: Db,
  temporal: Client,
  settings: Pick<Config, 'taskQueue'>,
  request: TransferRequest,
): Promise<string | null> {
  const transferNumber = await requestTransfer(db, request);
  if (!transferNumber) return null;
  const input: TransferWorkflowInput = { transferNumber, lines: request.lines };
  try {
    await startWorkflowOnce(temporal, {
      type: TRANSFER_WORKFLOW_TYPE,
      workflowId: transferWorkflowId(transferNumber),
      taskQueue: settings.taskQueue,
      input,
      searchAttributes: [{ key: TransferStatusAttribute, value: 'REQUESTED' }],
      summary: transferRunSummary(transferNumber, request.lines),
    });
  } catch (err) {
    await cancelTransfer(db, transferNumber, request.requestedBy);
    throw err;
  }
  return transferNumber;
}

/** The transfer workflow's contract, shared by the workflow and the API. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ReceivedLine, TransferStatus } from '../domain/transfer';
import type { ActionSeal, IssuedStart } from './definitions';

export type { ReceivedLine, TransferStatus };

export const TRANSFER_WORKFLOW_TYPE = 'transferWorkflow';

export interface TransferWorkflowInput extends IssuedStart {
  transferNumber: string;
  lines: { sku: string; quantity: number }[];
}

export interface TransferState {
  transferNumber: string;
  status: TransferStatus;
}

export const getTransferState = defineQuery<TransferState>('getTransferState');
export const shipTransfer = defineUpdate<TransferState, [{ actor: string; seal: ActionSeal }]>('shipTransfer');
export const receiveTransfer = defineUpdate<
  TransferState,
  [{ actor: string; lines: ReceivedLine[]; seal: ActionSeal }]
>('receiveTransfer');
export const cancelTransfer = defineUpdate<TransferState, [{ actor: string; seal: ActionSeal }]>('cancelTransfer');

export function transferWorkflowId(transferNumber: string): string {
  return `transfer-${transferNumber}`;
}

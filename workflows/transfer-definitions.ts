/** The transfer workflow's contract, shared by the workflow and the API. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ReceivedLine, TransferStatus } from '../domain/transfer';

export type { ReceivedLine, TransferStatus };

export const TRANSFER_WORKFLOW_TYPE = 'transferWorkflow';

export interface TransferWorkflowInput {
  transferNumber: string;
  lines: { sku: string; quantity: number }[];
}

export interface TransferState {
  transferNumber: string;
  status: TransferStatus;
}

export const getTransferState = defineQuery<TransferState>('getTransferState');
export const shipTransfer = defineUpdate<TransferState, [{ actor: string }]>('shipTransfer');
export const receiveTransfer = defineUpdate<TransferState, [{ actor: string; lines: ReceivedLine[] }]>(
  'receiveTransfer',
);
export const cancelTransfer = defineUpdate<TransferState, [{ actor: string }]>('cancelTransfer');

export function transferWorkflowId(transferNumber: string): string {
  return `transfer-${transferNumber}`;
}

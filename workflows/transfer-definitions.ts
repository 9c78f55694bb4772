/** The transfer workflow's contract, shared by the workflow and the API. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export const TRANSFER_WORKFLOW_TYPE = 'transferWorkflow';

export type TransferStatus = 'REQUESTED' | 'IN_TRANSIT' | 'RECEIVED' | 'CANCELLED';

export interface TransferWorkflowInput {
  transferNumber: string;
  lines: { sku: string; quantity: number }[];
}

export interface TransferState {
  transferNumber: string;
  status: TransferStatus;
}

export interface ReceivedLine {
  sku: string;
  received: number;
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

/** Stock transfers between locations: the shapes the transfer workflow, its activities and the API share. */
export const TRANSFER_STATUSES = ['REQUESTED', 'IN_TRANSIT', 'RECEIVED', 'CANCELLED'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** What arrived of one SKU of a transfer. */
export interface ReceivedLine {
  sku: string;
  received: number;
}

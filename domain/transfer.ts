/** Stock transfers between locations: the shapes the transfer workflow, its activities and the API share. */
export type TransferStatus = 'REQUESTED' | 'IN_TRANSIT' | 'RECEIVED' | 'CANCELLED';

/** What arrived of one SKU of a transfer. */
export interface ReceivedLine {
  sku: string;
  received: number;
}

/** Stock transfers between locations: the shapes the transfer workflow, its activities and the API share. */
export const TRANSFER_STATUSES = ['REQUESTED', 'IN_TRANSIT', 'RECEIVED', 'CANCELLED'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** What arrived of one SKU of a transfer. */
export interface ReceivedLine {
  sku: string;
  received: number;
}

/**
 * Units a receipt says never arrived (sent less received, per SKU, a SKU not named having received none): they are
 * written off as lost on the way, so past a few units that is a manager's decision, like a count that lowers stock
 * (domain/stock-count.ts).
 */
export function transferShortfall(
  sent: readonly { sku: string; quantity: number }[],
  received: readonly ReceivedLine[],
): number {
  const left = new Map<string, number>();
  for (const line of sent) left.set(line.sku, (left.get(line.sku) ?? 0) + line.quantity);
  for (const line of received) left.set(line.sku, (left.get(line.sku) ?? 0) - line.received);
  let short = 0;
  for (const units of left.values()) short += Math.max(0, units);
  return short;
}

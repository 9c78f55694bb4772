/** A SKU's stock at one location: on hand, and how much of it is reserved (for orders and transfers). */
export interface StockFigures {
  onHand: number;
  reserved: number;
}

/** What can still be promised: on hand less what is reserved. */
export function availableOf(level: StockFigures): number {
  return level.onHand - level.reserved;
}

/** Available stock below the safety stock: what opens a low-stock warning and what `?low=true` lists. */
export function isLowStock(level: StockFigures & { safetyStock: number }): boolean {
  return availableOf(level) < level.safetyStock;
}

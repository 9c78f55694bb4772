/** Prices come from the catalogue, never from the client; all money in integer minor units. */
export interface PricedLine {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

export function orderTotalMinor(lines: readonly PricedLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
}

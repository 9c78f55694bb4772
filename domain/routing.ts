/** Where an order's stock comes from. Pure: the caller supplies locations and availability. */
export interface RoutableLocation {
  id: number;
  priority: number; // lower ships first
  ships: boolean;
}

export interface LineNeed {
  sku: string;
  quantity: number;
}

/** available[locationId][sku] = on hand − reserved */
export type Availability = ReadonlyMap<number, ReadonlyMap<string, number>>;

/**
 * The highest-priority shipping location that can supply every line in full, or null when none can.
 * (Splitting across locations comes with the full lifecycle.)
 */
export function chooseSingleLocation(
  lines: readonly LineNeed[],
  locations: readonly RoutableLocation[],
  available: Availability,
): number | null {
  const needed = new Map<string, number>();
  for (const line of lines) needed.set(line.sku, (needed.get(line.sku) ?? 0) + line.quantity);

  const candidates = locations.filter((l) => l.ships).sort((a, b) => a.priority - b.priority || a.id - b.id);
  for (const location of candidates) {
    const stock = available.get(location.id);
    if (stock && [...needed].every(([sku, qty]) => (stock.get(sku) ?? 0) >= qty)) return location.id;
  }
  return null;
}

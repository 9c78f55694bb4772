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

/** The highest-priority shipping location that can supply every line in full, or null when none can. */
export function chooseSingleLocation(
  lines: readonly LineNeed[],
  locations: readonly RoutableLocation[],
  available: Availability,
): number | null {
  const needed = new Map<string, number>();
  for (const line of lines) needed.set(line.sku, (needed.get(line.sku) ?? 0) + line.quantity);

  const candidates = shippingByPriority(locations);
  for (const location of candidates) {
    const stock = available.get(location.id);
    if (stock && [...needed].every(([sku, qty]) => (stock.get(sku) ?? 0) >= qty)) return location.id;
  }
  return null;
}

export interface PlanLine {
  lineNo: number;
  sku: string;
  quantity: number;
}

/** What one location supplies; a line's quantity here may be only part of the order line. */
export interface PlannedShipment {
  locationId: number;
  lines: PlanLine[];
}

export interface PlanOptions {
  /** In-store and pickup orders: everything comes from this location, whether or not it ships. */
  onlyLocationId?: number;
  /** Return what can be covered instead of null when stock falls short (e.g. to ship now, backorder the rest). */
  partial?: boolean;
}

/**
 * Plans where each order line comes from: one shipping location when any can supply everything (one parcel is
 * cheaper), else a split across shipping locations in priority order. Null when the order cannot be covered in
 * full, unless `partial`, which returns the shipments covering what is available (possibly none).
 * Never plans more than is available; lines with quantity 0 are ignored.
 */
export function planAllocation(
  lines: readonly PlanLine[],
  locations: readonly RoutableLocation[],
  available: Availability,
  options: PlanOptions = {},
): PlannedShipment[] | null {
  const wanted = lines.filter((line) => line.quantity > 0);

  if (options.onlyLocationId !== undefined) {
    const { shipments, complete } = takeInOrder(wanted, [options.onlyLocationId], available);
    return complete || options.partial ? shipments : null;
  }

  const single = chooseSingleLocation(wanted, locations, available);
  if (single !== null) return wanted.length ? [{ locationId: single, lines: wanted.map((line) => ({ ...line })) }] : [];

  const ids = shippingByPriority(locations).map((location) => location.id);
  const { shipments, complete } = takeInOrder(wanted, ids, available);
  return complete || options.partial ? shipments : null;
}

function shippingByPriority(locations: readonly RoutableLocation[]): RoutableLocation[] {
  return locations.filter((l) => l.ships).sort((a, b) => a.priority - b.priority || a.id - b.id);
}

/** Greedy: each location in turn gives as much of every still-open line as it has left. */
function takeInOrder(
  lines: readonly PlanLine[],
  locationIds: readonly number[],
  available: Availability,
): { shipments: PlannedShipment[]; complete: boolean } {
  const open = lines.map((line) => ({ line, remaining: line.quantity }));
  const shipments: PlannedShipment[] = [];
  for (const locationId of locationIds) {
    // A working copy, so two lines of the same SKU draw on one stock instead of each seeing it whole.
    const left = new Map(available.get(locationId) ?? []);
    const taken: PlanLine[] = [];
    for (const item of open) {
      const quantity = Math.min(item.remaining, Math.max(0, left.get(item.line.sku) ?? 0));
      if (quantity <= 0) continue;
      left.set(item.line.sku, (left.get(item.line.sku) ?? 0) - quantity);
      item.remaining -= quantity;
      taken.push({ lineNo: item.line.lineNo, sku: item.line.sku, quantity });
    }
    if (taken.length) shipments.push({ locationId, lines: taken });
  }
  return { shipments, complete: open.every((item) => item.remaining === 0) };
}

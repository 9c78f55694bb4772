/** Recomputes every stock level from the ledger and reports where the stored level disagrees. */
import type { Db } from '../db/client';

export interface StockDifference {
  sku: string;
  locationId: number;
  stored: { onHand: number; reserved: number };
  fromLedger: { onHand: number; reserved: number };
}

export async function checkStockAgainstLedger(db: Db): Promise<StockDifference[]> {
  const [levels, sums] = await Promise.all([
    db.stockLevel.findMany(),
    db.stockMovement.groupBy({ by: ['sku', 'locationId'], _sum: { onHandDelta: true, reservedDelta: true } }),
  ]);
  const key = (sku: string, locationId: number) => `${sku}\u0000${locationId}`;
  const ledger = new Map(
    sums.map((s) => [
      key(s.sku, s.locationId),
      { onHand: s._sum.onHandDelta ?? 0, reserved: s._sum.reservedDelta ?? 0 },
    ]),
  );
  const differences: StockDifference[] = [];
  const seen = new Set<string>();
  for (const level of levels) {
    const k = key(level.sku, level.locationId);
    seen.add(k);
    const fromLedger = ledger.get(k) ?? { onHand: 0, reserved: 0 };
    if (fromLedger.onHand !== level.onHand || fromLedger.reserved !== level.reserved) {
      differences.push({
        sku: level.sku,
        locationId: level.locationId,
        stored: { onHand: level.onHand, reserved: level.reserved },
        fromLedger,
      });
    }
  }
  for (const [k, fromLedger] of ledger) {
    if (seen.has(k) || (fromLedger.onHand === 0 && fromLedger.reserved === 0)) continue;
    const [sku, locationId] = k.split('\u0000');
    differences.push({ sku, locationId: Number(locationId), stored: { onHand: 0, reserved: 0 }, fromLedger });
  }
  return differences;
}

export interface SerialDifference {
  sku: string;
  locationId: number;
  onHand: number;
  unitsOnShelf: number;
}

/** For serialised SKUs: the units IN_STOCK at each location must number its on-hand stock. */
export async function checkSerialUnits(db: Db): Promise<SerialDifference[]> {
  const serialised = await db.productVariant.findMany({
    where: { product: { serialised: true } },
    select: { sku: true },
  });
  const skus = serialised.map((v) => v.sku);
  const [levels, units] = await Promise.all([
    db.stockLevel.findMany({ where: { sku: { in: skus } } }),
    db.serialUnit.groupBy({ by: ['sku', 'locationId'], where: { status: 'IN_STOCK' }, _count: { _all: true } }),
  ]);
  const differences: SerialDifference[] = [];
  for (const level of levels) {
    const onShelf = units.find((u) => u.sku === level.sku && u.locationId === level.locationId)?._count._all ?? 0;
    if (onShelf !== level.onHand) {
      differences.push({ sku: level.sku, locationId: level.locationId, onHand: level.onHand, unitsOnShelf: onShelf });
    }
  }
  return differences;
}

import type { Db, Tx } from '../db/client';
import { availableOf, isLowStock } from '../domain/stock';

/** Sets the safety stock of a SKU at a location, creating its (empty) level if there is none yet. */
export async function setSafetyStock(db: Db | Tx, sku: string, locationId: number, safetyStock: number): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "StockLevel" ("sku", "locationId", "onHand", "reserved", "safetyStock")
    VALUES (${sku}, ${locationId}, 0, 0, ${safetyStock})
    ON CONFLICT ("sku", "locationId") DO UPDATE SET "safetyStock" = ${safetyStock}`;
}

/**
 * Stock per SKU and location, by SKU then location. Filters: a SKU; a location code (an unknown code matches
 * nothing); `low`, only levels below their safety stock.
 */
export async function listStockLevels(db: Db, filter: { sku?: string; locationCode?: string; low?: boolean }) {
  const { sku, locationCode } = filter;
  const locations = await db.location.findMany();
  const byId = new Map(locations.map((l) => [l.id, l]));
  const levels = await db.stockLevel.findMany({
    where: {
      ...(sku ? { sku } : {}),
      ...(locationCode ? { locationId: locations.find((l) => l.code === locationCode)?.id ?? -1 } : {}),
    },
    orderBy: [{ sku: 'asc' }, { locationId: 'asc' }],
  });
  const rows = levels.map((l) => ({
    sku: l.sku,
    location: byId.get(l.locationId)?.code,
    onHand: l.onHand,
    reserved: l.reserved,
    available: availableOf(l),
    safetyStock: l.safetyStock,
  }));
  return filter.low ? rows.filter(isLowStock) : rows;
}

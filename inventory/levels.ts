import type { Db } from '../db/client';
import type { Tx } from './ledger';

/** Sets the safety stock of a SKU at a location, creating its (empty) level if there is none yet. */
export async function setSafetyStock(db: Db | Tx, sku: string, locationId: number, safetyStock: number): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "StockLevel" ("sku", "locationId", "onHand", "reserved", "safetyStock")
    VALUES (${sku}, ${locationId}, 0, 0, ${safetyStock})
    ON CONFLICT ("sku", "locationId") DO UPDATE SET "safetyStock" = ${safetyStock}`;
}

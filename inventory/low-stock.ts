/**
 * Low-stock warnings: when available stock at a location drops below its safety stock, one warning
 * opens and the manager gets one email; when stock recovers the warning closes. Callers pass the
 * (sku, location) pairs their movements touched.
 */
import type { Db } from '../db/client';
import { availableOf, isLowStock } from '../domain/stock';

export interface LowStockNotice {
  warningId: number;
  sku: string;
  locationId: number;
  available: number;
  safetyStock: number;
}

export type NotifyManager = (notice: LowStockNotice) => Promise<void>;

const warningKey = (sku: string, locationId: number) => `low-stock:${sku}:${locationId}`;

export async function reviewLowStock(
  db: Db,
  notify: NotifyManager,
  touched: { sku: string; locationId: number }[],
): Promise<void> {
  const unique = new Map(touched.map((t) => [warningKey(t.sku, t.locationId), t]));
  for (const [key, { sku, locationId }] of unique) {
    const level = await db.stockLevel.findUnique({ where: { sku_locationId: { sku, locationId } } });
    if (!level) continue;
    const available = availableOf(level);
    if (!isLowStock(level)) {
      await db.warning.updateMany({ where: { openKey: key }, data: { openKey: null, clearedAt: new Date() } });
      continue;
    }
    try {
      await db.warning.create({
        data: {
          kind: 'LOW_STOCK',
          key,
          openKey: key,
          sku,
          locationId,
          message: `${sku} is low at location ${locationId}: ${available} available, safety stock ${level.safetyStock}`,
        },
      });
    } catch (err) {
      if ((err as { code?: string }).code !== 'P2002') throw err; // already open
    }
    const open = await db.warning.findUniqueOrThrow({ where: { openKey: key } });
    // Claim the email before sending, so two processes never both send it; give the claim back on failure.
    const claimed = await db.warning.updateMany({
      where: { id: open.id, notifiedAt: null },
      data: { notifiedAt: new Date() },
    });
    if (claimed.count === 0) continue;
    try {
      await notify({ warningId: open.id, sku, locationId, available, safetyStock: level.safetyStock });
    } catch (err) {
      await db.warning.update({ where: { id: open.id }, data: { notifiedAt: null } });
      throw err;
    }
  }
}

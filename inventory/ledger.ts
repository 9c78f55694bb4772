/**
 * The stock-movement ledger: the only way stock levels change. A batch of movements is applied in one
 * transaction: each level is moved by a conditional update (so on hand never drops below reserved,
 * and reserved never below zero, whatever runs at the same time), and each movement is written to the
 * ledger under its unique key, which makes a repeated batch a no-op. Every level can be recomputed
 * from the ledger (see check.ts).
 */
import type { Db, Tx } from '../db/client';

export const MOVEMENT_KINDS = [
  'RECEIPT',
  'RESERVE',
  'RELEASE',
  'SHIP',
  'RETURN',
  'WRITE_OFF',
  'ADJUST',
  'TRANSFER_OUT',
  'TRANSFER_IN',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export interface Movement {
  /** Unique per real-world change, e.g. `reserve:SO-…:1:2`; the same key is never applied twice. */
  key: string;
  kind: MovementKind;
  sku: string;
  locationId: number;
  onHandDelta?: number;
  reservedDelta?: number;
  reference?: string;
  actor?: string;
  reason?: string;
  /** Apply only if on hand is still this (a stock count's adjustment, computed from what it read). */
  expectedOnHand?: number;
}

export type BatchResult = 'applied' | 'already-applied' | 'insufficient';

class InsufficientStock extends Error {}

/**
 * Applies the movements all or nothing. `alongside` runs in the same transaction for the caller's own
 * rows (allocations, receipts…). Returns 'insufficient' when any level would go negative or no longer
 * holds `expectedOnHand` (nothing is written), 'already-applied' when these movements were applied before.
 */
export async function applyMovements(
  db: Db,
  movements: Movement[],
  alongside?: (tx: Tx) => Promise<void>,
): Promise<BatchResult> {
  if (movements.length === 0) throw new Error('applyMovements needs at least one movement');
  if ((await db.stockMovement.count({ where: { key: { in: movements.map((m) => m.key) } } })) > 0) {
    return 'already-applied';
  }
  // A fixed order of row locks keeps concurrent PostgreSQL transactions from deadlocking.
  const ordered = [...movements].sort(
    (a, b) => a.sku.localeCompare(b.sku) || a.locationId - b.locationId || a.key.localeCompare(b.key),
  );
  try {
    await db.$transaction(async (tx) => {
      // Every statement here writes, so a SQLite transaction takes the write lock at once (no upgrade).
      for (const m of ordered) {
        const onHand = m.onHandDelta ?? 0;
        const reserved = m.reservedDelta ?? 0;
        if (onHand > 0) {
          await tx.$executeRaw`
            INSERT INTO "StockLevel" ("sku", "locationId", "onHand", "reserved", "safetyStock")
            VALUES (${m.sku}, ${m.locationId}, 0, 0, 0) ON CONFLICT DO NOTHING`;
        }
        const expected = m.expectedOnHand ?? null;
        const updated = await tx.$executeRaw`
          UPDATE "StockLevel" SET "onHand" = "onHand" + ${onHand}, "reserved" = "reserved" + ${reserved}
          WHERE "sku" = ${m.sku} AND "locationId" = ${m.locationId}
            AND "reserved" + ${reserved} >= 0 AND "onHand" + ${onHand} >= "reserved" + ${reserved}
            AND (CAST(${expected} AS INTEGER) IS NULL OR "onHand" = CAST(${expected} AS INTEGER))`;
        if (updated !== 1) throw new InsufficientStock();
        const { expectedOnHand: _, ...movement } = m;
        await tx.stockMovement.create({
          data: { ...movement, onHandDelta: onHand, reservedDelta: reserved },
        });
      }
      await alongside?.(tx);
    });
    return 'applied';
  } catch (err) {
    if (err instanceof InsufficientStock) return 'insufficient';
    // Another process applied the same keys between our check and our commit.
    if ((err as { code?: string }).code === 'P2002') return 'already-applied';
    throw err;
  }
}

/** Holding customers' rows for the rest of a transaction: the profile, merge, points, tier and erasure all start so. */
import type { Tx } from '../db/client';

/**
 * A transaction's first statement: a write to the customers' rows (in id order, so two merges cannot deadlock on
 * PostgreSQL). On SQLite it takes the write lock at once: a transaction that read first and wrote later would fail
 * (SQLITE_BUSY) whenever another process committed in between. On PostgreSQL the row lock puts concurrent changes of
 * one customer (two redemptions, say) in a line.
 */
export async function lockCustomers(tx: Tx, ids: readonly number[]): Promise<void> {
  for (const id of [...ids].sort((a, b) => a - b)) {
    await tx.$executeRaw`UPDATE "Customer" SET "updatedAt" = "updatedAt" WHERE "id" = ${id}`;
  }
}

/**
 * Work that only one process of a cluster should do at a time: the API's sweeps (pending orders, backorders), which
 * every API process runs on its own timer. On PostgreSQL the first process to take a transaction-level advisory lock
 * runs it, and the others skip this round (the lock goes with the transaction, so a process that dies mid-sweep
 * frees it). SQLite is one file on one machine, written by one process at a time anyway: the work simply runs.
 */
import type { Db } from './client';
import { providerFor } from './providers';

/** The first half of every lock key here, so these locks cannot meet another application's on the same server. */
const LOCK_NAMESPACE = 0x5050_4f4d; // "PPOM"
/** A sweep longer than this is cut off (its transaction ends) and the next round starts over. */
const MAX_HOLD_MS = 10 * 60_000;

/** Runs `work` unless another process is running work of this name; true when it ran. */
export async function runExclusive(
  db: Db,
  databaseUrl: string,
  name: string,
  work: () => Promise<unknown>,
): Promise<boolean> {
  if (providerFor(databaseUrl) === 'sqlite') {
    await work();
    return true;
  }
  return db.$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`
        SELECT pg_try_advisory_xact_lock(${LOCK_NAMESPACE}::int, hashtext(${name})) AS locked`;
      if (!locked) return false;
      await work();
      return true;
    },
    { timeout: MAX_HOLD_MS, maxWait: 10_000 },
  );
}

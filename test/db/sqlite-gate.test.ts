import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';

/** Runs `use` on a new SQLite database of its own, thrown away after. */
async function onFreshDatabase(use: (db: Db) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-gate-'));
  const url = `file:${path.join(dir, 'gate.db')}`;
  await migrate(url);
  const db = createDb(url);
  try {
    await use(db);
  } finally {
    await db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('on SQLite, work running beside a transaction that rolls back is not rolled back with it', () =>
  onFreshDatabase(async (db) => {
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const inside = new Promise<void>((resolve) => (written = resolve));
    const failing = db.$transaction(async (tx) => {
      await tx.location.create({ data: { code: 'IN-TX', name: 'rolled back', kind: 'STORE' } });
      written();
      await paused;
      throw new Error('roll back');
    });
    // Meanwhile, with the transaction open, unrelated work writes outside it.
    await inside;
    // (Promise.resolve starts the query now: Prisma queries are lazy until awaited.)
    const beside = Promise.resolve(db.location.create({ data: { code: 'BESIDE', name: 'kept', kind: 'STORE' } }));
    await new Promise((r) => setTimeout(r, 50));
    release();
    await expect(failing).rejects.toThrow('roll back');
    await beside;
    expect((await db.location.findMany()).map((l) => l.code)).toEqual(['BESIDE']);
  }));

test('on SQLite, queries that waited for a transaction run on turns of their own, not all in one', () =>
  // better-sqlite3 is synchronous: queued queries used to run back to back as microtasks once the transaction ended,
  // holding the event loop for all of them (behind a 100,000-row import, ~200 health checks held it ~150 ms).
  onFreshDatabase(async (db) => {
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    const events: string[] = [];
    const transaction = db.$transaction(async () => {
      await paused;
      // The turn the loop takes right after this transaction, as a timer or a request would.
      setImmediate(() => events.push('other work'));
    });
    await new Promise((r) => setTimeout(r, 20));
    const waiting = Array.from({ length: 20 }, (_, i) =>
      Promise.resolve(db.$queryRaw`SELECT 1`).then(() => events.push(`query ${i}`)),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]); // they wait at the gate
    release();
    await transaction;
    await Promise.all(waiting);
    // Other work got a turn before the queue was through: it is not last.
    expect(events.indexOf('other work')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('other work')).toBeLessThan(events.length - 1);
    expect(events.filter((e) => e.startsWith('query'))).toEqual(waiting.map((_, i) => `query ${i}`));
  }));

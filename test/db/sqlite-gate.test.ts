import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../../db/client';
import { migrate } from '../../db/migrate';

test('on SQLite, work running beside a transaction that rolls back is not rolled back with it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-gate-'));
  const url = `file:${path.join(dir, 'gate.db')}`;
  await migrate(url);
  const db = createDb(url);
  try {
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
  } finally {
    await db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

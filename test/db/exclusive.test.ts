/**
 * The API's sweeps with several API processes (db/exclusive.ts): on PostgreSQL, while one process sweeps, another
 * skips its round instead of sweeping the same orders at the same time; once the first is done (or its process
 * died, which ends its transaction), the next round runs.
 */
import { createDb, type Db } from '../../db/client';
import { runExclusive } from '../../db/exclusive';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';

(postgresAvailable() ? describe : describe.skip)('one sweep at a time on PostgreSQL', () => {
  let url: string;
  /** Two connection pools, as two API processes have. */
  let first: Db;
  let second: Db;

  beforeAll(async () => {
    url = await createTestDatabase('exclusive');
    first = createDb(url);
    second = createDb(url);
  });
  afterAll(async () => {
    await first?.$disconnect();
    await second?.$disconnect();
    if (url) await dropTestDatabase(url);
  });

  test('a second process skips the sweep the first is running, and runs the next one', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const firstRan = runExclusive(first, url, 'pending-order sweep', async () => {
      started();
      await held;
    });
    await running;

    let secondWorked = false;
    const secondRan = await runExclusive(second, url, 'pending-order sweep', () => {
      secondWorked = true;
      return Promise.resolve();
    });
    expect({ secondRan, secondWorked }).toEqual({ secondRan: false, secondWorked: false });
    // Another sweep's name is not held up by this one.
    expect(await runExclusive(second, url, 'backorder sweep', () => Promise.resolve())).toBe(true);

    release();
    expect(await firstRan).toBe(true);
    expect(await runExclusive(second, url, 'pending-order sweep', () => Promise.resolve())).toBe(true);
  });

  test('a sweep that fails frees the lock for the next round', async () => {
    await expect(
      runExclusive(first, url, 'pending-order sweep', () => Promise.reject(new Error('Temporal unreachable'))),
    ).rejects.toThrow('Temporal unreachable');
    expect(await runExclusive(second, url, 'pending-order sweep', () => Promise.resolve())).toBe(true);
  });
});

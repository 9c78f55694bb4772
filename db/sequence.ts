import type { Db, Tx } from './client';

/** The next number of a named sequence (e.g. one per day), atomically, on SQLite and PostgreSQL. */
export async function nextInSequence(db: Db | Tx, name: string): Promise<number> {
  const [{ lastSeq }] = await db.$queryRaw<{ lastSeq: number | bigint }[]>`
    INSERT INTO "OrderCounter" ("day", "lastSeq") VALUES (${name}, 1)
    ON CONFLICT ("day") DO UPDATE SET "lastSeq" = "OrderCounter"."lastSeq" + 1
    RETURNING "lastSeq"`;
  return Number(lastSeq);
}

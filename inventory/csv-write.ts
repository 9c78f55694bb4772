/**
 * Writing an imported catalogue in batches: one `INSERT … ON CONFLICT DO UPDATE` per chunk of rows (the same SQL on
 * SQLite and PostgreSQL), with a turn of the event loop between chunks. Prisma's own createMany and update cost
 * 40–600 ms and ~7 ms a call here (it compiles every query on the main thread), which made 100,000 rows a minutes-long
 * transaction; a raw statement of 500 rows takes about 10 ms.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Prisma } from '../generated/prisma/sqlite/client';
import type { Db, Tx } from '../db/client';
import { forEachChunk } from './csv-read';

export interface ProductFields {
  code: string;
  name: string;
  category: string;
  serialised: boolean;
}

export interface VariantFields {
  sku: string;
  productCode: string;
  barcode: string;
  attributes: Record<string, string>;
  priceMinor: number;
}

/** PostgreSQL needs JSON text cast to jsonb; SQLite keeps it as text (as Prisma does). */
function jsonValue(postgres: boolean, value: unknown): Prisma.Sql {
  const json = JSON.stringify(value);
  return postgres ? Prisma.sql`CAST(${json} AS jsonb)` : Prisma.sql`${json}`;
}

/** Which database `db` is (Prisma's own name for it), read before the transaction starts. */
export function isPostgres(db: Db): boolean {
  return (db as unknown as { _activeProvider?: string })._activeProvider === 'postgresql';
}

/**
 * Runs `write` (an import's transaction) with SQLite's automatic checkpoint held back, then checkpoints on a later
 * turn of the event loop. better-sqlite3 commits on the event loop, and by default the COMMIT of a large transaction
 * also copies the whole write-ahead log into the database file: for 100,000 rows about 70 ms in one piece, of which
 * the copy is about 45. Apart, each step stays under 50 ms. PostgreSQL's driver commits without holding the loop.
 */
export async function checkpointAfter<T>(db: Db, write: () => Promise<T>): Promise<T> {
  if (isPostgres(db)) return write();
  const [setting] = await db.$queryRawUnsafe<{ wal_autocheckpoint: number | bigint }[]>('PRAGMA wal_autocheckpoint');
  await db.$queryRawUnsafe('PRAGMA wal_autocheckpoint = 0');
  let written: T;
  try {
    written = await write();
  } finally {
    await db.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${Number(setting?.wal_autocheckpoint ?? 1000)}`);
  }
  await nextTurn();
  await db.$queryRawUnsafe('PRAGMA wal_checkpoint(PASSIVE)');
  return written;
}

/** Creates or updates every product by code; returns each one's id by code. */
export async function upsertProducts(tx: Tx, products: ProductFields[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const now = new Date();
  await forEachChunk(products, async (chunk) => {
    const values = chunk.map((p) => Prisma.sql`(${p.code}, ${p.name}, ${p.category}, ${p.serialised}, ${now})`);
    const written = await tx.$queryRaw<{ id: number | bigint; code: string }[]>`
      INSERT INTO "Product" ("code", "name", "category", "serialised", "createdAt") VALUES ${Prisma.join(values)}
      ON CONFLICT ("code") DO UPDATE
        SET "name" = excluded."name", "category" = excluded."category", "serialised" = excluded."serialised"
      RETURNING "id", "code"`;
    for (const p of written) ids.set(p.code, Number(p.id));
  });
  return ids;
}

/** Creates or updates every variant by SKU, under the product ids `productIds` names. */
export async function upsertVariants(
  tx: Tx,
  postgres: boolean,
  variants: VariantFields[],
  productIds: Map<string, number>,
): Promise<void> {
  const now = new Date();
  await forEachChunk(variants, async (chunk) => {
    const values = chunk.map(
      (v) =>
        Prisma.sql`(${v.sku}, ${productIds.get(v.productCode)}, ${v.barcode}, ${jsonValue(postgres, v.attributes)}, ${v.priceMinor}, ${now})`,
    );
    await tx.$executeRaw`
      INSERT INTO "ProductVariant" ("sku", "productId", "barcode", "attributes", "priceMinor", "createdAt")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("sku") DO UPDATE
        SET "productId" = excluded."productId", "barcode" = excluded."barcode",
            "attributes" = excluded."attributes", "priceMinor" = excluded."priceMinor"`;
  });
}

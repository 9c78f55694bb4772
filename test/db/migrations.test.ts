/**
 * One model file, two databases: the generated schemas match prisma/models.prisma, every model change
 * has its migration, and both migration sets build the same tables and columns.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { DB_PROVIDERS, migrationsDir, schemaPath } from '../../db/providers';
import { migrate } from '../../db/migrate';
import { createDb } from '../../db/client';
import { schemaFor } from '../../scripts/db-schemas';
import { snapshotPath } from '../../scripts/db-new-migration';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';

type Shape = Record<string, string[]>; // table -> ["column NULL|NOT NULL", ...]

const LEDGER = '_oms_migrations';

function sqliteShape(file: string): Shape {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ?`)
      .all(LEDGER) as { name: string }[];
    return Object.fromEntries(
      tables.map(({ name }) => [
        name,
        (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; notnull: number; pk: number }[])
          .map((c) => `${c.name} ${c.notnull || c.pk ? 'NOT NULL' : 'NULL'}`)
          .sort(),
      ]),
    );
  } finally {
    db.close();
  }
}

async function postgresShape(url: string): Promise<Shape> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string; column_name: string; is_nullable: string }>(
      `SELECT table_name, column_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> $1`,
      [LEDGER],
    );
    const shape: Shape = {};
    for (const r of rows)
      (shape[r.table_name] ??= []).push(`${r.column_name} ${r.is_nullable === 'YES' ? 'NULL' : 'NOT NULL'}`);
    for (const columns of Object.values(shape)) columns.sort();
    return shape;
  } finally {
    await client.end();
  }
}

/** The CHECK constraint the init migrations add: reserved can never exceed on hand. */
async function expectOversellRefused(url: string): Promise<void> {
  await migrate(url);
  const db = createDb(url);
  try {
    const location = await db.location.create({ data: { code: 'L-1', name: 'Store', kind: 'STORE' } });
    const where = { sku_locationId: { sku: 'A', locationId: location.id } };
    await db.stockLevel.create({ data: { sku: 'A', locationId: location.id, onHand: 1 } });
    await expect(db.stockLevel.update({ where, data: { reserved: 2 } })).rejects.toThrow();
    await expect(db.stockLevel.update({ where, data: { reserved: -1 } })).rejects.toThrow();
    expect((await db.stockLevel.findUniqueOrThrow({ where })).reserved).toBe(0);
  } finally {
    await db.$disconnect();
  }
}

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-migrations-'));
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

describe('schemas and migrations', () => {
  test.each(DB_PROVIDERS)('the %s schema is generated from prisma/models.prisma', (provider) => {
    expect(fs.readFileSync(schemaPath(provider), 'utf8')).toBe(schemaFor(provider));
  });

  test.each(DB_PROVIDERS)('every model change has a %s migration (npm run db:migration)', (provider) => {
    expect(fs.readFileSync(snapshotPath(provider), 'utf8')).toBe(fs.readFileSync(schemaPath(provider), 'utf8'));
  });

  test('both databases have the same migrations', () => {
    const names = (provider: (typeof DB_PROVIDERS)[number]) =>
      fs.readdirSync(migrationsDir(provider)).filter((n) => !n.endsWith('.prisma'));
    expect(names('postgresql')).toEqual(names('sqlite'));
  });

  test('SQLite: migrating applies each migration once; an edited applied migration is refused', async () => {
    const url = `file:${path.join(tmpDir, 'runner.db')}`;
    const first = await migrate(url);
    expect(first.length).toBeGreaterThan(0);
    expect(await migrate(url)).toEqual([]);

    const db = new Database(url.slice('file:'.length));
    db.prepare(`UPDATE "${LEDGER}" SET checksum = 'edited' WHERE name = ?`).run(first[0]);
    db.close();
    await expect(migrate(url)).rejects.toThrow(/was changed after it was applied/);
  });

  test('SQLite refuses stock that would be oversold', () =>
    expectOversellRefused(`file:${path.join(tmpDir, 'check.db')}`));

  (postgresAvailable() ? describe : describe.skip)('with PostgreSQL', () => {
    let pgUrl: string;
    beforeAll(async () => {
      pgUrl = await createTestDatabase('migrations');
    });
    afterAll(async () => {
      if (pgUrl) await dropTestDatabase(pgUrl);
    });

    test('both migration sets give the same tables and columns', async () => {
      const sqliteFile = path.join(tmpDir, 'parity.db');
      await migrate(`file:${sqliteFile}`);
      expect(await migrate(pgUrl)).not.toEqual([]);
      expect(await migrate(pgUrl)).toEqual([]);
      const sqlite = sqliteShape(sqliteFile);
      expect(Object.keys(sqlite).length).toBeGreaterThan(5);
      expect(await postgresShape(pgUrl)).toEqual(sqlite);
    });

    test('PostgreSQL refuses stock that would be oversold', () => expectOversellRefused(pgUrl));
  });
});

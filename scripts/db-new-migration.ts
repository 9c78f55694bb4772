/**
 * npm run db:migration -- <name>
 * Writes a new migration for each database: the SQL `prisma migrate diff` gives between the schema
 * the existing migrations produce (kept as migrations/schema.snapshot.prisma) and the current models.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DB_PROVIDERS, migrationsDir, schemaPath, type DbProvider } from '../db/providers';
import { schemaFor } from './db-schemas';

// The JavaScript schema engine connects even for a schema-to-schema diff (it reads nothing and
// writes nothing): a throwaway SQLite file, and any reachable PostgreSQL server.
const DUMMY_URL: Record<DbProvider, string> = {
  sqlite: `file:${path.join(os.tmpdir(), 'shop-oms-migrate-diff.db')}`,
  postgresql: process.env.MIGRATION_DIFF_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
};

export function snapshotPath(provider: DbProvider): string {
  return path.join(migrationsDir(provider), 'schema.snapshot.prisma');
}

/** SQL from the snapshot (or an empty database) to the given schema file; '' when nothing changed. */
export function diffSql(provider: DbProvider, toSchemaFile: string): string {
  const snapshot = snapshotPath(provider);
  const from = fs.existsSync(snapshot) ? ['--from-schema-datamodel', snapshot] : ['--from-empty'];
  const out = execFileSync(
    path.resolve(__dirname, '..', 'node_modules', '.bin', 'prisma'),
    ['migrate', 'diff', ...from, '--to-schema-datamodel', toSchemaFile, '--script'],
    { encoding: 'utf8', env: { ...process.env, DATABASE_URL: DUMMY_URL[provider] }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return out.includes('This is an empty migration') ? '' : out;
}

if (require.main === module) {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('usage: npm run db:migration -- <name_in_snake_case>');
    process.exit(2);
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  for (const provider of DB_PROVIDERS) {
    fs.writeFileSync(schemaPath(provider), schemaFor(provider));
    const sql = diffSql(provider, schemaPath(provider));
    if (!sql) {
      // Comments or formatting only: the schema the migrations produce is the same.
      fs.copyFileSync(schemaPath(provider), snapshotPath(provider));
      console.log(`${provider}: no SQL changes (snapshot refreshed)`);
      continue;
    }
    const dir = path.join(migrationsDir(provider), `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
    fs.copyFileSync(schemaPath(provider), snapshotPath(provider));
    console.log(`${provider}: wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
}

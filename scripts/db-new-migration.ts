/**
 * npm run db:migration -- <name>
 * Writes a new migration for each database: the SQL `prisma migrate diff` gives between the schema
 * the existing migrations produce (kept as migrations/schema.snapshot.prisma) and the current models.
 * The diff comes from a pinned Prisma 6 CLI (scripts/migrate-diff.config.ts says why).
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

/** The pinned Prisma 6 CLI (`prisma-6` in package.json) and its config. */
const PRISMA_6_CLI = path.resolve(__dirname, '..', 'node_modules', 'prisma-6', 'build', 'index.js');
const PRISMA_6_CONFIG = path.join(__dirname, 'migrate-diff.config.ts');

/** A schema as Prisma 6 reads it: Prisma 7 refuses a datasource url in the schema file, Prisma 6 requires one. */
export function forPrisma6(schema: string, provider: DbProvider): string {
  return schema.replace(
    /datasource db \{[^}]*\}/,
    `datasource db {\n  provider = "${provider}"\n  url      = env("DATABASE_URL")\n}`,
  );
}

/** SQL from the snapshot (or an empty database) to the given schema file; '' when nothing changed. */
export function diffSql(provider: DbProvider, toSchemaFile: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-migrate-diff-'));
  const asPrisma6 = (file: string, name: string) => {
    const copy = path.join(dir, name);
    fs.writeFileSync(copy, forPrisma6(fs.readFileSync(file, 'utf8'), provider));
    return copy;
  };
  try {
    const snapshot = snapshotPath(provider);
    const from = fs.existsSync(snapshot)
      ? ['--from-schema-datamodel', asPrisma6(snapshot, 'from.prisma')]
      : ['--from-empty'];
    const to = ['--to-schema-datamodel', asPrisma6(toSchemaFile, 'to.prisma')];
    const out = execFileSync(
      process.execPath,
      [PRISMA_6_CLI, 'migrate', 'diff', '--config', PRISMA_6_CONFIG, ...from, ...to, '--script'],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          DATABASE_URL: DUMMY_URL[provider],
          // Prisma 6 downloads a query engine unless the schema says engineType = "client", which Prisma 7's
          // generator no longer has; migrate diff never loads it, so any existing file will do.
          PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? process.execPath,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return out.includes('This is an empty migration') ? '' : out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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

/**
 * Prisma config for the pinned Prisma 6 CLI (`prisma-6` in package.json) that scripts/db-new-migration.ts runs.
 * Prisma 7's `migrate diff` needs its Rust schema engine, which cannot be downloaded here; Prisma 6's JavaScript
 * schema engine diffs through a driver adapter instead (the app's Prisma 7 adapters serve it).
 */
import { defineConfig } from 'prisma-6/config';
import { providerFor, sqliteFilePath } from '../db/providers';

const databaseUrl = process.env.DATABASE_URL ?? 'file:./data/oms.db';

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  async adapter() {
    if (providerFor(databaseUrl) === 'postgresql') {
      const { PrismaPg } = await import('@prisma/adapter-pg');
      return new PrismaPg({ connectionString: databaseUrl });
    }
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
    return new PrismaBetterSqlite3({ url: sqliteFilePath(databaseUrl) });
  },
});

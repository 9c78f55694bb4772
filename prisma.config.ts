// Prisma CLI configuration: the JavaScript schema engine with driver adapters, so no Rust engine
// is ever downloaded. DATABASE_URL picks the database (file: → SQLite, postgresql:// → PostgreSQL).
import { defineConfig } from 'prisma/config';
import { providerFor, schemaPath, sqliteFilePath } from './db/providers';

const databaseUrl = process.env.DATABASE_URL ?? 'file:./data/oms.db';
const provider = providerFor(databaseUrl);

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: schemaPath(provider),
  async adapter() {
    if (provider === 'postgresql') {
      const { PrismaPg } = await import('@prisma/adapter-pg');
      return new PrismaPg({ connectionString: databaseUrl });
    }
    const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
    return new PrismaBetterSQLite3({ url: sqliteFilePath(databaseUrl) });
  },
});

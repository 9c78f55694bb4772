// Prisma 7 CLI configuration, used for `prisma generate` (scripts/ensure-deps.js): DATABASE_URL picks the schema
// (file: → SQLite, postgresql:// → PostgreSQL). The app connects through driver adapters (db/client.ts); migrations are
// applied by db/migrate.ts and written with a pinned Prisma 6 CLI (scripts/migrate-diff.config.ts).
import { defineConfig } from 'prisma/config';
import { providerFor, schemaPath } from './db/providers';

const databaseUrl = process.env.DATABASE_URL ?? 'file:./data/oms.db';
const provider = providerFor(databaseUrl);

export default defineConfig({
  schema: schemaPath(provider),
  datasource: { url: databaseUrl },
});

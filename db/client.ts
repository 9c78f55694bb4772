/** The app's Prisma client for DATABASE_URL: one generated client per database, the same models in both. */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient, type Prisma } from '../generated/prisma/sqlite/client';
import { PrismaClient as PostgresClient } from '../generated/prisma/postgresql/client';
import { providerFor, sqliteFilePath } from './providers';
import { gateSqliteClient } from './sqlite-gate';
import { cachingStatements } from './sqlite-statements';

/** Typed as the SQLite client; the PostgreSQL client has the same models and methods. */
export type Db = SqliteClient;
export type { Prisma } from '../generated/prisma/sqlite/client';
/** The client inside `db.$transaction(async (tx) => …)`: the same models, committed or rolled back together. */
export type Tx = Prisma.TransactionClient;

/** How long a SQLite writer waits for another process's write lock before giving up. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;
/**
 * How long a PostgreSQL transaction waits for a free pool connection. Prisma's default of 2 s turned a spike of
 * 1,000 concurrent intakes into 500s (P2028, docs/benchmarks.md); a spike now queues instead of failing.
 */
const POSTGRES_TRANSACTION_MAX_WAIT_MS = 30_000;

export function createDb(databaseUrl: string): Db {
  if (providerFor(databaseUrl) === 'postgresql') {
    return new PostgresClient({
      adapter: new PrismaPg({ connectionString: databaseUrl }),
      transactionOptions: { maxWait: POSTGRES_TRANSACTION_MAX_WAIT_MS },
    }) as unknown as Db;
  }
  const client = new SqliteClient({
    adapter: cachingStatements(
      new PrismaBetterSqlite3({ url: sqliteFilePath(databaseUrl), timeout: SQLITE_BUSY_TIMEOUT_MS }),
    ),
  });
  return gateSqliteClient(client);
}

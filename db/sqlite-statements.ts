/**
 * Prepared statements kept for reuse on the SQLite connection. Prisma's better-sqlite3 adapter prepares every query
 * anew (`client.prepare(sql).bind(args)`): `prepare` was 6–7 % of the API's and the worker's main thread in the
 * bench's profiles (docs/benchmarks.md). Prisma's query compiler writes the same SQL text for the same query shape,
 * so a few hundred statements cover the app. better-sqlite3 binds a statement only once, so the kept statement gets
 * its arguments with each call instead; it runs synchronously, so no two queries ever share one at a time.
 */
import type { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';

type AdapterFactory = Pick<PrismaBetterSqlite3, 'provider' | 'adapterName' | 'connect' | 'connectToShadowDb'>;
type Adapter = Awaited<ReturnType<PrismaBetterSqlite3['connect']>>;

/** Distinct statements kept (least recently used dropped first); `IN (?, …)` lists make one per list length. */
const MAX_STATEMENTS = 500;

type Args = unknown[];

/** What the adapter calls on `prepare(sql)` and on its `.bind(args)` (@prisma/adapter-better-sqlite3 7.10). */
interface AdapterStatement {
  readonly reader: boolean;
  run(): BetterSqlite3.RunResult;
  columns(): BetterSqlite3.ColumnDefinition[];
  raw(): { all(): unknown[] };
}

/** The connection as the adapter sees it: `prepare` answers from the kept statements, the rest is the connection. */
export function withStatementCache(db: BetterSqlite3.Database): BetterSqlite3.Database {
  const kept = new Map<string, BetterSqlite3.Statement<Args>>();
  const statementFor = (sql: string) => {
    const statement = kept.get(sql) ?? db.prepare<Args>(sql);
    // Taken out and put back, so the most recently used are last and the first key is the one to drop.
    kept.delete(sql);
    kept.set(sql, statement);
    if (kept.size > MAX_STATEMENTS) kept.delete(kept.keys().next().value!);
    return statement;
  };
  const bound = (statement: BetterSqlite3.Statement<Args>, args: Args): AdapterStatement => ({
    reader: statement.reader,
    run: () => statement.run(...args),
    columns: () => statement.columns(),
    raw: () => ({ all: () => statement.raw(true).all(...args) }),
  });
  const prepare = (sql: string) => {
    const statement = statementFor(sql);
    return { ...bound(statement, []), bind: (args: Args) => bound(statement, args) };
  };
  return new Proxy(db, {
    get(target, property): unknown {
      if (property === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The adapter factory with the statement cache on each connection it opens. It relies on the adapter keeping its
 * connection in `client` (7.10 does); an adapter without one is used as it is.
 */
export function cachingStatements(factory: AdapterFactory): AdapterFactory {
  const wrap = async (connecting: Promise<Adapter>) => {
    const adapter = (await connecting) as Adapter & { client?: BetterSqlite3.Database };
    if (typeof adapter.client?.prepare === 'function') adapter.client = withStatementCache(adapter.client);
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => wrap(factory.connect()),
    connectToShadowDb: () => wrap(factory.connectToShadowDb()),
  };
}

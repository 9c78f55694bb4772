/** The SQLite connection's kept statements (db/sqlite-statements.ts): reused, with each call's own arguments. */
import Database from 'better-sqlite3';
import { withStatementCache } from '../../db/sqlite-statements';

function openDb() {
  const db = new Database(':memory:');
  db.defaultSafeIntegers(true);
  db.exec('CREATE TABLE item (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, quantity INTEGER NOT NULL)');
  const prepared: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = (sql: string) => {
    prepared.push(sql);
    return prepare(sql);
  };
  return { db, prepared, cached: withStatementCache(db) };
}

// What @prisma/adapter-better-sqlite3 7.10 does with a connection: prepare(sql).bind(args), then run or raw().all().
const write = (db: Database.Database, sql: string, args: unknown[]) =>
  (db.prepare(sql) as unknown as { bind(a: unknown[]): { run(): Database.RunResult } }).bind(args).run();
const read = (db: Database.Database, sql: string, args: unknown[]) => {
  const statement = (
    db.prepare(sql) as unknown as {
      bind(a: unknown[]): { reader: boolean; columns(): { name: string }[]; raw(): { all(): unknown[][] } };
    }
  ).bind(args);
  return { reader: statement.reader, columns: statement.columns().map((c) => c.name), rows: statement.raw().all() };
};

describe('kept SQLite statements', () => {
  test('a query run again with other arguments is prepared once and answers for its own arguments', () => {
    const { cached, prepared } = openDb();
    const insert = 'INSERT INTO item (sku, quantity) VALUES (?, ?)';
    for (let i = 1; i <= 50; i++) write(cached, insert, [`SKU-${i}`, i]);
    const select = 'SELECT sku, quantity FROM item WHERE quantity >= ? ORDER BY quantity';
    expect(read(cached, select, [49])).toEqual({
      reader: true,
      columns: ['sku', 'quantity'],
      rows: [
        ['SKU-49', 49n],
        ['SKU-50', 50n],
      ],
    });
    expect(read(cached, select, [50]).rows).toEqual([['SKU-50', 50n]]);
    expect(prepared.filter((sql) => sql === insert)).toHaveLength(1);
    expect(prepared.filter((sql) => sql === select)).toHaveLength(1);
  });

  test('a failing statement fails as it would unkept, and the next call with good arguments works', () => {
    const { cached } = openDb();
    const insert = 'INSERT INTO item (sku, quantity) VALUES (?, ?)';
    write(cached, insert, ['SKU-1', 1]);
    expect(() => write(cached, insert, ['SKU-1', 2])).toThrow(/UNIQUE constraint failed/);
    expect(write(cached, insert, ['SKU-2', 2]).changes).toBe(1);
    expect(read(cached, 'SELECT count(*) AS n FROM item', []).rows).toEqual([[2n]]);
  });

  test('beyond 500 distinct statements the least recently used is prepared again; the rest of the connection is the same', () => {
    const { cached, prepared } = openDb();
    const first = 'SELECT 0 AS n';
    read(cached, first, []);
    for (let i = 1; i <= 500; i++) read(cached, `SELECT ${i} AS n`, []);
    read(cached, first, []);
    expect(prepared.filter((sql) => sql === first)).toHaveLength(2);
    cached.exec("INSERT INTO item (sku, quantity) VALUES ('SKU-X', 1)");
    expect(cached.inTransaction).toBe(false);
    expect(read(cached, 'SELECT sku FROM item', []).rows).toEqual([['SKU-X']]);
  });
});

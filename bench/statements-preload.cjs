/**
 * `npm run bench`: loaded into the worker and the API through NODE_OPTIONS, it counts the SQL statements each runs,
 * by kind (SELECT, INSERT, UPDATE, DELETE, BEGIN/COMMIT/ROLLBACK, other), where the drivers execute them:
 * better-sqlite3's statements and `exec`, and pg's `Client.query`. Every 500 ms it writes the running totals to
 * `<OMS_BENCH_STATEMENTS_DIR>/<role>-<pid>.json`; the bench reads them before and after a scenario.
 */
const { isMainThread } = require('node:worker_threads');

const role = ['api', 'worker'].find((name) => process.argv.some((arg) => arg.includes(`${name}/main`)));
const dir = process.env.OMS_BENCH_STATEMENTS_DIR;

if (role && dir && isMainThread) {
  const fs = require('node:fs');
  const path = require('node:path');
  const counts = { total: 0, select: 0, insert: 0, update: 0, delete: 0, transaction: 0, other: 0 };
  const count = (sql) => {
    counts.total++;
    const verb = /^\s*(\w+)/.exec(typeof sql === 'string' ? sql : '')?.[1]?.toLowerCase();
    if (verb === 'select' || verb === 'with') counts.select++;
    else if (verb === 'insert' || verb === 'update' || verb === 'delete') counts[verb]++;
    else if (['begin', 'commit', 'rollback', 'savepoint', 'release'].includes(verb)) counts.transaction++;
    else counts.other++;
  };
  const resolveFrom = (name) => {
    for (const base of [process.cwd(), __dirname]) {
      try {
        return require(require.resolve(name, { paths: [base] }));
      } catch {
        // not there
      }
    }
    return undefined;
  };

  const Database = resolveFrom('better-sqlite3');
  if (Database) {
    const patched = new WeakSet();
    const prepare = Database.prototype.prepare;
    Database.prototype.prepare = function (...args) {
      const statement = prepare.apply(this, args);
      const proto = Object.getPrototypeOf(statement);
      if (!patched.has(proto)) {
        patched.add(proto);
        for (const method of ['run', 'get', 'all', 'iterate']) {
          const original = proto[method];
          proto[method] = function (...params) {
            count(this.source);
            return original.apply(this, params);
          };
        }
      }
      return statement;
    };
    const exec = Database.prototype.exec;
    Database.prototype.exec = function (sql) {
      count(sql);
      return exec.call(this, sql);
    };
  }
  const pg = resolveFrom('pg');
  if (pg) {
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (config, ...rest) {
      count(typeof config === 'string' ? config : config?.text);
      return query.call(this, config, ...rest);
    };
  }

  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${role}-${process.pid}.json`);
  const write = () => fs.writeFileSync(file, JSON.stringify({ role, pid: process.pid, at: Date.now(), ...counts }));
  write();
  setInterval(write, 500).unref();
}

/**
 * docs/configuration.md against the code. Its one table lists variables in the first column, in backticks. Checked:
 * - every variable the configuration schema reads (CONFIG_VARIABLES, lib/config.ts) is in the table;
 * - every variable in the table is read: by that schema, or directly (`process.env.<NAME>`) by a tool, script or
 *   test, found by scanning the repository's code;
 * - every variable the code reads directly is in the table, unless it is one of NOT_OURS below.
 * Reads through another name (a copied env object, `env.<NAME>`) are not found by the scan: keep them in the schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES, ROOT_DIR } from '../../lib/config';

/** Read directly by our code, but not settings of Shop OMS: no row for them in the table. */
const NOT_OURS = new Set([
  'PATH', // where `temporal` and `go` are looked for (scripts/temporal-cli.ts)
  'XDG_CACHE_HOME', // the base of OMS_TOOLS_DIR's default
  'CGO_ENABLED', // passed on to `go install`, 0 unless set
  'NODE_OPTIONS', // extended by the bench for its profiler
  'PRISMA_SCHEMA_ENGINE_BINARY', // Prisma's own: any existing file for `prisma generate` offline (scripts/ensure-deps.js)
  'PRISMA_QUERY_ENGINE_LIBRARY', // Prisma's own: keeps the pinned Prisma 6 differ from downloading an engine
  'OMS_TEST_POSTGRES', // set by test/support/global-setup.ts for the suites it starts, never by a person
  'JEST_WORKER_ID', // jest's own: which worker runs a suite, so test systems draw ports from their own slice
  'OMS_BENCH_PROFILE_DIR', // set by bench/run.ts for the processes it profiles, never by a person
  'OMS_BENCH_LOOP_DIR', // set by bench/run.ts for the API's event-loop figures (bench/loop-preload.cjs), likewise
  'OMS_BENCH_STATEMENTS_DIR', // set by bench/run.ts for the SQL statement counts (bench/statements-preload.cjs), likewise
]);

const VARIABLE = /^[A-Z][A-Z0-9_]*$/;
const SKIP_DIRS = new Set(['node_modules', 'generated', 'data', 'dist', 'coverage', 'docs', '.git']);
const CODE = /\.(ts|js|cjs|mjs)$/;

/** The table's first-column names; fails on anything that is not one table, or on a cell that is not a full name. */
function documentedVariables(markdown: string): string[] {
  const lines = markdown.split('\n');
  const tables: string[][] = [];
  lines.forEach((line, i) => {
    const isRow = line.trimStart().startsWith('|');
    const continues = i > 0 && lines[i - 1].trimStart().startsWith('|');
    if (isRow && !continues) tables.push([]);
    if (isRow) tables[tables.length - 1].push(line);
  });
  if (tables.length !== 1) throw new Error(`expected one table, found ${tables.length}`);
  const [header, separator, ...rows] = tables[0];
  if (header.split('|')[1].trim() !== 'variable' || !/^\|[\s:|-]+\|$/.test(separator ?? '')) {
    throw new Error(`expected a table whose first column is "variable", got ${header}`);
  }
  const names = rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([^`]*)`/g)].map((m) => m[1]));
  // Each name written out in full (no `_BACKORDER` standing for OMS_SLA_BACKORDER), so the list can be checked.
  const partial = names.filter((name) => !VARIABLE.test(name));
  if (partial.length > 0) throw new Error(`not a variable name in the first column: ${partial.join(', ')}`);
  return names;
}

/** Every `process.env.<NAME>` (or `process.env['<NAME>']`) in the repository's code, with the files reading it. */
function variablesReadDirectly(): Map<string, string[]> {
  const reads = new Map<string, string[]>();
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) visit(file);
      } else if (CODE.test(entry.name) && file !== __filename) {
        const text = fs.readFileSync(file, 'utf8');
        for (const m of text.matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g)) {
          const name = m[1] ?? m[2];
          reads.set(name, [...(reads.get(name) ?? []), path.relative(ROOT_DIR, file)]);
        }
      }
    }
  };
  visit(ROOT_DIR);
  return reads;
}

describe('docs/configuration.md', () => {
  let documented: string[];
  let readDirectly: Map<string, string[]>;
  beforeAll(() => {
    documented = documentedVariables(fs.readFileSync(path.join(ROOT_DIR, 'docs', 'configuration.md'), 'utf8'));
    readDirectly = variablesReadDirectly();
  });

  test('lists every variable the configuration schema reads', () => {
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(30);
    expect(CONFIG_VARIABLES.filter((name) => !documented.includes(name))).toEqual([]);
  });

  test('lists only variables something reads', () => {
    const schema: readonly string[] = CONFIG_VARIABLES;
    expect(documented.filter((name) => !schema.includes(name) && !readDirectly.has(name))).toEqual([]);
  });

  test('lists every variable the code reads directly, except those that are not settings of ours', () => {
    const missing = [...readDirectly]
      .filter(([name]) => !documented.includes(name) && !NOT_OURS.has(name))
      .map(([name, files]) => `${name} (${files.join(', ')})`);
    expect(missing).toEqual([]);
  });

  test('lists each variable once', () => {
    expect(documented.filter((name, i) => documented.indexOf(name) !== i)).toEqual([]);
  });
});

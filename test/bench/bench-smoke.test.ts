/**
 * The benchmark's quick mode (npm run bench -- --quick) on SQLite: every scenario runs, the hot SKU allocates
 * exactly the stock there is, a burst loses nothing, the orders taken while the worker was stopped are all
 * processed once it continues, the console's screens load in the browser over the seeded orders, and a product CSV
 * import is stored whole while the health check answers, with the API's event-loop figures read back, and a
 * 50-line basket is priced against 200 promotions in process and through the API. Profiled
 * (--profile), so the profiles' summaries are checked too. Leaves docs/benchmarks.md alone (--out).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** What of the bench's result file (bench/run.ts) this test reads, per database run. */
interface QuickRun {
  database: string;
  errors: Record<string, unknown>;
  checks: { ok: boolean }[];
  scenarios: {
    lifecycle: { orders: number; ratio: number; statuses: Record<string, number> };
    hot: {
      orders: number;
      stock: number;
      reserved: number;
      ledgerConsistent: boolean;
      statuses: Record<string, number>;
    };
    burst: { sent: number; accepted: number; serverErrors: number; ordersInDatabase: number };
    intake: {
      steps: unknown[];
      workerPaused: { requests: number; ok2xx: number; settleSeconds: number | null };
    };
    staff: { orders: number; approveMs: { count: number } };
    open: { points: { worker: { rssMiB: number } }[] };
    console: {
      orders: number;
      ordersInDatabase: number;
      loads: number;
      todayMs: { count: number; p50: number };
      ordersListMs: { count: number };
      api: { summaryMs: { count: number } };
      assets: { rawBytes: number; gzipBytes: number };
    };
    pricing: { iterations: number; engineUs: { count: number; p50: number }; quoteMs: { count: number } };
    import: {
      rows: number;
      status: number;
      variantsInDatabase: number;
      health: { count: number };
      healthNot200: number;
      apiLoop: { maxMs: number; samples: number } | null;
    };
  };
  profiles: Record<string, { busySeconds: number; areas: { name: string }[] }>;
}

test('npm run bench -- --quick on SQLite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-bench-'));
  const out = path.join(dir, 'quick.json');
  try {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--quick', '--db', 'sqlite', '--profile', '--out', out],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 290_000,
      },
    );
    if (run.status !== 0) throw new Error(`bench exited with ${run.status}:\n${run.stdout}\n${run.stderr}`);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { runs: QuickRun[] };
    expect(result.runs).toHaveLength(1);
    const [sqlite] = result.runs;
    expect(sqlite.database).toBe('sqlite');
    expect(sqlite.errors).toEqual({});
    expect(Object.keys(sqlite.scenarios).sort()).toEqual([
      'burst',
      'console',
      'hot',
      'import',
      'intake',
      'lifecycle',
      'open',
      'pricing',
      'staff',
    ]);
    expect(sqlite.checks.filter((c) => !c.ok)).toEqual([]);

    const {
      lifecycle,
      hot,
      burst,
      intake,
      staff,
      open,
      console: staffConsole,
      import: csvImport,
      pricing,
    } = sqlite.scenarios;
    expect(lifecycle.statuses.COMPLETED).toBe(lifecycle.orders);
    expect(lifecycle.ratio).toBeGreaterThan(0);
    expect(hot.reserved).toBe(hot.stock);
    expect(hot.statuses.PICKING).toBe(hot.stock);
    expect(hot.statuses.BACKORDERED).toBe(hot.orders - hot.stock);
    expect(hot.ledgerConsistent).toBe(true);
    expect(burst.accepted).toBe(burst.sent);
    expect(burst.serverErrors).toBe(0);
    expect(burst.ordersInDatabase).toBe(burst.sent);
    expect(intake.steps.length).toBeGreaterThan(0);
    expect(intake.workerPaused.ok2xx).toBe(intake.workerPaused.requests);
    expect(intake.workerPaused.settleSeconds).not.toBeNull();
    expect(staff.approveMs.count).toBe(staff.orders);
    expect(open.points[0].worker.rssMiB).toBeGreaterThan(0);
    // The console's screens loaded in the browser with the seeded orders (the 1 s goal is checked in full runs only).
    expect(staffConsole.ordersInDatabase).toBeGreaterThanOrEqual(staffConsole.orders);
    expect(staffConsole.todayMs.count).toBe(staffConsole.loads);
    expect(staffConsole.todayMs.p50).toBeGreaterThan(0);
    expect(staffConsole.ordersListMs.count).toBe(staffConsole.loads);
    expect(staffConsole.api.summaryMs.count).toBeGreaterThan(0);
    expect(staffConsole.assets.gzipBytes).toBeGreaterThan(0);
    expect(staffConsole.assets.rawBytes).toBeGreaterThan(staffConsole.assets.gzipBytes);

    // The quick import (2,000 rows): stored whole, the health check answered throughout, and the API's own event-loop
    // figures came back from its preload (the 50 ms goal is read from full runs, bench/report.ts).
    expect(csvImport.status).toBe(200);
    expect(csvImport.variantsInDatabase).toBe(csvImport.rows);
    expect(csvImport.health.count).toBeGreaterThan(0);
    expect(csvImport.healthNot200).toBe(0);
    expect(csvImport.apiLoop?.samples).toBeGreaterThan(0);
    expect(csvImport.apiLoop?.maxMs).toBeGreaterThan(0);

    // Every basket priced, in process and through the API (the 5 ms goal is read from full runs).
    expect(pricing.engineUs.count).toBe(pricing.iterations);
    expect(pricing.engineUs.p50).toBeGreaterThan(0);
    expect(pricing.quoteMs.count).toBeGreaterThan(0);

    const profiles = Object.entries(sqlite.profiles);
    expect(profiles.map(([file]) => file.split('-')[0]).sort()).toEqual(['api', 'worker']);
    for (const [, summary] of profiles) {
      expect(summary.busySeconds).toBeGreaterThan(0);
      expect(summary.areas.map((a) => a.name)).toContain('@prisma/client');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);

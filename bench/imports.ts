/**
 * 8. A large product CSV import with the health check alongside (issue 19, finding 5): a file of N product rows
 * (test/support/product-csv.ts, four sizes per product) POSTed to /api/products/import while GET /api/health is
 * sent every 20 ms, on a fixed schedule (a slow answer does not delay the next request, so its latency counts in
 * full). The API process measures its own event loop (bench/loop-preload.cjs), bracketing the import with two
 * SIGUSR2 signals. Before it, the same probes run for a few seconds without an import: on a shared machine the
 * scheduler alone holds a process for tens of milliseconds now and then, and that window shows how much. The stack
 * runs with OMS_CSV_MAX_ROWS raised to N (bench/run.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { productsFile } from '../test/support/product-csv';
import { summarize } from './stats';
import type { ImportResult, LoopStats } from './result';
import { check, type BenchContext } from './scenarios';
import { cpuMeter, memorySampler, pidOf, round1, sleep } from './support';

/** What the issue asks: the event loop never held longer than about this. */
const GOAL_MS = 50;
const HEALTH_EVERY_MS = 20;
/** Rows of the warm-up import before the measured one (the API's first import compiles its queries). */
const WARM_UP_ROWS = 100;

/** The environment the stack needs for an import of `rows` rows, measured by the loop preload into `loopDir`. */
export function importEnv(rows: number, loopDir: string): Record<string, string> {
  // A row of the generated file is about 70 bytes; twice that leaves room, and 10 MB is the smallest limit anyway.
  const megabytes = Math.max(10, Math.ceil((rows * 140) / 1e6));
  return { OMS_CSV_MAX_ROWS: String(rows), OMS_CSV_MAX_MB: String(megabytes), OMS_BENCH_LOOP_DIR: loopDir };
}

/** Asks the API process for its event-loop figures since the last ask (bench/loop-preload.cjs). */
async function loopSnapshot(ctx: BenchContext, loopDir: string): Promise<LoopStats | null> {
  const pid = pidOf(ctx.system, 'api');
  const ready = path.join(loopDir, 'api-ready.json');
  const out = path.join(loopDir, 'api-loop.json');
  if (!pid || !fs.existsSync(ready) || (JSON.parse(fs.readFileSync(ready, 'utf8')) as { pid: number }).pid !== pid) {
    return null; // no handler in that process: SIGUSR2 would end it
  }
  fs.rmSync(out, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < 10_000; waited += 20) {
    if (fs.existsSync(out)) return JSON.parse(fs.readFileSync(out, 'utf8')) as LoopStats;
    await sleep(20);
  }
  throw new Error('the API did not write its event-loop figures within 10 s');
}

/** GET /api/health every `everyMs` until stopped: each answer's status and latency from when it was due. */
function healthProbe(ctx: BenchContext, everyMs: number) {
  const answers: Promise<{ status: number; ms: number }>[] = [];
  const ask = async () => {
    const started = performance.now();
    try {
      const response = await fetch(`${ctx.system.apiUrl}/api/health`);
      await response.arrayBuffer();
      return { status: response.status, ms: performance.now() - started };
    } catch {
      return { status: 0, ms: performance.now() - started };
    }
  };
  const timer = setInterval(() => answers.push(ask()), everyMs);
  return async () => {
    clearInterval(timer);
    return Promise.all(answers);
  };
}

async function postCsv(ctx: BenchContext, csv: string) {
  const response = await fetch(`${ctx.system.apiUrl}/api/products/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.system.adminKey}`, 'content-type': 'text/csv' },
    body: csv,
  });
  const text = await response.text();
  return { status: response.status, body: text.slice(0, 2_000) };
}

export async function importScenario(
  ctx: BenchContext,
  options: { rows: number; loopDir: string; quietSeconds: number },
): Promise<ImportResult> {
  const { system } = ctx;
  const prefix = `IM${ctx.runId}-`;
  const warmUp = await postCsv(
    ctx,
    productsFile(WARM_UP_ROWS, { prefix: `${prefix}W`, firstBarcode: 68_0000_0000_00 }),
  );
  if (warmUp.status !== 200) throw new Error(`warm-up import: ${warmUp.status} ${warmUp.body}`);
  const csv = productsFile(options.rows, { prefix });
  await sleep(1_000); // let the warm-up's garbage go before the measured windows
  // The same probes without an import first: what this (shared) machine's scheduling alone does to the loop.
  await loopSnapshot(ctx, options.loopDir); // starts the API's window afresh
  const stopQuietHealth = healthProbe(ctx, HEALTH_EVERY_MS);
  await sleep(options.quietSeconds * 1000);
  const quietLoop = await loopSnapshot(ctx, options.loopDir);
  const quietHealth = await stopQuietHealth();
  const cpu = cpuMeter(system, ['api']);
  const memory = memorySampler(system);
  const stopHealth = healthProbe(ctx, HEALTH_EVERY_MS);
  const started = performance.now();
  const answer = await postCsv(ctx, csv);
  const importMs = performance.now() - started;
  const apiLoop = await loopSnapshot(ctx, options.loopDir);
  const health = await stopHealth();
  const peaks = memory();
  const variantsInDatabase = await system.db.productVariant.count({ where: { sku: { startsWith: `${prefix}P` } } });
  const result: ImportResult = {
    rows: options.rows,
    megabytes: round1(Buffer.byteLength(csv) / 1e6),
    status: answer.status,
    answer: answer.body,
    importSeconds: round1(importMs / 1000),
    variantsInDatabase,
    healthEveryMs: HEALTH_EVERY_MS,
    health: summarize(health.map((h) => h.ms)),
    healthNot200: health.filter((h) => h.status !== 200).length,
    apiLoop,
    goalMs: GOAL_MS,
    quiet: {
      seconds: options.quietSeconds,
      health: summarize(quietHealth.map((h) => h.ms)),
      apiLoop: quietLoop,
    },
    apiCpuSeconds: cpu().api,
    apiPeakRssMiB: peaks.apiPeakRssMiB,
  };
  check(ctx, 'import: answered 200', answer.status === 200, `${answer.status} ${answer.body.slice(0, 200)}`);
  check(ctx, 'import: every row stored', variantsInDatabase === options.rows, `${variantsInDatabase}/${options.rows}`);
  check(ctx, 'import: every health check answered 200', result.healthNot200 === 0, `${result.healthNot200} not 200`);
  ctx.log(
    `  ${options.rows} rows (${result.megabytes} MB) in ${result.importSeconds} s; health p50 ${result.health.p50} / p99 ${result.health.p99} / max ${result.health.max} ms (${health.length}); API loop max ${apiLoop?.maxMs ?? '?'} ms, p99 ${apiLoop?.p99Ms ?? '?'} ms (without an import: max ${quietLoop?.maxMs ?? '?'} ms, health max ${result.quiet.health.max} ms)`,
  );
  return result;
}

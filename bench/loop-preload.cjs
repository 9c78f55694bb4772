/**
 * `npm run bench -- --only import`: loaded into the stack's processes through NODE_OPTIONS. In the API's main thread
 * it measures how long the event loop is held (perf_hooks.monitorEventLoopDelay, 10 ms resolution). It writes
 * `<OMS_BENCH_LOOP_DIR>/api-ready.json` once it listens for SIGUSR2; each SIGUSR2 then writes what the loop did since
 * the last one (or since the start) to `api-loop.json` and starts again, so the bench brackets the import with two
 * signals. A signal needs that ready file first: without a handler, SIGUSR2 ends a Node process.
 */
const { isMainThread } = require('node:worker_threads');

const role = process.argv.some((arg) => arg.includes('api/main')) ? 'api' : undefined;
const dir = process.env.OMS_BENCH_LOOP_DIR;

if (role && dir && isMainThread) {
  const fs = require('node:fs');
  const path = require('node:path');
  const { monitorEventLoopDelay } = require('node:perf_hooks');
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let since = Date.now();
  const ms = (ns) => Math.round(ns / 1e5) / 10;
  process.on('SIGUSR2', () => {
    const now = Date.now();
    const stats = {
      pid: process.pid,
      from: since,
      to: now,
      resolutionMs: 10,
      samples: histogram.count,
      maxMs: ms(histogram.max),
      p50Ms: ms(histogram.percentile(50)),
      p99Ms: ms(histogram.percentile(99)),
      meanMs: ms(histogram.mean),
    };
    histogram.reset();
    since = now;
    fs.writeFileSync(path.join(dir, `${role}-loop.json`), JSON.stringify(stats));
  });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${role}-ready.json`), JSON.stringify({ pid: process.pid }));
}

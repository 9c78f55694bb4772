/**
 * `npm run bench -- --profile`: loaded into every process of the stack through NODE_OPTIONS (`--cpu-prof` is not
 * allowed there). In the worker and the API it records a V8 CPU profile of the main thread with the inspector and
 * writes it to OMS_BENCH_PROFILE_DIR when the process exits (both exit after SIGTERM). Workflow code runs in the
 * worker's workflow threads, which are not profiled; bench/profile.ts summarises the files.
 */
const { isMainThread } = require('node:worker_threads');

const role = ['worker', 'api'].find((name) => process.argv.some((arg) => arg.includes(`${name}/main`)));
const dir = process.env.OMS_BENCH_PROFILE_DIR;

if (role && dir && isMainThread) {
  const fs = require('node:fs');
  const path = require('node:path');
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 }); // microseconds
  session.post('Profiler.start');
  process.on('exit', () => {
    // An in-process session answers synchronously, so this runs to the end inside the exit handler.
    session.post('Profiler.stop', (err, result) => {
      if (err) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${role}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}

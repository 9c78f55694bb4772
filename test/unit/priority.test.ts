/**
 * OMS_WORKER_NICE lowers every thread of the process, not only the one that asks: on Linux a priority belongs to a
 * thread, and V8's and libuv's helper threads are running before the worker's code starts.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The nice value of each thread of a process that lowered itself to 7, read back from /proc by that process. */
function threadNicesAfterLowering(): number[] {
  const script = `
    require(${JSON.stringify(path.join(__dirname, '..', '..', 'lib', 'priority.ts'))}).lowerPriority(7);
    const fs = require('node:fs');
    const nices = fs.readdirSync('/proc/self/task').map((t) =>
      Number(fs.readFileSync('/proc/self/task/' + t + '/stat', 'utf8').split(') ')[1].split(' ')[16]));
    process.stdout.write(JSON.stringify(nices));
  `;
  return JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' }),
  ) as number[];
}

const onLinux = process.platform === 'linux' ? test : test.skip;

onLinux('lowering the priority lowers every thread the process has', () => {
  const nices = threadNicesAfterLowering();
  expect(nices.length).toBeGreaterThan(1);
  expect(new Set(nices)).toEqual(new Set([7]));
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../../lib/config';
import { crashPointInterceptors, faultMarkerFile } from '../../lib/faults';

/** Runs a small program that passes two crash points, in a process of its own (a fired point kills it). */
function runThroughCrashPoints(env: Record<string, string>) {
  const program = [
    "const { crashPoint } = require('./lib/faults');",
    "crashPoint('not-armed');",
    "console.log('before');",
    "crashPoint('after:bookShipment', { orderNumber: 'SO-1' });",
    "console.log('after');",
  ].join('\n');
  const { OMS_FAULT_CRASH_AT: _a, OMS_FAULT_DIR: _d, ...inherited } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', program], {
    cwd: ROOT_DIR,
    env: { ...inherited, ...env },
    encoding: 'utf8',
  });
}

describe('crash points (test-only fault injection)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-faults-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('an armed point kills its process once, leaves a marker saying where, and lets the restarted one go on', () => {
    const env = { OMS_FAULT_CRASH_AT: 'intake-persisted, after:bookShipment', OMS_FAULT_DIR: dir };
    const first = runThroughCrashPoints(env);
    expect(first.signal).toBe('SIGKILL');
    expect(first.stdout.trim()).toBe('before');
    const marker: unknown = JSON.parse(fs.readFileSync(faultMarkerFile(dir, 'after:bookShipment'), 'utf8'));
    expect(marker).toMatchObject({ point: 'after:bookShipment', orderNumber: 'SO-1', pid: first.pid });

    const second = runThroughCrashPoints(env);
    expect(second.status).toBe(0);
    expect(second.stdout.trim().split('\n')).toEqual(['before', 'after']);
  }, 30_000);

  test('off unless configured: no crash, no marker, no interceptor', () => {
    const run = runThroughCrashPoints({});
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(['before', 'after']);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(crashPointInterceptors()).toEqual([]);
  }, 30_000);

  test('a crash point list without a folder for the markers is refused', () => {
    const run = runThroughCrashPoints({ OMS_FAULT_CRASH_AT: 'after:bookShipment' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('OMS_FAULT_CRASH_AT is set but OMS_FAULT_DIR is not');
  }, 30_000);
});

/**
 * Test-only fault injection (off unless configured). `crashPoint(name)` kills its own process on the spot with
 * SIGKILL, as a power cut or the OOM killer would, when OMS_FAULT_CRASH_AT (a comma list) names the point and
 * OMS_FAULT_DIR holds no marker file for it yet. The marker is written first, so each point fires once and the
 * restarted process carries on; a test re-arms a point by deleting its marker. The fault suites
 * (test/e2e/faults-*.e2e.test.ts, docs/reliability.md) use it to crash at each boundary of an order.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

interface FaultSettings {
  points: Set<string>;
  dir: string;
}

let settings: FaultSettings | null | undefined;

/** Read once per process, on first use: the settings of the process's start apply to its whole life. */
function faultSettings(): FaultSettings | null {
  if (settings !== undefined) return settings;
  const points = new Set(
    (process.env.OMS_FAULT_CRASH_AT ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  );
  const dir = process.env.OMS_FAULT_DIR;
  if (points.size > 0 && !dir) throw new Error('OMS_FAULT_CRASH_AT is set but OMS_FAULT_DIR is not');
  settings = points.size > 0 && dir ? { points, dir } : null;
  return settings;
}

/** The marker file of a point (names such as `after:bookShipment` are kept readable, only `/` is replaced). */
export function faultMarkerFile(dir: string, point: string): string {
  return path.join(dir, `${point.replace(/[/\\]/g, '_')}.json`);
}

/**
 * Dies here (SIGKILL to itself) when the point is armed; `detail` goes into the marker, so a test can tell which
 * order or activity went through the crash. Does nothing, at the cost of one Set lookup, when not configured.
 */
export function crashPoint(name: string, detail: Record<string, unknown> = {}): void {
  const active = faultSettings();
  if (!active || !active.points.has(name)) return;
  const marker = faultMarkerFile(active.dir, name);
  try {
    // `wx`: of two calls racing in one process, one writes the marker and kills; the other finds it and goes on.
    fs.writeFileSync(
      marker,
      JSON.stringify({ point: name, pid: process.pid, at: new Date().toISOString(), ...detail }),
      { flag: 'wx' },
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw err;
  }
  process.kill(process.pid, 'SIGKILL');
}

/**
 * Crash points around every activity, local ones included (the worker runs both through the same interceptors):
 * `before:<activityType>` before it runs, and `after:<activityType>` once it has succeeded but before its result
 * reaches Temporal. That is the worst moment, since the effect happened and the retry must not repeat it.
 * Empty unless crash points are configured, so a normal worker has no interceptor at all.
 */
export function crashPointInterceptors(): ActivityInterceptorsFactory[] {
  if (!faultSettings()) return [];
  return [
    (ctx) => ({
      inbound: {
        async execute(input, next) {
          const { activityType, attempt, isLocal, workflowExecution } = ctx.info;
          const detail = { activityType, attempt, local: isLocal, workflowId: workflowExecution?.workflowId };
          crashPoint(`before:${activityType}`, detail);
          const result = await next(input);
          crashPoint(`after:${activityType}`, detail);
          return result;
        },
      },
    }),
  ];
}

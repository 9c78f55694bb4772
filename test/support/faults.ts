/**
 * Helpers for the fault suites (test/e2e/faults-*.e2e.test.ts): a supervisor that restarts the worker and the API
 * whenever they die (and counts it), the crash points' markers, the local carrier's and the payment stand-in's own
 * records, an audit of one order for losses and duplicates, and the summary that docs/reliability.md is made from.
 */
import { matching } from './matchers';
import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../../lib/config';
import type { ManagedProcess } from '../../scripts/stack';
import { faultMarkerFile } from '../../lib/faults';
import { readLocalRefunds } from '../../payments/local';
import type { FaultResult, SuiteSummary } from '../../scripts/reliability-report';
import { emailsTo, eventually, type TestSystem } from './system';
import type { Db } from '../../db/client';
import { orderWorkflowId } from '../../domain/order-number';
import type { Health } from './api';
import { getOrder, pickEverything, pickList, placeOrder, reachStatus, type OrderBody } from './orders';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function processOf(system: TestSystem, name: string): ManagedProcess {
  const found = system.stack.processes.find((p) => p.name === name);
  if (!found) throw new Error(`no ${name} process in the stack`);
  return found;
}

export interface Crash {
  name: string;
  signal: string | null;
  code: number | null;
  at: number;
}

/**
 * Restarts the named processes whenever they exit on their own (as systemd or Kubernetes would), and counts it.
 * Stop it before stopping the stack.
 */
export function superviseCrashes(system: TestSystem, names: string[]) {
  const crashes: Crash[] = [];
  let active = true;
  const watch = (managed: ManagedProcess) => {
    managed.child.once('exit', (code, signal) => {
      if (!active) return;
      crashes.push({ name: managed.name, signal, code, at: Date.now() });
      // A short pause, so a process that cannot start (its dependency down) does not spin.
      setTimeout(() => {
        if (active) watch(managed.relaunch());
      }, 500);
    });
  };
  for (const name of names) watch(processOf(system, name));
  return {
    crashes,
    count: (name: string) => crashes.filter((c) => c.name === name).length,
    stop: () => {
      active = false;
    },
  };
}

/** Waits until the API answers at all (any HTTP status), e.g. after it was restarted. */
export const apiAnswers = (system: TestSystem, timeoutMs = 60_000) =>
  eventually(
    'the API to answer',
    async () => {
      await fetch(`${system.apiUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
      return true;
    },
    timeoutMs,
    250,
  );

/** Resolves with the time the API reports Temporal reachable again (its health check), e.g. after a restart. */
export const temporalAnswersAgain = (system: TestSystem, timeoutMs = 90_000) =>
  eventually(
    'Temporal to answer again',
    async () =>
      (await system.api<Health | undefined>('GET', '/api/health')).body?.temporal?.ok ? Date.now() : undefined,
    timeoutMs,
    100,
  );

/** The API's log lines for errors it answered with a 500 (its log file, written by scripts/stack.ts). */
export function unhandledApiErrors(system: TestSystem): string[] {
  const log = path.join(system.dataDir, 'logs', 'api.log');
  if (!fs.existsSync(log)) return [];
  return fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line.includes('unhandled API error'));
}

// ---- crash points ------------------------------------------------------------------------------------------

/** What a fired crash point wrote: where it fired (an order number, or the activity and its workflow). */
export interface FiredMarker {
  point: string;
  pid: number;
  at: string;
  orderNumber?: string;
  activityType?: string;
  workflowId?: string;
  attempt?: number;
  local?: boolean;
}

export function firedMarker(dir: string, point: string): FiredMarker | undefined {
  const file = faultMarkerFile(dir, point);
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  return text ? (JSON.parse(text) as FiredMarker) : undefined;
}

/** Arms `points`: each fires the next time a process passes it (and then not again until armed anew). */
export function arm(dir: string, points: string[]): void {
  for (const point of points) fs.rmSync(faultMarkerFile(dir, point), { force: true });
}

/** Makes sure none of `points` fires any more (an empty marker counts as fired; see lib/faults.ts). */
export function disarm(dir: string, points: string[]): void {
  for (const point of points) {
    const file = faultMarkerFile(dir, point);
    if (!fs.existsSync(file)) fs.writeFileSync(file, '');
  }
}

// ---- the carrier's and the payment provider's own records -----------------------------------------------------

export interface CarrierBooking {
  trackingNumber: string;
  idempotencyKey: string;
  requests?: number;
  events: { status: string; sent: boolean }[];
}

/** The bookings the local carrier holds for an order (its reference), as the carrier itself counts them. */
export async function carrierBookings(system: TestSystem, orderNumber: string): Promise<CarrierBooking[]> {
  const response = await fetch(`${system.carrierUrl}/v1/shipments?reference=${encodeURIComponent(orderNumber)}`, {
    headers: system.carrierTestHeaders,
  });
  if (!response.ok) throw new Error(`GET carrier bookings of ${orderNumber}: ${response.status}`);
  return ((await response.json()) as { shipments: CarrierBooking[] }).shipments;
}

export async function setCarrierFault(system: TestSystem, bookings: 'none' | 'error' | 'timeout'): Promise<void> {
  const response = await fetch(`${system.carrierUrl}/v1/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...system.carrierTestHeaders },
    body: JSON.stringify({ bookings }),
  });
  if (!response.ok) throw new Error(`setting the carrier fault ${bookings}: ${response.status}`);
}

/** Booking requests the carrier has refused with 500 so far (its `error` fault). */
export async function carrierRefusals(system: TestSystem): Promise<number> {
  const response = await fetch(`${system.carrierUrl}/v1/faults`, { headers: system.carrierTestHeaders });
  return ((await response.json()) as { refused: number }).refused;
}

/** The refunds the local payment provider paid for an order (its record in the worker's data folder). */
export const providerRefunds = (system: TestSystem, orderNumber: string) =>
  readLocalRefunds(path.join(system.dataDir, 'local-payments.jsonl')).filter((r) => r.orderNumber === orderNumber);

// ---- one order, audited --------------------------------------------------------------------------------------

export interface OrderAudit {
  orderNumber: string;
  status: string;
  lines: number;
  /** Ledger RESERVE movements and allocation rows for the order. */
  reserveMovements: number;
  allocations: number;
  /** Shipment rows in the database, bookings the carrier holds, and booking requests it received (retries too). */
  shipments: number;
  bookings: number;
  bookingRequests: number;
  /** The customer's emails about this order, by subject, as MailDev received them. */
  emails: Record<string, number>;
  refunds: number;
  providerRefunds: number;
}

/**
 * Everything a duplicate could show up in, counted where the effect lands: the ledger, the carrier, the mailbox,
 * the payment provider. Read with `db` (a connection of the test's own, so it works whatever the app's path does).
 */
export async function auditOrder(
  system: TestSystem,
  db: Db,
  orderNumber: string,
  customerEmail: string,
): Promise<OrderAudit> {
  const order = await db.order.findUniqueOrThrow({
    where: { orderNumber },
    include: { lines: true, allocations: true, shipments: true, refunds: true },
  });
  const reserveMovements = await db.stockMovement.count({ where: { reference: orderNumber, kind: 'RESERVE' } });
  const bookings = await carrierBookings(system, orderNumber);
  const emails: Record<string, number> = {};
  for (const mail of await emailsTo(system.mailUrl, customerEmail)) {
    if (mail.subject.includes(orderNumber)) emails[mail.subject] = (emails[mail.subject] ?? 0) + 1;
  }
  return {
    orderNumber,
    status: order.status,
    lines: order.lines.length,
    reserveMovements,
    allocations: order.allocations.length,
    shipments: order.shipments.length,
    bookings: bookings.length,
    bookingRequests: bookings.reduce((sum, b) => sum + (b.requests ?? 1), 0),
    emails,
    refunds: order.refunds.length,
    providerRefunds: providerRefunds(system, orderNumber).length,
  };
}

/** Each effect that happened more often than once for what it stands for, in words (empty: none doubled). */
export function duplicatesIn(audit: OrderAudit): string[] {
  const found: string[] = [];
  const { orderNumber: n } = audit;
  if (audit.reserveMovements > audit.lines)
    found.push(`${n}: ${audit.reserveMovements} reservations for ${audit.lines} line(s)`);
  if (audit.allocations > audit.lines)
    found.push(`${n}: ${audit.allocations} allocation rows for ${audit.lines} line(s)`);
  if (audit.bookings > audit.shipments)
    found.push(`${n}: ${audit.bookings} carrier bookings for ${audit.shipments} shipment(s)`);
  for (const [subject, count] of Object.entries(audit.emails))
    if (count > 1) found.push(`${n}: "${subject}" sent ${count} times`);
  if (audit.refunds > 1) found.push(`${n}: ${audit.refunds} refunds`);
  if (audit.providerRefunds > 1) found.push(`${n}: the payment provider paid ${audit.providerRefunds} refunds`);
  return found;
}

/** A completed shipped order: one reservation, one booking, one shipment, its three emails once, no refund. */
export const expectCompletedOnce = (audit: OrderAudit) =>
  expect(audit).toEqual({
    orderNumber: audit.orderNumber,
    status: 'COMPLETED',
    lines: 1,
    reserveMovements: 1,
    allocations: 1,
    shipments: 1,
    bookings: 1,
    bookingRequests: matching.any(Number),
    emails: Object.fromEntries(completedSubjects(audit.orderNumber).map((s) => [s, 1])),
    refunds: 0,
    providerRefunds: 0,
  });

/** Subjects of the emails an order in these suites gets: a shipped and completed one, or one cancelled in picking. */
export const completedSubjects = (n: string) => [
  `We have received your order ${n}`,
  `Your order ${n} has been delivered`,
  `Your order ${n} has shipped`,
];
export const cancelledSubjects = (n: string) => [
  `We have received your order ${n}`,
  `Your order ${n} has been cancelled`,
];

// ---- the summary behind docs/reliability.md -------------------------------------------------------------------

/**
 * Collects one result per fault; with RECORD_RELIABILITY=1 `save` writes docs/reliability/<suite>.json and
 * regenerates docs/reliability.md from every suite's file (scripts/reliability-report.ts).
 */
export function reliabilityRecorder(suite: string, description: string) {
  const results: FaultResult[] = [];
  const startedAt = Date.now();
  return {
    /** One fault's line, its counts derived from the orders' audits: lost = not in `expected` at the end. */
    add(fault: { fault: string; injection: string; audits: OrderAudit[]; figures: string; expected?: string }): void {
      const { audits, expected = 'COMPLETED', ...text } = fault;
      results.push({
        fault: text.fault,
        injection: text.injection,
        orders: audits.length,
        lost: audits.filter((a) => a.status !== expected).length,
        duplicates: audits.flatMap(duplicatesIn).length,
        figures: text.figures,
      });
    },
    save(): void {
      if (process.env.RECORD_RELIABILITY !== '1' || results.length === 0) return;
      const dirty = execSync('git status --porcelain --untracked-files=no', { cwd: ROOT_DIR }).toString().trim();
      const summary: SuiteSummary = {
        suite,
        description,
        recordedAt: new Date().toISOString(),
        commit: `${execSync('git rev-parse --short HEAD', { cwd: ROOT_DIR }).toString().trim()}${dirty ? ' (with uncommitted changes)' : ''}`,
        machine: `${os.cpus().length} cores, ${os.platform()}, Node ${process.versions.node}`,
        durationS: Math.round((Date.now() - startedAt) / 1000),
        results,
      };
      const dir = path.join(ROOT_DIR, 'docs', 'reliability');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${suite}.json`), `${JSON.stringify(summary, null, 2)}\n`);
      // In a process of its own: prettier, which formats the page, cannot load inside jest's module sandbox.
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/reliability-report.ts'], { cwd: ROOT_DIR });
    },
  };
}

/**
 * Picks every shipment waiting to be picked, once the order's workflow can answer (the pick list is a query, so it
 * needs a live worker). A pick whose answer was lost is not repeated: the shipment is no longer waiting.
 */
export const pickWhenReady = (system: TestSystem, orderNumber: string, timeoutMs = 60_000) =>
  eventually(
    `${orderNumber} to be picked`,
    async () => {
      const list = await pickList(system, orderNumber);
      if (!list.some((s) => s.phase === 'PICKING')) return list.length > 0 ? true : undefined;
      await pickEverything(system, orderNumber);
      return true;
    },
    timeoutMs,
    500,
  );

// ---- driving orders through the API ---------------------------------------------------------------------------

/** What the fault suites do with orders, through the API as staff would, and the workflow's own view. */
export function orderDriver(system: TestSystem) {
  /** The order's workflow as Temporal has it: COMPLETED only once its emails and records are all done. */
  const workflowStatus = async (orderNumber: string) =>
    (await system.temporal.workflow.getHandle(orderWorkflowId(orderNumber)).describe()).status.name;
  return {
    getOrder: (orderNumber: string) => getOrder(system, orderNumber),
    reachStatus: (orderNumber: string, statuses: string | string[], timeoutMs = 60_000) =>
      reachStatus(system, orderNumber, statuses, timeoutMs, 250),
    placeOrder: (body: OrderBody) => placeOrder(system, body),
    action: (orderNumber: string, name: string, body: unknown = {}) =>
      system.api('POST', `/api/orders/${orderNumber}/${name}`, body),
    /** Waits until the customer has an email about the order whose subject contains `subject`. */
    emailWith: (body: OrderBody, orderNumber: string, subject: string, timeoutMs = 60_000) =>
      eventually(
        `an email "${subject}" to ${body.customer.email}`,
        async () =>
          (await emailsTo(system.mailUrl, body.customer.email)).find(
            (m) => m.subject.includes(orderNumber) && m.subject.includes(subject),
          ),
        timeoutMs,
        500,
      ),
    workflowStatus,
    workflowClosed: (orderNumber: string, timeoutMs = 60_000) =>
      eventually(
        `the workflow of ${orderNumber} to complete`,
        async () => {
          const status = await workflowStatus(orderNumber);
          if (status === 'RUNNING') return undefined;
          if (status !== 'COMPLETED') throw new Error(`the workflow of ${orderNumber} closed as ${status}`);
          return status;
        },
        timeoutMs,
        500,
      ),
  };
}

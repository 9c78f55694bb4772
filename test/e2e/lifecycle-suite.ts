/**
 * The full order lifecycle end to end, on real processes, with short SLAs: review decisions, backorders served
 * first come first served, split shipments, picking by scanning (serials included), delivery exceptions, store
 * pickup, returns and exchanges, cancellation at every stage before shipping, and delay warnings.
 * Each test makes products and stock of its own, so one test's reservations never disturb another's.
 * Shared by the SQLite and PostgreSQL suites.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { signPayload } from '../../carriers/webhook-signature';
import { DelayedStageAttribute, HasWarningAttribute, shipmentWorkflowId } from '../../workflows/definitions';
import { orderWorkflowId } from '../../domain/order-number';
import { withImeiCheckDigit } from '../../inventory/serials';
import {
  carrierWebhookSecret,
  emailsTo,
  eventually,
  startTestSystem,
  type CaughtEmail,
  type TestSystem,
} from '../support/system';
import { recordHistory } from '../replay/record-histories';
import { localPaymentFiles, readLocalRefunds } from '../../payments/local';
import {
  getOrder as getOrderOf,
  newProduct,
  orderBody,
  pickBody,
  pickEverything,
  pickList,
  placeOrder as placeOrderOf,
  reachStatus as reachStatusOf,
  receive,
  stockLevel,
  unique,
  type OrderBody,
  type PickListShipment,
} from '../support/orders';
import type {
  ApiError,
  OrderList,
  ReturnList,
  ReturnRow,
  SerialUnitView,
  StoredOrder,
  WarningList,
  WarningRow,
} from '../support/api';

interface SuiteOptions {
  createDatabase?: () => Promise<string>;
  dropDatabase?: (url: string) => Promise<void>;
  /**
   * With RECORD_HISTORIES=1, save the histories the tests register with `recordAs` for the replay test
   * (test/replay). One runner only (SQLite), so one run writes each file once.
   */
  recordHistories?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Room for a duplicate email to arrive, were one to come. */
const DUPLICATE_GRACE_MS = 1_500;
/** Statuses from SHIPPED on, in the order an order passes them. */
const SHIPPED_OR_LATER = ['SHIPPED', 'DELIVERED', 'AFTER_SALES', 'COMPLETED'];
/** The workflow version the recorded histories stand for: a new version records under a new prefix. */
const HISTORY_VERSION = 'v5';
const HISTORIES_DIR = path.join(__dirname, '../replay/histories');
/** How long the recorder waits for a registered workflow to close. */
const RECORD_WAIT_MS = 60_000;

export function lifecycleSuite(options: SuiteOptions = {}): void {
  let system: TestSystem;
  let databaseUrl: string | undefined;
  /** Workflows whose histories are recorded after the tests (see `recordAs`). */
  const toRecord: { name: string; workflowId: string }[] = [];
  const recording = options.recordHistories === true && process.env.RECORD_HISTORIES === '1';

  beforeAll(async () => {
    databaseUrl = await options.createDatabase?.();
    system = await startTestSystem({
      databaseUrl,
      env: {
        OMS_SLA_REVIEW: '3s',
        OMS_SLA_BACKORDER: '3s',
        OMS_SLA_PICKING: '3s',
        OMS_SLA_PICKUP: '3s',
        OMS_SLA_DELIVERY: '8s',
        OMS_SLA_RETURN: '3s',
        OMS_AFTER_SALES_WINDOW: '20s',
      },
    });
  }, 180_000);

  afterAll(async () => {
    try {
      if (system && recording) await recordRegisteredHistories();
    } finally {
      await system?.stop();
      if (databaseUrl) await options.dropDatabase?.(databaseUrl);
    }
  }, RECORD_WAIT_MS + 90_000);

  // ---- recorded histories (test/replay) -------------------------------------------------------------------

  /**
   * Registers a workflow whose history is saved as `<version>-<name>.json` for the replay test when the suite
   * runs with RECORD_HISTORIES=1. Call it at the end of the test, once the path has been checked.
   */
  const recordAs = (name: string, workflowId: string) => {
    toRecord.push({ name, workflowId });
  };

  /**
   * Waits (up to RECORD_WAIT_MS) for each registered workflow to close and saves it if it completed; an existing
   * file stays as it is.
   */
  async function recordRegisteredHistories(): Promise<void> {
    const deadline = Date.now() + RECORD_WAIT_MS;
    await Promise.all(
      toRecord.map(async ({ name, workflowId }) => {
        const file = path.join(HISTORIES_DIR, `${HISTORY_VERSION}-${name}.json`);
        if (fs.existsSync(file)) {
          console.warn(`Not recording ${workflowId}: ${file} exists, and a recorded history is never replaced`);
          return;
        }
        const handle = system.temporal.workflow.getHandle(workflowId);
        let status = (await handle.describe()).status.name;
        while (status === 'RUNNING' && Date.now() < deadline) {
          await sleep(500);
          status = (await handle.describe()).status.name;
        }
        if (status === 'RUNNING') {
          console.warn(`Not recording ${workflowId} as ${name}: still running after ${RECORD_WAIT_MS / 1000}s`);
          return;
        }
        if (status !== 'COMPLETED') {
          // Failed, terminated, timed out: not the path the test drove.
          console.warn(`Not recording ${workflowId} as ${name}: it closed as ${status}`);
          return;
        }
        await recordHistory(system.temporal, workflowId, file);
      }),
    );
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  const getOrder = (orderNumber: string) => getOrderOf(system, orderNumber);
  const reachStatus = (orderNumber: string, statuses: string | string[], timeoutMs = 30_000) =>
    reachStatusOf(system, orderNumber, statuses, timeoutMs);
  const placeOrder = (body: OrderBody) => placeOrderOf(system, body);

  /** A staff action on the order; the answer's body typed `Body` as the caller expects it (unknown unless said). */
  const action = <Body = unknown>(orderNumber: string, name: string, body: unknown = {}) =>
    system.api<Body>('POST', `/api/orders/${orderNumber}/${name}`, body);

  const pick = <Body = unknown>(orderNumber: string, shipment: number, scans: unknown[]) =>
    system.api<Body>('POST', `/api/orders/${orderNumber}/pick`, { shipment, scans });

  /** The customer's emails whose subject names the order. */
  const customerEmails = async (body: OrderBody, orderNumber: string) =>
    (await emailsTo(system.mailUrl, body.customer.email)).filter((m) => m.subject.includes(orderNumber));

  /** Waits until the customer has an email whose subject contains `subject`, and returns it. */
  const emailWith = (body: OrderBody, orderNumber: string, subject: string) =>
    eventually(`an email "${subject}" to ${body.customer.email}`, async () =>
      (await customerEmails(body, orderNumber)).find((m) => m.subject.includes(subject)),
    );

  const subjectsOf = (emails: CaughtEmail[]) => emails.map((m) => m.subject).sort();

  const searchAttributes = async (orderNumber: string) =>
    (await system.temporal.workflow.getHandle(orderWorkflowId(orderNumber)).describe()).typedSearchAttributes;

  const openWarnings = async (): Promise<WarningRow[]> =>
    (await system.api<WarningList>('GET', '/api/warnings')).body.warnings;

  const openWarning = (orderNumber: string, kind: string, stage?: string, timeoutMs = 20_000) =>
    eventually(
      `an open ${kind}${stage ? ` ${stage}` : ''} warning for ${orderNumber}`,
      async () =>
        (await openWarnings()).find(
          (w) => w.orderNumber === orderNumber && w.kind === kind && (stage === undefined || w.stage === stage),
        ),
      timeoutMs,
    );

  /** No such warning is open any more, and every one that was opened has been cleared (in the database). */
  const warningCleared = (orderNumber: string, kind: string, stage?: string) =>
    eventually(`the ${kind}${stage ? ` ${stage}` : ''} warning for ${orderNumber} to clear`, async () => {
      const open = (await openWarnings()).some(
        (w) => w.orderNumber === orderNumber && w.kind === kind && (stage === undefined || w.stage === stage),
      );
      if (open) return undefined;
      const rows = await system.db.warning.findMany({
        where: { orderNumber, kind, ...(stage ? { stage } : {}) },
      });
      return rows.length > 0 && rows.every((r) => r.clearedAt !== null) ? rows : undefined;
    });

  const flaggedAs = (orderNumber: string, stage: string) =>
    eventually(`HasWarning=true, DelayedStage=${stage} on ${orderNumber}`, async () => {
      const attributes = await searchAttributes(orderNumber);
      return attributes.get(HasWarningAttribute) === true && attributes.get(DelayedStageAttribute) === stage
        ? true
        : undefined;
    });

  const notFlagged = (orderNumber: string) =>
    eventually(`HasWarning=false on ${orderNumber}`, async () => {
      const attributes = await searchAttributes(orderNumber);
      return attributes.get(HasWarningAttribute) === false ? attributes : undefined;
    });

  /** Manager emails about this order (low-stock emails name no order). */
  const managerEmails = async (orderNumber: string) =>
    (await emailsTo(system.mailUrl, system.managerEmail)).filter(
      (m) => m.subject.includes(orderNumber) || m.text.includes(orderNumber),
    );

  /** Each delay warning opened for the order was emailed to the manager once, and no more. */
  const expectOneManagerEmailPerDelayWarning = async (orderNumber: string) => {
    await sleep(DUPLICATE_GRACE_MS);
    const rows = await system.db.warning.findMany({ where: { orderNumber, kind: 'DELAY' } });
    expect(rows.length).toBeGreaterThan(0);
    expect((await managerEmails(orderNumber)).length).toBe(rows.length);
  };

  /**
   * Puts a carrier outcome on the order's next parcel; must be set before the order is picked. EXCEPTION: in
   * transit, then the exception `detail`; STALL: in transit, then the carrier sends nothing more.
   */
  const carrierScenario = async (orderNumber: string, outcome: 'EXCEPTION' | 'STALL', detail?: string) => {
    const response = await fetch(`${system.carrierUrl}/v1/scenarios`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...system.carrierTestHeaders },
      body: JSON.stringify({ reference: orderNumber, outcome, detail }),
    });
    expect(response.ok).toBe(true);
  };

  /** A tracking event as the carrier would post it to the shop's webhook, signed with the carrier's secret. */
  const postCarrierEvent = (event: Record<string, unknown>) => {
    const body = JSON.stringify(event);
    return fetch(`${system.apiUrl}/api/carriers/local/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-carrier-signature': signPayload(carrierWebhookSecret(system), body),
      },
      body,
    });
  };

  const waitForPickList = (orderNumber: string, what: string, accept: (s: PickListShipment) => boolean) =>
    eventually(`the pick list of ${orderNumber} to show ${what}`, async () =>
      (await pickList(system, orderNumber)).find((s) => s.phase === 'PICKING' && accept(s)),
    );

  const refundsOf = (orderNumber: string) =>
    system.db.refund.findMany({ where: { order: { orderNumber } }, orderBy: { id: 'asc' } });

  /** A pickup order at the Nanjing Road store: no shipping address needed. */
  const pickupBody = (sku: string, quantity: number, overrides: Record<string, unknown> = {}) => {
    const body = orderBody(sku, { lines: [{ sku, quantity }], pickupStore: 'ST-NJR', ...overrides });
    delete body.shippingAddress;
    return body;
  };

  /** An order taken all the way to DELIVERED (picked by scanning, carrier delivers). */
  const deliveredOrder = async (sku: string, quantity: number) => {
    const body = orderBody(sku, { lines: [{ sku, quantity }] });
    const orderNumber = await placeOrder(body);
    await reachStatus(orderNumber, 'PICKING');
    await pickEverything(system, orderNumber);
    await reachStatus(orderNumber, 'DELIVERED');
    return { body, orderNumber };
  };

  /** Opens a return; the answer's body typed `Body` as the caller expects it (unknown unless said). */
  const openReturn = <Body = unknown>(orderNumber: string, request: Record<string, unknown>) =>
    system.api<Body>('POST', `/api/orders/${orderNumber}/returns`, { source: 'customer', ...request });

  const returnAction = (returnNumber: string, name: string, body: unknown = {}) =>
    system.api('POST', `/api/returns/${returnNumber}/${name}`, body);

  // ---- 1. the happy path -----------------------------------------------------------------------------------

  test('clean order: picked by scanning the pick list, shipped, delivered, COMPLETED; each email once', async () => {
    const { sku, barcode } = await newProduct(system, { stock: { 'WH-SH': 5 } });
    const body = orderBody(sku, { lines: [{ sku, quantity: 2 }] });
    const orderNumber = await placeOrder(body);
    await reachStatus(orderNumber, 'PICKING');
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 5, reserved: 2, available: 3 });

    const list = await pickList(system, orderNumber);
    expect(list).toEqual([
      expect.objectContaining({
        seq: 1,
        location: 'WH-SH',
        phase: 'PICKING',
        lines: [expect.objectContaining({ lineNo: 1, sku, barcode, quantity: 2, serialised: false })],
      }),
    ]);
    const scans = await pickBody(system, orderNumber);
    expect(scans).toEqual({ shipment: 1, scans: [{ barcode }, { barcode }] });
    expect((await pick(orderNumber, 1, scans.scans)).status).toBe(200);
    const again = await pick<ApiError>(orderNumber, 1, scans.scans);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('WRONG_STATE');

    await reachStatus(orderNumber, SHIPPED_OR_LATER);
    await reachStatus(orderNumber, 'DELIVERED');
    await reachStatus(orderNumber, 'COMPLETED', 45_000); // after the 20s after-sales window

    const order = await getOrder(orderNumber);
    expect(order.shipments).toEqual([
      expect.objectContaining({ seq: 1, status: 'DELIVERED', carrier: 'local', purpose: 'ORDER' }),
    ]);
    expect(order.shipments[0].trackingNumber).toMatch(/^LC\d+CN$/);
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 3, reserved: 0, available: 3 });

    // The timeline shows who picked it, and the statuses it went through.
    const pickEntry = order.timeline.find((e) => e.kind === 'staff' && e.action === 'pick');
    expect(pickEntry).toBeDefined();
    // The actor's name (orders/timeline.ts); an actor object carrying the name would do as well.
    const actor: unknown = pickEntry!.actor;
    const actorName = typeof actor === 'string' ? actor : (actor as { name?: unknown } | null | undefined)?.name;
    expect(actorName).toBe('bootstrap admin');
    const statuses = order.timeline.filter((e) => e.kind === 'status').map((e) => e.status);
    expect(statuses).toEqual(expect.arrayContaining(['PICKING', 'SHIPPED', 'DELIVERED', 'COMPLETED']));

    await eventually('three emails', async () =>
      (await customerEmails(body, orderNumber)).length >= 3 ? true : undefined,
    );
    await sleep(DUPLICATE_GRACE_MS);
    const emails = await customerEmails(body, orderNumber);
    expect(subjectsOf(emails)).toEqual([
      `We have received your order ${orderNumber}`,
      `Your order ${orderNumber} has been delivered`,
      `Your order ${orderNumber} has shipped`,
    ]);
    expect(emails.find((m) => m.subject.includes('shipped'))!.text).toContain(order.shipments[0].trackingNumber);
    recordAs('clean-to-completed', orderWorkflowId(orderNumber));
    recordAs('clean-shipment', shipmentWorkflowId(orderNumber, 1));
  }, 120_000);

  // ---- 2. review decisions ---------------------------------------------------------------------------------

  test('flagged order approved: IN_REVIEW with a needs-attention email, approve → PICKING, audited', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 3 } });
    const body = orderBody(sku, { payment: { status: 'PENDING' } });
    const orderNumber = await placeOrder(body);
    await reachStatus(orderNumber, 'IN_REVIEW');
    await emailWith(body, orderNumber, `We are taking a quick look at your order ${orderNumber}`);
    expect(await stockLevel(system, sku, 'WH-SH')).toMatchObject({ reserved: 0 });

    const approved = await action(orderNumber, 'approve', { note: 'paid by bank transfer' });
    expect(approved.status).toBe(200);
    await reachStatus(orderNumber, 'PICKING');
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 3, reserved: 2, available: 1 });
    expect((await action(orderNumber, 'approve', {})).status).toBe(409);

    const audit = await system.db.auditEvent.findMany({ where: { orderNumber, action: 'approve' } });
    expect(audit).toHaveLength(1);
    expect(audit[0].actor).toMatch(/bootstrap admin/);
    const timeline = (await getOrder(orderNumber)).timeline;
    expect(timeline).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'staff', action: 'approve' })]));

    // On to delivery, so the workflow closes when the after-sales window does.
    await pickEverything(system, orderNumber);
    await reachStatus(orderNumber, 'DELIVERED');
    recordAs('flagged-approved', orderWorkflowId(orderNumber));
  }, 60_000);

  test('flagged order rejected: REJECTED, the reason in the rejection email, no stock reserved', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 3 } });
    const body = orderBody(sku, { payment: { status: 'PENDING' } });
    const orderNumber = await placeOrder(body);
    await reachStatus(orderNumber, 'IN_REVIEW');
    expect((await action(orderNumber, 'reject', {})).status).toBe(422);
    const reason = 'Payment never arrived after three reminders';
    expect((await action(orderNumber, 'reject', { reason })).status).toBe(200);
    await reachStatus(orderNumber, 'REJECTED');

    const email = await emailWith(body, orderNumber, `Your order ${orderNumber} could not be accepted`);
    expect(email.text).toContain(reason);
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 3, reserved: 0, available: 3 });
    expect(await system.db.allocation.count({ where: { order: { orderNumber }, status: 'RESERVED' } })).toBe(0);
    expect((await action(orderNumber, 'approve', {})).status).toBe(409);
    const audit = await system.db.auditEvent.findMany({ where: { orderNumber, action: 'reject' } });
    expect(audit).toEqual([expect.objectContaining({ reason })]);
    recordAs('flagged-rejected', orderWorkflowId(orderNumber));
  }, 60_000);

  // ---- 3. backorders -----------------------------------------------------------------------------------------

  test('backorder then receipt: waiting orders are served first come first served', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 1 } });
    const firstBody = orderBody(sku, { lines: [{ sku, quantity: 3 }] });
    const first = await placeOrder(firstBody);
    await reachStatus(first, 'BACKORDERED');
    const backordered = await emailWith(firstBody, first, `Some items in your order ${first} are on backorder`);
    expect(backordered.text).toContain(sku);

    const secondBody = orderBody(sku, { lines: [{ sku, quantity: 2 }] });
    const second = await placeOrder(secondBody);
    await reachStatus(second, 'BACKORDERED');
    await emailWith(secondBody, second, `Some items in your order ${second} are on backorder`);
    const listed = (await system.api<OrderList>('GET', '/api/orders?status=BACKORDERED')).body.orders.map(
      (o) => o.orderNumber,
    );
    expect(listed).toEqual(expect.arrayContaining([first, second]));

    // 2 more make 3: exactly what the first order needs. The second (which 2 would have covered) keeps waiting.
    await receive(system, 'WH-SH', sku, 2);
    await reachStatus(first, 'PICKING');
    await sleep(2_000);
    expect((await getOrder(second)).status).toBe('BACKORDERED');
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 3, reserved: 3, available: 0 });

    // The receipt of 5 serves the second.
    await receive(system, 'WH-SH', sku, 5);
    await reachStatus(second, 'PICKING');
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 8, reserved: 5, available: 3 });
    const reserves = await system.db.stockMovement.findMany({
      where: { sku, kind: 'RESERVE' },
      orderBy: { id: 'asc' },
    });
    const firstReserve = reserves.findIndex((m) => m.reference === first);
    const secondReserve = reserves.findIndex((m) => m.reference === second);
    expect(firstReserve).toBeGreaterThanOrEqual(0);
    expect(secondReserve).toBeGreaterThan(firstReserve);

    // Both on to delivery, so their workflows close when the after-sales window does.
    await pickEverything(system, first);
    await pickEverything(system, second);
    await reachStatus(first, 'DELIVERED');
    await reachStatus(second, 'DELIVERED');
    recordAs('backorder-then-receipt', orderWorkflowId(first));
  }, 90_000);

  test('backordered order: ship what is there, the rest cancelled and refunded', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 1 }, priceMinor: 10_000 });
    const body = orderBody(sku, { lines: [{ sku, quantity: 3 }] });
    const orderNumber = await placeOrder(body);
    await reachStatus(orderNumber, 'BACKORDERED');
    expect((await action(orderNumber, 'substitute', { lineNo: 1, sku: 'NO-SUCH-SKU' })).status).toBe(422);

    expect((await action(orderNumber, 'ship-available', { note: 'customer wants what we have' })).status).toBe(200);
    await reachStatus(orderNumber, 'PICKING');
    const order = await getOrder(orderNumber);
    expect(order.lines).toEqual([expect.objectContaining({ lineNo: 1, sku, quantity: 3, cancelledQuantity: 2 })]);
    expect(await pickList(system, orderNumber)).toEqual([
      expect.objectContaining({ phase: 'PICKING', lines: [expect.objectContaining({ sku, quantity: 1 })] }),
    ]);
    expect((await refundsOf(orderNumber)).map((r) => r.amountMinor)).toEqual([20_000]);
    await emailWith(body, orderNumber, `Part of your order ${orderNumber} has been cancelled`);

    await pickEverything(system, orderNumber);
    await reachStatus(orderNumber, 'DELIVERED');
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 0, reserved: 0, available: 0 });
    recordAs('ship-available', orderWorkflowId(orderNumber));
  }, 60_000);

  test('backordered line substituted with another SKU goes on to picking', async () => {
    const product = await newProduct(system, { sizes: ['S', 'M'] });
    const [wanted, substitute] = product.variants;
    await receive(system, 'WH-SH', substitute.sku, 3);
    const orderNumber = await placeOrder(orderBody(wanted.sku, { lines: [{ sku: wanted.sku, quantity: 1 }] }));
    await reachStatus(orderNumber, 'BACKORDERED');

    const substituted = await action(orderNumber, 'substitute', { lineNo: 1, sku: substitute.sku, note: 'same item' });
    expect(substituted.status).toBe(200);
    await reachStatus(orderNumber, 'PICKING');
    expect((await getOrder(orderNumber)).lines).toEqual([
      expect.objectContaining({ lineNo: 1, sku: substitute.sku, substitutedFrom: wanted.sku }),
    ]);
    expect(await pickList(system, orderNumber)).toEqual([
      expect.objectContaining({
        phase: 'PICKING',
        lines: [expect.objectContaining({ sku: substitute.sku, barcode: substitute.barcode, quantity: 1 })],
      }),
    ]);
    expect(await stockLevel(system, substitute.sku, 'WH-SH')).toMatchObject({ reserved: 1 });
    // No longer backordered: nothing to substitute.
    expect((await action(orderNumber, 'substitute', { lineNo: 1, sku: wanted.sku })).status).toBe(409);

    // On to delivery, so the workflow closes when the after-sales window does.
    await pickEverything(system, orderNumber);
    await reachStatus(orderNumber, 'DELIVERED');
    recordAs('substitute', orderWorkflowId(orderNumber));
  }, 60_000);

  // ---- 4. split shipment -------------------------------------------------------------------------------------

  test('split shipment: stock at two locations goes out as two parcels, each picked and tracked', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 2, 'ST-NJR': 2 } });
    const body = orderBody(sku, { lines: [{ sku, quantity: 3 }] });
    const orderNumber = await placeOrder(body);
    await reachStatus(orderNumber, 'PICKING');

    const list = await pickList(system, orderNumber);
    expect(list).toHaveLength(2);
    const byLocation = Object.fromEntries(list.map((s) => [s.location, s]));
    expect(Object.keys(byLocation).sort()).toEqual(['ST-NJR', 'WH-SH']);
    // The warehouse comes first (priority 10) and gives all it has; the store the rest.
    expect(byLocation['WH-SH'].lines).toEqual([expect.objectContaining({ sku, quantity: 2 })]);
    expect(byLocation['ST-NJR'].lines).toEqual([expect.objectContaining({ sku, quantity: 1 })]);
    expect(await stockLevel(system, sku, 'WH-SH')).toMatchObject({ reserved: 2 });
    expect(await stockLevel(system, sku, 'ST-NJR')).toMatchObject({ reserved: 1 });

    expect(await pickEverything(system, orderNumber)).toHaveLength(2);
    await reachStatus(orderNumber, 'DELIVERED');

    const order = await getOrder(orderNumber);
    expect(order.shipments).toHaveLength(2);
    expect(order.shipments.map((s) => s.status)).toEqual(['DELIVERED', 'DELIVERED']);
    const trackingNumbers: string[] = order.shipments.map((s) => s.trackingNumber);
    expect(new Set(trackingNumbers).size).toBe(2);
    expect(new Set(order.shipments.map((s) => s.locationId)).size).toBe(2);
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 0, reserved: 0, available: 0 });
    expect(await stockLevel(system, sku, 'ST-NJR')).toEqual({ onHand: 1, reserved: 0, available: 1 });

    await eventually('a shipped email per parcel and the delivered email', async () => {
      const emails = await customerEmails(body, orderNumber);
      return emails.filter((m) => /shipped|delivered/.test(m.subject)).length >= 3 ? true : undefined;
    });
    await sleep(DUPLICATE_GRACE_MS);
    const emails = await customerEmails(body, orderNumber);
    const shipped = emails.filter((m) => m.subject.includes('has shipped'));
    expect(shipped).toHaveLength(2);
    expect(trackingNumbers.every((tn) => shipped.some((m) => m.text.includes(tn)))).toBe(true);
    expect(emails.filter((m) => m.subject.includes('has been delivered'))).toHaveLength(1);
    recordAs('split-shipment', orderWorkflowId(orderNumber));
  }, 90_000);

  // ---- 5. scanning -------------------------------------------------------------------------------------------

  test('wrong scans are refused with 422 naming the barcode; nothing recorded; the right scans pass', async () => {
    const { sku, barcode } = await newProduct(system, { stock: { 'WH-SH': 5 } });
    const orderNumber = await placeOrder(orderBody(sku, { lines: [{ sku, quantity: 2 }] }));
    await reachStatus(orderNumber, 'PICKING');
    const otherBarcode = (await system.db.productVariant.findUniqueOrThrow({ where: { sku: 'TEE-WHI-S' } })).barcode;
    const unknownBarcode = `3${String(crypto.randomInt(0, 1e12)).padStart(12, '0')}`;

    const refusals: [string, unknown[], string][] = [
      ['an unknown barcode', [{ barcode: unknownBarcode }, { barcode }], unknownBarcode],
      ['another product', [{ barcode }, { barcode: otherBarcode }], otherBarcode],
      ['a missing unit', [{ barcode }], `(${barcode}|${sku})`],
      ['an extra unit', [{ barcode }, { barcode }, { barcode }], `(${barcode}|${sku})`],
    ];
    for (const [what, scans, named] of refusals) {
      const refused = await pick<ApiError>(orderNumber, 1, scans);
      expect({ what, status: refused.status, code: refused.body?.error?.code }).toEqual({
        what,
        status: 422,
        code: 'INVALID_CONTENT',
      });
      expect(refused.body.error.message).toMatch(new RegExp(named));
    }
    // No scans at all is not a pick.
    expect((await pick(orderNumber, 1, [])).status).toBe(422);
    // A shipment the order does not have.
    expect((await pick(orderNumber, 9, [{ barcode }, { barcode }])).status).toBeGreaterThanOrEqual(400);

    expect((await getOrder(orderNumber)).status).toBe('PICKING');
    expect((await getOrder(orderNumber)).shipments.filter((s) => s.trackingNumber)).toEqual([]);
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 5, reserved: 2, available: 3 });
    expect((await pickList(system, orderNumber))[0].phase).toBe('PICKING');

    expect((await pick(orderNumber, 1, [{ barcode }, { barcode }])).status).toBe(200);
    await reachStatus(orderNumber, SHIPPED_OR_LATER);
  }, 60_000);

  test('serialised goods: the pick list suggests the oldest serials; a serial not on the shelf is refused', async () => {
    const sku = 'PHONE-X1-256GB';
    const [warehouse, store] = await Promise.all([
      system.db.location.findUniqueOrThrow({ where: { code: 'WH-SH' } }),
      system.db.location.findUniqueOrThrow({ where: { code: 'ST-NJR' } }),
    ]);
    const oldest = await system.db.serialUnit.findMany({
      where: { sku, locationId: warehouse.id, status: 'IN_STOCK' },
      orderBy: [{ receivedAt: 'asc' }, { serial: 'asc' }],
      take: 1,
    });
    const orderNumber = await placeOrder(orderBody(sku, { lines: [{ sku, quantity: 1 }] }));
    await reachStatus(orderNumber, 'PICKING');

    const [shipment] = await pickList(system, orderNumber);
    expect(shipment).toMatchObject({ location: 'WH-SH', phase: 'PICKING' });
    const [line] = shipment.lines;
    expect(line).toMatchObject({ sku, quantity: 1, serialised: true });
    expect(line.suggestedSerials).toEqual([oldest[0].serial]);
    const barcode = line.barcode;

    const noSerial = await pick<ApiError>(orderNumber, shipment.seq, [{ barcode }]);
    expect(noSerial.status).toBe(422);
    expect(noSerial.body.error.code).toBe('INVALID_CONTENT');
    expect(noSerial.body.error.message).toMatch(new RegExp(`(${barcode}|${sku})`));

    const neverReceived = withImeiCheckDigit(`99${String(crypto.randomInt(0, 1e12)).padStart(12, '0')}`);
    const notInStock = await pick<ApiError>(orderNumber, shipment.seq, [{ barcode, serial: neverReceived }]);
    expect(notInStock.status).toBe(422);
    expect(notInStock.body.error.code).toBe('SERIAL_NOT_AVAILABLE');
    expect(notInStock.body.error.message).toMatch(new RegExp(`(${neverReceived}|${barcode}|${sku})`));

    const inTheStore = await system.db.serialUnit.findFirstOrThrow({
      where: { sku, locationId: store.id, status: 'IN_STOCK' },
    });
    const elsewhere = await pick<ApiError>(orderNumber, shipment.seq, [{ barcode, serial: inTheStore.serial }]);
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.code).toBe('SERIAL_NOT_AVAILABLE');
    expect((await getOrder(orderNumber)).status).toBe('PICKING');

    const picked = await pick(orderNumber, shipment.seq, [{ barcode, serial: line.suggestedSerials[0] }]);
    expect(picked.status).toBe(200);
    await reachStatus(orderNumber, SHIPPED_OR_LATER);
    const unit = await eventually('the phone sold to the order', async () => {
      const history = (await system.api<SerialUnitView>('GET', `/api/serials/${line.suggestedSerials[0]}`)).body;
      return history.status === 'SOLD' ? history : undefined;
    });
    expect(unit).toMatchObject({ sku, status: 'SOLD', reference: orderNumber });
    expect((await system.api<SerialUnitView>('GET', `/api/serials/${inTheStore.serial}`)).body.status).toBe('IN_STOCK');
  }, 60_000);

  // ---- 6. delivery exceptions --------------------------------------------------------------------------------

  test('delivery exception (parcel lost): warning raised, RESHIP sends a second parcel, warning cleared', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 } });
    const body = orderBody(sku, { lines: [{ sku, quantity: 1 }] });
    const orderNumber = await placeOrder(body);
    await reachStatus(orderNumber, 'PICKING');
    await carrierScenario(orderNumber, 'EXCEPTION', 'LOST');
    await pickEverything(system, orderNumber);

    await eventually('shipment 1 in EXCEPTION', async () => {
      const order = await getOrder(orderNumber);
      return order.shipments.find((s) => s.seq === 1)?.status === 'EXCEPTION' ? true : undefined;
    });
    const warning = await openWarning(orderNumber, 'EXCEPTION');
    expect(warning.clearedAt ?? null).toBeNull();
    await eventually('HasWarning=true', async () =>
      (await searchAttributes(orderNumber)).get(HasWarningAttribute) === true ? true : undefined,
    );
    expect((await getOrder(orderNumber)).status).not.toBe('DELIVERED');

    const badAction = await system.api('POST', `/api/orders/${orderNumber}/shipments/1/resolve`, { action: 'BURN' });
    expect(badAction.status).toBe(422);
    const resolved = await system.api('POST', `/api/orders/${orderNumber}/shipments/1/resolve`, {
      action: 'RESHIP',
      note: 'customer says nothing arrived',
    });
    expect(resolved.status).toBe(200);
    const reship = await waitForPickList(orderNumber, 'a reship', (s) => s.seq !== 1);
    expect(reship.lines).toEqual([expect.objectContaining({ sku, quantity: 1 })]);
    await pickEverything(system, orderNumber);
    await reachStatus(orderNumber, 'DELIVERED');

    const order = await getOrder(orderNumber);
    expect(order.shipments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ seq: 1, exception: 'LOST', resolution: 'RESHIP' }),
        expect.objectContaining({ seq: reship.seq, purpose: 'RESHIP', status: 'DELIVERED' }),
      ]),
    );
    await warningCleared(orderNumber, 'EXCEPTION');
    await notFlagged(orderNumber);
    // The lost unit and the one sent again have both left the shelf.
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 3, reserved: 0, available: 3 });
    expect(
      (await system.api('POST', `/api/orders/${orderNumber}/shipments/1/resolve`, { action: 'RESHIP' })).status,
    ).toBe(409);
    recordAs('exception-reship', orderWorkflowId(orderNumber));
  }, 90_000);

  test('delivery exception resolved RETURN_TO_STOCK: stock back on hand and the customer refunded', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 4 }, priceMinor: 15_900 });
    const body = orderBody(sku, { lines: [{ sku, quantity: 1 }] });
    const orderNumber = await placeOrder(body);
    await reachStatus(orderNumber, 'PICKING');
    await carrierScenario(orderNumber, 'EXCEPTION', 'REFUSED');
    await pickEverything(system, orderNumber);
    await eventually('shipment 1 in EXCEPTION', async () =>
      (await getOrder(orderNumber)).shipments[0]?.status === 'EXCEPTION' ? true : undefined,
    );
    await openWarning(orderNumber, 'EXCEPTION');
    expect((await stockLevel(system, sku, 'WH-SH')).onHand).toBe(3);

    const resolved = await system.api('POST', `/api/orders/${orderNumber}/shipments/1/resolve`, {
      action: 'RETURN_TO_STOCK',
      note: 'refused at the door, back with us',
    });
    expect(resolved.status).toBe(200);
    await eventually('the unit back on the shelf', async () => {
      const level = await stockLevel(system, sku, 'WH-SH');
      return level.onHand === 4 && level.reserved === 0 ? level : undefined;
    });
    const refunds = await eventually('a refund', async () => {
      const rows = await refundsOf(orderNumber);
      return rows.length ? rows : undefined;
    });
    expect(refunds.map((r) => r.amountMinor)).toEqual([15_900]);
    await warningCleared(orderNumber, 'EXCEPTION');
    recordAs('exception-return-to-stock', orderWorkflowId(orderNumber));
  }, 90_000);

  // ---- 7. store pickup ---------------------------------------------------------------------------------------

  test('store pickup: reserved at the store, picked → READY_FOR_PICKUP with an email, collected → DELIVERED', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 3, 'ST-NJR': 2 } });
    const posWithoutStore = orderBody(sku, { channel: 'pos', lines: [{ sku, quantity: 1 }] });
    expect((await system.api('POST', '/api/orders', posWithoutStore)).status).toBe(422);

    const body = pickupBody(sku, 1);
    const orderNumber = await placeOrder(body);
    await reachStatus(orderNumber, 'PICKING');
    // The store, though the warehouse comes first for parcels.
    expect(await stockLevel(system, sku, 'ST-NJR')).toEqual({ onHand: 2, reserved: 1, available: 1 });
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 3, reserved: 0, available: 3 });
    expect(await pickList(system, orderNumber)).toEqual([
      expect.objectContaining({ location: 'ST-NJR', phase: 'PICKING' }),
    ]);
    expect((await action(orderNumber, 'collect')).status).toBe(409);

    await pickEverything(system, orderNumber);
    await reachStatus(orderNumber, 'READY_FOR_PICKUP');
    const ready = await emailWith(body, orderNumber, `Your order ${orderNumber} is ready for pickup`);
    expect(ready.text).toContain('Nanjing Road store');

    expect((await action(orderNumber, 'collect')).status).toBe(200);
    await reachStatus(orderNumber, 'DELIVERED');
    expect(await stockLevel(system, sku, 'ST-NJR')).toEqual({ onHand: 1, reserved: 0, available: 1 });
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 3, reserved: 0, available: 3 });
    const emails = await customerEmails(body, orderNumber);
    expect(emails.some((m) => m.subject.includes('has shipped'))).toBe(false);
    recordAs('pickup', orderWorkflowId(orderNumber));
  }, 60_000);

  // ---- 8. returns --------------------------------------------------------------------------------------------

  test('return with refund and restock: approved, received back on the shelf, refunded at the price paid', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 }, priceMinor: 12_900 });
    const { body, orderNumber } = await deliveredOrder(sku, 2);
    expect(await stockLevel(system, sku, 'WH-SH')).toMatchObject({ onHand: 3 });

    const tooMany = await openReturn<ApiError>(orderNumber, {
      kind: 'RETURN',
      reason: 'SIZE_OR_FIT',
      lines: [{ lineNo: 1, quantity: 3 }],
    });
    expect(tooMany.status).toBe(422);
    expect(JSON.stringify(tooMany.body.error)).toContain(sku);

    const opened = await openReturn<ReturnRow>(orderNumber, {
      kind: 'RETURN',
      reason: 'SIZE_OR_FIT',
      note: 'too small',
      lines: [{ lineNo: 1, quantity: 1 }],
    });
    expect(opened.status).toBe(201);
    const returnNumber: string = opened.body.returnNumber;
    expect(returnNumber).toBeTruthy();
    await reachStatus(orderNumber, 'AFTER_SALES');

    expect((await returnAction(returnNumber, 'approve', { note: 'ok' })).status).toBe(200);
    const accepted = await emailWith(body, orderNumber, 'has been accepted');
    expect(accepted.subject).toContain(returnNumber);

    const received = await returnAction(returnNumber, 'receive', {
      lines: [{ lineNo: 1, condition: 'RESTOCK' }],
      location: 'WH-SH',
    });
    expect(received.status).toBe(200);
    await eventually('the unit back on the shelf', async () =>
      (await stockLevel(system, sku, 'WH-SH')).onHand === 4 ? true : undefined,
    );

    expect((await returnAction(returnNumber, 'refund')).status).toBe(200);
    const refunds = await eventually('the refund', async () => {
      const rows = await refundsOf(orderNumber);
      return rows.length ? rows : undefined;
    });
    expect(refunds.map((r) => r.amountMinor)).toEqual([12_900]);
    const refundEmail = await emailWith(body, orderNumber, `Your refund for order ${orderNumber}`);
    expect(refundEmail.text).toContain('129.00');

    const listed = (await system.api<ReturnList>('GET', '/api/returns?reason=SIZE_OR_FIT')).body.returns;
    expect(listed.map((r) => r.returnNumber)).toContain(returnNumber);
    const otherReason = (await system.api<ReturnList>('GET', '/api/returns?reason=DAMAGED')).body.returns;
    expect(otherReason.map((r) => r.returnNumber)).not.toContain(returnNumber);
    const one = await system.api('GET', `/api/returns/${returnNumber}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ returnNumber, status: 'REFUNDED', kind: 'RETURN' });
    const row = await system.db.returnRequest.findUniqueOrThrow({ where: { returnNumber } });
    expect(row).toMatchObject({ status: 'REFUNDED', reasonCode: 'SIZE_OR_FIT', refundMinor: 12_900 });

    // Back to DELIVERED (the window is still open): one unit was returned, the other is all that is left to return.
    await reachStatus(orderNumber, 'DELIVERED');
    const again = await openReturn(orderNumber, {
      kind: 'RETURN',
      reason: 'CHANGED_MIND',
      lines: [{ lineNo: 1, quantity: 2 }],
    });
    expect(again.status).toBe(422);
    await sleep(DUPLICATE_GRACE_MS);
    const refundEmails = (await customerEmails(body, orderNumber)).filter((m) => m.subject.includes('refund'));
    expect(refundEmails).toHaveLength(1);
    recordAs('return-refund', orderWorkflowId(orderNumber));
  }, 90_000);

  test('a return is refused before delivery and after the after-sales window closes', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 2 } });
    const orderNumber = await placeOrder(orderBody(sku, { lines: [{ sku, quantity: 1 }] }));
    await reachStatus(orderNumber, 'PICKING');
    const request = { kind: 'RETURN', reason: 'CHANGED_MIND', lines: [{ lineNo: 1, quantity: 1 }] };
    expect((await openReturn(orderNumber, request)).status).toBe(409);
    await pickEverything(system, orderNumber);
    await reachStatus(orderNumber, 'COMPLETED', 45_000);
    expect((await openReturn(orderNumber, request)).status).toBe(409);
  }, 90_000);

  // ---- 9. exchange -------------------------------------------------------------------------------------------

  test('exchange: the replacement size is reserved, picked and shipped; the returned one is restocked', async () => {
    const product = await newProduct(system, { sizes: ['S', 'M'], stock: { 'WH-SH': 5 } });
    const [small, medium] = product.variants;
    const { body, orderNumber } = await deliveredOrder(small.sku, 1);
    expect(await stockLevel(system, small.sku, 'WH-SH')).toMatchObject({ onHand: 4 });

    const opened = await openReturn<ReturnRow>(orderNumber, {
      kind: 'EXCHANGE',
      reason: 'SIZE_OR_FIT',
      lines: [{ lineNo: 1, quantity: 1, replacementSku: medium.sku }],
    });
    expect(opened.status).toBe(201);
    const returnNumber: string = opened.body.returnNumber;
    expect((await returnAction(returnNumber, 'approve')).status).toBe(200);
    expect(
      (
        await returnAction(returnNumber, 'receive', {
          lines: [{ lineNo: 1, condition: 'RESTOCK' }],
          location: 'WH-SH',
        })
      ).status,
    ).toBe(200);

    const replacement = await waitForPickList(orderNumber, 'the replacement', (s) =>
      s.lines.some((l) => l.sku === medium.sku),
    );
    expect(replacement.lines).toEqual([expect.objectContaining({ sku: medium.sku, quantity: 1 })]);
    expect(await stockLevel(system, medium.sku, 'WH-SH')).toEqual({ onHand: 5, reserved: 1, available: 4 });
    await pickEverything(system, orderNumber);

    const shipment = await eventually('the replacement delivered', async () => {
      const order = await getOrder(orderNumber);
      const found = order.shipments.find((s) => s.seq === replacement.seq);
      return found?.status === 'DELIVERED' ? found : undefined;
    });
    expect(shipment.purpose).toBe('EXCHANGE');
    expect(await stockLevel(system, small.sku, 'WH-SH')).toEqual({ onHand: 5, reserved: 0, available: 5 });
    expect(await stockLevel(system, medium.sku, 'WH-SH')).toEqual({ onHand: 4, reserved: 0, available: 4 });
    const shipped = await eventually('a second shipped email', async () => {
      const got = (await customerEmails(body, orderNumber)).filter((m) => m.subject.includes('has shipped'));
      return got.length >= 2 ? got : undefined;
    });
    expect(shipped.some((m) => m.text.includes(shipment.trackingNumber))).toBe(true);
    await eventually('the exchange closed', async () =>
      (await system.api<ReturnRow>('GET', `/api/returns/${returnNumber}`)).body.status === 'EXCHANGED'
        ? true
        : undefined,
    );
    expect(await refundsOf(orderNumber)).toEqual([]);
    recordAs('exchange', orderWorkflowId(orderNumber));
  }, 90_000);

  // ---- 10. cancellation --------------------------------------------------------------------------------------

  const expectCancelled = async (body: OrderBody, orderNumber: string, reason: string) => {
    await reachStatus(orderNumber, 'CANCELLED');
    const email = await emailWith(body, orderNumber, `Your order ${orderNumber} has been cancelled`);
    expect(email.text).toContain(reason);
    expect(await system.db.allocation.count({ where: { order: { orderNumber }, status: 'RESERVED' } })).toBe(0);
  };

  test('cancel in review: CANCELLED, cancelled email, nothing to refund (not paid)', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 3 } });
    const body = orderBody(sku, { payment: { status: 'PENDING' } });
    const orderNumber = await placeOrder(body);
    await reachStatus(orderNumber, 'IN_REVIEW');
    expect((await action(orderNumber, 'cancel', {})).status).toBe(422);
    const reason = 'Customer ordered twice by mistake';
    expect((await action(orderNumber, 'cancel', { reason, customerRequest: true })).status).toBe(200);
    await expectCancelled(body, orderNumber, reason);
    expect(await refundsOf(orderNumber)).toEqual([]);
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 3, reserved: 0, available: 3 });
    expect((await action(orderNumber, 'cancel', { reason })).status).toBe(409);
    recordAs('cancel-in-review', orderWorkflowId(orderNumber));
  }, 60_000);

  test("a clerk's PAID claim without a confirmed payment waits in review; cancelled, it refunds nothing", async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 4 }, priceMinor: 6_600 });
    const created = await system.api<{ key: string }>('POST', '/api/admin/keys', { name: 'Till clerk', role: 'clerk' });
    const clerk = created.body.key;
    const asClerk = async (body: OrderBody) => {
      const answer = await system.api<StoredOrder>('POST', '/api/orders', body, clerk);
      expect([answer.status, answer.body.paymentStatus]).toEqual([201, 'PAID']);
      return answer.body.orderNumber;
    };
    // Marked paid with no payment named, and with a reference the payment provider never saw.
    const noReference = orderBody(sku, { channel: 'phone', payment: { status: 'PAID' } });
    const madeUp = orderBody(sku, { channel: 'phone', payment: { status: 'PAID', reference: 'LPC-TRUST-ME' } });
    for (const body of [noReference, madeUp]) {
      const orderNumber = await asClerk(body);
      await reachStatus(orderNumber, 'IN_REVIEW');
      const reasons = await eventually('review reasons', async () => {
        const { reviewReasons } = await getOrder(orderNumber);
        return reviewReasons?.length ? reviewReasons : undefined;
      });
      expect(reasons.map((r) => r.code)).toEqual(['PAYMENT_UNVERIFIED']);
      const reason = 'Customer ordered twice by mistake';
      expect((await system.api('POST', `/api/orders/${orderNumber}/cancel`, { reason }, clerk)).status).toBe(200);
      await expectCancelled(body, orderNumber, reason);
      // No refund of money never taken: none stored, none paid by the provider, and the timeline says why.
      expect(await refundsOf(orderNumber)).toEqual([]);
      expect(readLocalRefunds(localPaymentFiles(system.dataDir).refunds).map((r) => r.orderNumber)).not.toContain(
        orderNumber,
      );
      const timeline = (await getOrder(orderNumber)).timeline;
      expect(timeline).toEqual(
        expect.arrayContaining([expect.objectContaining({ actor: 'payments', action: 'refund not paid' })]),
      );
    }
    // A payment backs one order: naming one that already pays for another is refused, and nothing is stored.
    const paid = orderBody(sku, { lines: [{ sku, quantity: 1 }] });
    const first = await asClerk(paid);
    const reused = await system.api<ApiError>(
      'POST',
      '/api/orders',
      { ...orderBody(sku), payment: paid.payment },
      clerk,
    );
    expect([reused.status, reused.body.error.code]).toEqual([409, 'PAYMENT_REFERENCE_USED']);
    // With a confirmed capture the order passes review, and a cancellation refunds from that capture.
    await reachStatus(first, 'PICKING');
    expect((await action(first, 'cancel', { reason: 'Changed mind' })).status).toBe(200);
    await reachStatus(first, 'CANCELLED');
    // The status comes first, the refund after it (workflows/order/cancellation.ts): wait for the refund.
    const refunds = await eventually('the cancellation refund', async () => {
      const rows = await refundsOf(first);
      return rows.length ? rows : undefined;
    });
    expect(refunds.map((r) => [r.amountMinor, r.captureRef])).toEqual([
      [6_600, (paid.payment as { reference: string }).reference],
    ]);
  }, 90_000);

  test('cancel while backordered: CANCELLED, paid amount refunded, held stock released', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 1 }, priceMinor: 8_800 });
    const body = orderBody(sku, { lines: [{ sku, quantity: 3 }] });
    const orderNumber = await placeOrder(body);
    await reachStatus(orderNumber, 'BACKORDERED');
    const reason = 'Customer will not wait';
    expect((await action(orderNumber, 'cancel', { reason, customerRequest: true })).status).toBe(200);
    await expectCancelled(body, orderNumber, reason);
    expect((await refundsOf(orderNumber)).map((r) => r.amountMinor)).toEqual([3 * 8_800]);
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 1, reserved: 0, available: 1 });
    recordAs('cancel-backordered', orderWorkflowId(orderNumber));
  }, 60_000);

  test('cancel while picking: reserved stock available again, paid amount refunded', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 3 }, priceMinor: 9_900 });
    const body = orderBody(sku, { lines: [{ sku, quantity: 2 }] });
    const orderNumber = await placeOrder(body);
    await reachStatus(orderNumber, 'PICKING');
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 3, reserved: 2, available: 1 });
    const reason = 'Address cannot be delivered to';
    expect((await action(orderNumber, 'cancel', { reason })).status).toBe(200);
    await expectCancelled(body, orderNumber, reason);
    expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 3, reserved: 0, available: 3 });
    expect((await refundsOf(orderNumber)).map((r) => r.amountMinor)).toEqual([2 * 9_900]);
    const scans = [{ barcode: (await system.db.productVariant.findUniqueOrThrow({ where: { sku } })).barcode }];
    expect((await pick(orderNumber, 1, [...scans, ...scans])).status).toBe(409);
    recordAs('cancel-picking', orderWorkflowId(orderNumber));
  }, 60_000);

  test('cancel while ready for pickup: the goods go back on the store shelf, paid amount refunded', async () => {
    const { sku } = await newProduct(system, { stock: { 'ST-NJR': 2 }, priceMinor: 5_500 });
    const body = pickupBody(sku, 1);
    const orderNumber = await placeOrder(body);
    await reachStatus(orderNumber, 'PICKING');
    await pickEverything(system, orderNumber);
    await reachStatus(orderNumber, 'READY_FOR_PICKUP');
    const reason = 'Not collected';
    expect((await action(orderNumber, 'cancel', { reason })).status).toBe(200);
    await expectCancelled(body, orderNumber, reason);
    expect(await stockLevel(system, sku, 'ST-NJR')).toEqual({ onHand: 2, reserved: 0, available: 2 });
    expect((await refundsOf(orderNumber)).map((r) => r.amountMinor)).toEqual([5_500]);
    expect((await action(orderNumber, 'collect')).status).toBe(409);
    recordAs('cancel-ready-for-pickup', orderWorkflowId(orderNumber));
  }, 60_000);

  test('cancel after shipping is refused with 409 and changes nothing', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 2 } });
    const body = orderBody(sku, { lines: [{ sku, quantity: 1 }] });
    const orderNumber = await placeOrder(body);
    await reachStatus(orderNumber, 'PICKING');
    await pickEverything(system, orderNumber);
    await reachStatus(orderNumber, SHIPPED_OR_LATER);
    const refused = await action<ApiError>(orderNumber, 'cancel', { reason: 'too late' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('WRONG_STATE');
    await reachStatus(orderNumber, 'DELIVERED');
    expect(await refundsOf(orderNumber)).toEqual([]);
    expect((await customerEmails(body, orderNumber)).some((m) => m.subject.includes('cancelled'))).toBe(false);
  }, 60_000);

  // ---- 11. delay warnings ------------------------------------------------------------------------------------

  test('delay warning REVIEW: fires after the SLA, emails the manager once, clears on approval', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 3 } });
    const orderNumber = await placeOrder(orderBody(sku, { payment: { status: 'PENDING' } }));
    await reachStatus(orderNumber, 'IN_REVIEW');
    const warning = await openWarning(orderNumber, 'DELAY', 'REVIEW');
    expect(warning.clearedAt ?? null).toBeNull();
    await flaggedAs(orderNumber, 'REVIEW');
    await eventually('the manager email', async () =>
      (await managerEmails(orderNumber)).length > 0 ? true : undefined,
    );

    expect((await action(orderNumber, 'approve', {})).status).toBe(200);
    await warningCleared(orderNumber, 'DELAY', 'REVIEW');
    await reachStatus(orderNumber, 'PICKING');
    await pickEverything(system, orderNumber); // before its picking SLA runs out
    await reachStatus(orderNumber, SHIPPED_OR_LATER);
    await notFlagged(orderNumber);
    await expectOneManagerEmailPerDelayWarning(orderNumber);
    recordAs('delay-review', orderWorkflowId(orderNumber));
  }, 60_000);

  test('delay warning PICKING: fires after the SLA, emails the manager once, clears when picked', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 3 } });
    const orderNumber = await placeOrder(orderBody(sku));
    await reachStatus(orderNumber, 'PICKING');
    await openWarning(orderNumber, 'DELAY', 'PICKING');
    await flaggedAs(orderNumber, 'PICKING');
    await pickEverything(system, orderNumber);
    await warningCleared(orderNumber, 'DELAY', 'PICKING');
    await notFlagged(orderNumber);
    expect((await searchAttributes(orderNumber)).get(DelayedStageAttribute)).toBeUndefined();
    await expectOneManagerEmailPerDelayWarning(orderNumber);
  }, 60_000);

  test('delay warning BACKORDER: fires after the SLA, emails the manager once, clears when stock arrives', async () => {
    const { sku } = await newProduct(system);
    const orderNumber = await placeOrder(orderBody(sku, { lines: [{ sku, quantity: 1 }] }));
    await reachStatus(orderNumber, 'BACKORDERED');
    await openWarning(orderNumber, 'DELAY', 'BACKORDER');
    await flaggedAs(orderNumber, 'BACKORDER');
    await receive(system, 'WH-SH', sku, 3);
    await reachStatus(orderNumber, 'PICKING');
    await warningCleared(orderNumber, 'DELAY', 'BACKORDER');
    await pickEverything(system, orderNumber);
    await reachStatus(orderNumber, SHIPPED_OR_LATER);
    await notFlagged(orderNumber);
    await expectOneManagerEmailPerDelayWarning(orderNumber);
  }, 60_000);

  test('delay warning PICKUP: fires after the SLA, emails the manager once, clears when collected', async () => {
    const { sku } = await newProduct(system, { stock: { 'ST-NJR': 2 } });
    const orderNumber = await placeOrder(pickupBody(sku, 1));
    await reachStatus(orderNumber, 'PICKING');
    await pickEverything(system, orderNumber);
    await reachStatus(orderNumber, 'READY_FOR_PICKUP');
    await openWarning(orderNumber, 'DELAY', 'PICKUP');
    await flaggedAs(orderNumber, 'PICKUP');
    expect((await action(orderNumber, 'collect')).status).toBe(200);
    await reachStatus(orderNumber, 'DELIVERED');
    await warningCleared(orderNumber, 'DELAY', 'PICKUP');
    await notFlagged(orderNumber);
    await expectOneManagerEmailPerDelayWarning(orderNumber);
  }, 60_000);

  test('delay warning RETURN: fires after the SLA, emails the manager once, clears when the return is done', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 3 } });
    const { orderNumber } = await deliveredOrder(sku, 1);
    const opened = await openReturn<ReturnRow>(orderNumber, {
      kind: 'RETURN',
      reason: 'DEFECTIVE',
      lines: [{ lineNo: 1, quantity: 1 }],
    });
    expect(opened.status).toBe(201);
    const returnNumber: string = opened.body.returnNumber;
    await reachStatus(orderNumber, 'AFTER_SALES');
    await openWarning(orderNumber, 'DELAY', 'RETURN');
    await flaggedAs(orderNumber, 'RETURN');

    expect((await returnAction(returnNumber, 'approve')).status).toBe(200);
    expect(
      (await returnAction(returnNumber, 'receive', { lines: [{ lineNo: 1, condition: 'WRITE_OFF' }] })).status,
    ).toBe(200);
    expect((await returnAction(returnNumber, 'refund')).status).toBe(200);
    await warningCleared(orderNumber, 'DELAY', 'RETURN');
    await notFlagged(orderNumber);
    await expectOneManagerEmailPerDelayWarning(orderNumber);
    // Written off, not restocked.
    expect(await stockLevel(system, sku, 'WH-SH')).toMatchObject({ onHand: 2 });
  }, 90_000);

  test('delay warning DELIVERY: fires after the SLA, emails the manager once, clears when delivered', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 3 } });
    const orderNumber = await placeOrder(orderBody(sku, { lines: [{ sku, quantity: 1 }] }));
    await reachStatus(orderNumber, 'PICKING');
    // The parcel goes in transit and then the carrier is silent: no delivery, no exception.
    await carrierScenario(orderNumber, 'STALL');
    await pickEverything(system, orderNumber);
    await reachStatus(orderNumber, 'SHIPPED');
    const warning = await openWarning(orderNumber, 'DELAY', 'DELIVERY');
    expect(warning.clearedAt ?? null).toBeNull();
    await flaggedAs(orderNumber, 'DELIVERY');
    const emails = await eventually('the manager email', async () => {
      const got = await managerEmails(orderNumber);
      return got.length > 0 ? got : undefined;
    });
    expect(emails[0].subject).toContain('DELIVERY');
    const [shipment] = (await getOrder(orderNumber)).shipments;
    expect(shipment).toMatchObject({ seq: 1, status: 'IN_TRANSIT' });
    expect((await getOrder(orderNumber)).status).toBe('SHIPPED');

    // The parcel turns up: the carrier's (signed) delivery event moves the order on.
    const delivered = await postCarrierEvent({
      eventId: `test-${unique()}`,
      trackingNumber: shipment.trackingNumber,
      status: 'DELIVERED',
      occurredAt: new Date().toISOString(),
    });
    expect(delivered.status).toBe(200);
    await reachStatus(orderNumber, 'DELIVERED');
    await warningCleared(orderNumber, 'DELAY', 'DELIVERY');
    await notFlagged(orderNumber);
    expect((await searchAttributes(orderNumber)).get(DelayedStageAttribute)).toBeUndefined();

    // One delay (the delivery), told to the manager once.
    await sleep(DUPLICATE_GRACE_MS);
    const rows = await system.db.warning.findMany({ where: { orderNumber, kind: 'DELAY' } });
    expect(rows.map((r) => r.stage)).toEqual(['DELIVERY']);
    expect((await managerEmails(orderNumber)).map((m) => m.subject)).toEqual([emails[0].subject]);
  }, 60_000);
}

/**
 * The system end to end, on real processes. The order path: intake → review → reservation → picking
 * → carrier booking → tracking webhooks → delivery → after-sales window → COMPLETED; stock transfers,
 * low-stock warnings, restarts. Shared by the SQLite and PostgreSQL suites.
 */
import crypto from 'node:crypto';
import {
  DelayedStageAttribute,
  HasWarningAttribute,
  OrderStatusAttribute,
  TransferStatusAttribute,
} from '../../workflows/definitions';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporalDataConverter } from '../../lib/temporal';
import { transferWorkflowId } from '../../workflows/transfer-definitions';
import { orderWorkflowId, ORDER_NUMBER_PATTERN } from '../../domain/order-number';
import { signPayload } from '../../carriers/webhook-signature';
import { carrierWebhookSecret, emailsTo, eventually, startTestSystem, type TestSystem } from '../support/system';
import { orderBody, pickBody, pickEverything } from '../support/orders';
import {
  json,
  type ApiError,
  type ChangeStamps,
  type DaySummary,
  type Health,
  type ImportErrorDetails,
  type LocationList,
  type OrderPage,
  type OrderView,
  type ProductList,
  type ProductView,
  type SerialUnitView,
  type StockCheck,
  type StockLevelList,
  type StoredOrder,
  type TransferView,
  type ValidationDetails,
  type WarningList,
} from '../support/api';
import { matching } from '../support/matchers';

interface SuiteOptions {
  createDatabase?: () => Promise<string>;
  dropDatabase?: (url: string) => Promise<void>;
}

const unique = () => crypto.randomBytes(4).toString('hex');

export function systemSuite(options: SuiteOptions = {}): void {
  let system: TestSystem;
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    databaseUrl = await options.createDatabase?.();
    system = await startTestSystem({ databaseUrl, env: { OMS_SLA_PICKING: '2s' } });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    if (databaseUrl) await options.dropDatabase?.(databaseUrl);
  }, 60_000);

  const statusOf = async (orderNumber: string) =>
    (await system.api<OrderView>('GET', `/api/orders/${orderNumber}`)).body.status;
  const reachStatus = (orderNumber: string, status: string, timeoutMs = 30_000) =>
    eventually(
      `${orderNumber} to reach ${status}`,
      async () => ((await statusOf(orderNumber)) === status ? true : undefined),
      timeoutMs,
    );
  const searchAttribute = async (orderNumber: string) =>
    (await system.temporal.workflow.getHandle(orderWorkflowId(orderNumber)).describe()).typedSearchAttributes.get(
      OrderStatusAttribute,
    );

  test('health reports the database and Temporal', async () => {
    const health = await system.api<Health>('GET', '/api/health', undefined, null);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', database: { ok: true }, temporal: { ok: true } });
  });

  test('a clean order goes all the way to COMPLETED with three emails, and stock follows it', async () => {
    const products = await system.api<ProductList>('GET', '/api/products');
    expect(products.status).toBe(200);
    const sku: string = products.body.products.find((p) => p.code === 'TEE-CLASSIC')!.variants[0].sku;
    const before = (await system.api<StockLevelList>('GET', `/api/inventory?sku=${sku}`)).body.levels;
    const warehouseBefore = before.find((l) => l.location === 'WH-SH')!;
    expect(warehouseBefore.available).toBeGreaterThanOrEqual(2);

    const body = orderBody(sku);
    const created = await system.api<StoredOrder>('POST', '/api/orders', body);
    expect(created.status).toBe(201);
    const orderNumber: string = created.body.orderNumber;
    expect(orderNumber).toMatch(ORDER_NUMBER_PATTERN);
    expect(created.body.totalMinor).toBe(2 * 9_900);

    // The same (channel, externalId) again is the same order, not a second one.
    const repeat = await system.api<StoredOrder>('POST', '/api/orders', body);
    expect(repeat.status).toBe(200);
    expect(repeat.body.orderNumber).toBe(orderNumber);
    expect(await system.db.order.count({ where: { externalId: body.externalId } })).toBe(1);
    // The 201 answer is the order as it was written (nothing reserved yet); the repeat reads the same rows back.
    expect(created.body).toMatchObject({
      status: 'RECEIVED',
      allocations: [],
      shipments: [],
      returns: [],
      refunds: [],
    });
    const asStored: (keyof StoredOrder)[] = [
      'orderNumber',
      'channel',
      'externalId',
      'customerEmail',
      'shippingAddress',
      'lines',
      'createdAt',
    ];
    for (const field of asStored) expect([field, created.body[field]]).toEqual([field, repeat.body[field]]);

    // Review passes, stock is reserved at the warehouse (highest priority), the order waits for picking.
    await reachStatus(orderNumber, 'PICKING');
    await eventually('OrderStatus=PICKING', async () =>
      (await searchAttribute(orderNumber)) === 'PICKING' ? true : undefined,
    );
    const listed = await eventually('the visibility query to list the order', async () => {
      for await (const wf of system.temporal.workflow.list({ query: 'OrderStatus="PICKING"' })) {
        if (wf.workflowId === orderWorkflowId(orderNumber)) return true;
      }
      return undefined;
    });
    expect(listed).toBe(true);
    const reservedLevel = (await system.api<StockLevelList>('GET', `/api/inventory?sku=${sku}&location=WH-SH`)).body
      .levels[0];
    expect(reservedLevel).toMatchObject({ onHand: warehouseBefore.onHand, reserved: warehouseBefore.reserved + 2 });
    expect(reservedLevel.available).toBe(warehouseBefore.available - 2);

    // Picked by scanning each unit on the pick list; the same scans again are too late.
    const scanned = await pickBody(system, orderNumber);
    expect(scanned.shipment).toBe(1);
    const picked = await system.api('POST', `/api/orders/${orderNumber}/pick`, scanned);
    expect(picked.status).toBe(200);
    const pickedAgain = await system.api<ApiError>('POST', `/api/orders/${orderNumber}/pick`, scanned);
    expect(pickedAgain.status).toBe(409);
    expect(pickedAgain.body.error.code).toBe('WRONG_STATE');

    // Booked with the local carrier, which then posts signed tracking events until delivery.
    await reachStatus(orderNumber, 'SHIPPED');
    const shipped = (await system.api<OrderView>('GET', `/api/orders/${orderNumber}`)).body;
    expect(shipped.shipments).toHaveLength(1);
    expect(shipped.shipments[0]).toMatchObject({
      carrier: 'local',
      trackingNumber: matching.stringMatching(/^LC\d+CN$/),
    });
    const trackingNumber: string = shipped.shipments[0].trackingNumber;
    await reachStatus(orderNumber, 'DELIVERED');
    await reachStatus(orderNumber, 'COMPLETED', 20_000);

    // Database rows.
    const order = await system.db.order.findUniqueOrThrow({
      where: { orderNumber },
      include: { allocations: true, shipments: { include: { events: true } } },
    });
    expect(order.status).toBe('COMPLETED');
    expect(order.allocations).toEqual([expect.objectContaining({ sku, quantity: 2, status: 'SHIPPED' })]);
    expect(order.shipments[0].status).toBe('DELIVERED');
    expect(order.shipments[0].events.map((e) => e.status).sort()).toEqual([
      'DELIVERED',
      'IN_TRANSIT',
      'OUT_FOR_DELIVERY',
    ]);
    const movements = await system.db.stockMovement.findMany({
      where: { reference: orderNumber },
      orderBy: { id: 'asc' },
    });
    expect(movements.map((m) => [m.kind, m.onHandDelta, m.reservedDelta])).toEqual([
      ['RESERVE', 0, 2],
      ['SHIP', -2, -2],
    ]);
    const after = (await system.api<StockLevelList>('GET', `/api/inventory?sku=${sku}&location=WH-SH`)).body.levels[0];
    expect(after).toMatchObject({ onHand: warehouseBefore.onHand - 2, reserved: warehouseBefore.reserved });
    const emailLog = await system.db.emailLog.findMany({ where: { orderNumber } });
    expect(emailLog.map((e) => [e.kind, e.status]).sort()).toEqual([
      ['delivered', 'SENT'],
      ['received', 'SENT'],
      ['shipped', 'SENT'],
    ]);

    // The customer's three emails, as MailDev received them.
    const emails = await eventually('three emails', async () => {
      const got = await emailsTo(system.mailUrl, body.customer.email);
      return got.length >= 3 ? got : undefined;
    });
    expect(emails.map((m) => m.subject).sort()).toEqual([
      `We have received your order ${orderNumber}`,
      `Your order ${orderNumber} has been delivered`,
      `Your order ${orderNumber} has shipped`,
    ]);
    expect(emails.find((m) => m.subject.includes('shipped'))!.text).toContain(trackingNumber);

    // The workflow itself: closed, and its search attribute followed the status to the end.
    const description = await system.temporal.workflow.getHandle(orderWorkflowId(orderNumber)).describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(await searchAttribute(orderNumber)).toBe('COMPLETED');
    expect((await system.api('POST', `/api/orders/${orderNumber}/pick`, scanned)).status).toBe(409);
  }, 120_000);

  test('a flagged order waits in review; a manager rejects it and the customer is told why', async () => {
    const body = orderBody('TEE-BLA-S', { payment: { status: 'PENDING' }, language: 'zh-CN' });
    const created = await system.api<StoredOrder>('POST', '/api/orders', body);
    expect(created.status).toBe(201);
    const orderNumber = created.body.orderNumber;
    await reachStatus(orderNumber, 'IN_REVIEW');
    const reasons = await eventually('review reasons', async () => {
      const order = (await system.api<OrderView>('GET', `/api/orders/${orderNumber}`)).body;
      return order.reviewReasons?.length ? order.reviewReasons : undefined;
    });
    expect(reasons.map((r) => r.code)).toEqual(['PAYMENT_NOT_CONFIRMED']);

    // A well-formed pick (one scan per unit ordered) is still refused: the order is not being picked.
    const tee = await system.db.productVariant.findUniqueOrThrow({ where: { sku: 'TEE-BLA-S' } });
    const scans = [{ barcode: tee.barcode }, { barcode: tee.barcode }];
    expect((await system.api('POST', `/api/orders/${orderNumber}/pick`, { shipment: 1, scans })).status).toBe(409);
    expect((await system.api('POST', `/api/orders/${orderNumber}/reject`, {})).status).toBe(422);
    const rejected = await system.api('POST', `/api/orders/${orderNumber}/reject`, { reason: '付款未确认' });
    expect(rejected.status).toBe(200);
    await reachStatus(orderNumber, 'REJECTED');
    expect(await system.db.allocation.count({ where: { order: { orderNumber } } })).toBe(0);
    const emails = await eventually('the rejection email', async () => {
      const got = await emailsTo(system.mailUrl, body.customer.email);
      return got.length >= 3 ? got : undefined;
    });
    expect(emails.map((m) => m.subject).sort()).toEqual([
      `您的订单 ${orderNumber} 未能受理`,
      `您的订单 ${orderNumber} 正在确认中`,
      `我们已收到您的订单 ${orderNumber}`,
    ]);
    expect(emails.find((m) => m.subject.includes('未能受理'))!.text).toContain('付款未确认');
  }, 60_000);

  test('a flagged order approved by a manager goes on to picking', async () => {
    const created = await system.api<StoredOrder>(
      'POST',
      '/api/orders',
      orderBody('JEANS-BLU-32', { payment: { status: 'PENDING' } }),
    );
    const orderNumber = created.body.orderNumber;
    await reachStatus(orderNumber, 'IN_REVIEW');
    expect(
      (await system.api('POST', `/api/orders/${orderNumber}/approve`, { note: 'paid by bank transfer' })).status,
    ).toBe(200);
    await reachStatus(orderNumber, 'PICKING');
    expect((await system.api('POST', `/api/orders/${orderNumber}/approve`, {})).status).toBe(409);
  }, 60_000);

  test('an order left in picking past its SLA is flagged for managers until it is picked', async () => {
    const orderNumber = (await system.api<StoredOrder>('POST', '/api/orders', orderBody('JEANS-BLU-30'))).body
      .orderNumber;
    await reachStatus(orderNumber, 'PICKING');
    const handle = system.temporal.workflow.getHandle(orderWorkflowId(orderNumber));
    const flagged = await eventually('HasWarning after the 2s picking SLA', async () => {
      const attributes = (await handle.describe()).typedSearchAttributes;
      return attributes.get(HasWarningAttribute) === true ? attributes.get(DelayedStageAttribute) : undefined;
    });
    expect(flagged).toBe('PICKING');
    await eventually('the visibility query to find the delayed order', async () => {
      for await (const wf of system.temporal.workflow.list({
        query: 'HasWarning = true AND DelayedStage = "PICKING"',
      })) {
        if (wf.workflowId === handle.workflowId) return true;
      }
      return undefined;
    });

    await pickEverything(system, orderNumber);
    await reachStatus(orderNumber, 'SHIPPED');
    const cleared = (await handle.describe()).typedSearchAttributes;
    expect(cleared.get(HasWarningAttribute)).toBe(false);
    expect(cleared.get(DelayedStageAttribute)).toBeUndefined();
  }, 60_000);

  test("staff lists: filtered, a page at a time with the total; the day's figures; a waiting poll woken by a change", async () => {
    const name = `Pager ${unique()}`;
    const phone = `139${String(crypto.randomInt(10_000_000, 99_999_999))}`;
    const since = new Date().toISOString();
    const before = (await system.api<DaySummary>('GET', `/api/orders/summary?since=${encodeURIComponent(since)}`)).body;
    const stamps = (await system.api<ChangeStamps>('GET', '/api/changes')).body;
    // A poll that waits for any change: the first order placed must wake it, long before its 20 s are over.
    const woken = system.api<ChangeStamps>(
      'GET',
      `/api/changes?${new URLSearchParams({ ...stamps, wait: '20' }).toString()}`,
    );
    const place = async (channel: string) => {
      const customer = { name, email: `${unique()}@example.com`, phone };
      const placed = await system.api<StoredOrder>(
        'POST',
        '/api/orders',
        orderBody('TEE-BLA-L', { channel, customer }),
      );
      expect(placed.status).toBe(201);
      return placed.body.orderNumber;
    };
    const numbers = [await place('phone'), await place('phone'), await place('web')];
    const changed = await woken;
    expect(changed.status).toBe(200);
    expect(changed.body.orders).not.toBe(stamps.orders);

    // Newest first, two to a page, the total on every page; searched by the phone number.
    const page = (query: Record<string, string>) =>
      system.api<OrderPage>('GET', `/api/orders?${new URLSearchParams({ q: phone, limit: '2', ...query }).toString()}`);
    const first = await page({});
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(3);
    expect(first.body.orders.map((o) => o.orderNumber)).toEqual([numbers[2], numbers[1]]);
    expect(first.body.orders[0]).toMatchObject({ customerName: name, customerPhone: phone, channel: 'web' });
    const second = await page({ cursor: first.body.nextCursor! });
    expect(second.body.orders.map((o) => o.orderNumber)).toEqual([numbers[0]]);
    expect(second.body).toMatchObject({ total: 3, nextCursor: null });
    expect((await page({ channel: 'phone' })).body.total).toBe(2);
    expect((await page({ from: new Date(Date.now() + 60_000).toISOString() })).body.total).toBe(0);
    await eventually('every order allocated', async () =>
      (await Promise.all(numbers.map(statusOf))).every((s) => s === 'PICKING') ? true : undefined,
    );
    const warehouse = await system.db.location.findUniqueOrThrow({ where: { code: 'WH-SH' } });
    const pickedAtWarehouse = await system.db.allocation.findMany({
      where: { order: { orderNumber: { in: numbers } }, locationId: warehouse.id },
      distinct: ['orderId'],
    });
    expect(pickedAtWarehouse.length).toBeGreaterThan(0); // the warehouse comes first and has the stock
    expect((await page({ location: 'WH-SH' })).body.total).toBe(pickedAtWarehouse.length);
    // Nothing is picked yet: the warehouse's picking queue holds the same orders.
    expect((await page({ reservedAt: 'WH-SH' })).body.total).toBe(pickedAtWarehouse.length);
    const unknown = await system.api<ApiError>('GET', '/api/orders?location=NOWHERE');
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('UNKNOWN_LOCATION');
    expect((await system.api('GET', '/api/orders?warning=SOMEWHERE')).status).toBe(422);
    expect((await system.api('GET', '/api/orders?from=yesterday')).status).toBe(422);

    // Picking's SLA here is 2 s: the three are late in picking, and the list of late orders has them.
    await eventually('the orders late in picking', async () => {
      const late = await page({ warning: 'PICKING', limit: '10' });
      return late.body.total === 3 ? true : undefined;
    });
    // Managers in the Temporal UI read the run and its timers in business terms (user metadata, no personal data).
    const handle = system.temporal.workflow.getHandle(orderWorkflowId(numbers[0]));
    expect(await (await handle.describe()).staticSummary()).toBe(`Order ${numbers[0]} · phone · received · ¥198.00`);
    const codec = temporalDataConverter(system.stack.config).payloadCodecs![0];
    const summaries = await Promise.all(
      ((await handle.fetchHistory()).events ?? [])
        .filter((event) => event.userMetadata?.summary)
        .map(async (event) => {
          const [payload] = await codec.decode([event.userMetadata!.summary as Payload]);
          return defaultPayloadConverter.fromPayload<string>(payload);
        }),
    );
    expect(summaries).toEqual(
      expect.arrayContaining(['picking SLA 2s', 'email the customer: received', 'warn managers: picking is late']),
    );
    const after = (await system.api<DaySummary>('GET', `/api/orders/summary?since=${encodeURIComponent(since)}`)).body;
    expect(after.since.orders).toBe(before.since.orders + 3);
    const sold = (await Promise.all(numbers.map((n) => system.api<OrderView>('GET', `/api/orders/${n}`)))).reduce(
      (sum, r) => sum + r.body.totalMinor,
      0,
    );
    expect(after.since.salesMinor).toBe(before.since.salesMinor + sold);
    expect(after.delays.PICKING).toBeGreaterThanOrEqual(3);
    expect(Object.values(after.byStatus).reduce((a, b) => a + b, 0)).toBe(
      Object.values(before.byStatus).reduce((a, b) => a + b, 0) + 3,
    );
    expect((await system.api('GET', '/api/orders/summary')).status).toBe(422);

    // Picked, an order leaves the warehouse's picking queue (its stock there is no longer only reserved).
    const picked = await system.db.order.findUniqueOrThrow({ where: { id: pickedAtWarehouse[0].orderId } });
    await pickEverything(system, picked.orderNumber);
    await eventually('the picked order off the queue', async () =>
      (await page({ reservedAt: 'WH-SH' })).body.total === pickedAtWarehouse.length - 1 ? true : undefined,
    );
    expect((await page({ location: 'WH-SH' })).body.total).toBe(pickedAtWarehouse.length);
  }, 90_000);

  test('an order that takes stock below safety stock warns the manager by one email; a receipt clears it', async () => {
    const sku = 'JEANS-BLU-34';
    const warehouse = await system.db.location.findUniqueOrThrow({ where: { code: 'WH-SH' } });
    const where = { sku_locationId: { sku, locationId: warehouse.id } };
    const level = await system.db.stockLevel.findUniqueOrThrow({ where });
    // Safety stock just under what is available: the next order of 2 crosses it, later ones stay below.
    const safety = await system.api('PUT', `/api/inventory/levels/${sku}/WH-SH`, {
      safetyStock: level.onHand - level.reserved - 1,
    });
    expect(safety.status).toBe(200);
    expect(safety.body).toMatchObject({ sku, location: 'WH-SH', safetyStock: level.onHand - level.reserved - 1 });
    const order = (n: number) =>
      system
        .api<StoredOrder>('POST', '/api/orders', orderBody(sku, { lines: [{ sku, quantity: n }] }))
        .then((r) => r.body.orderNumber);
    await reachStatus(await order(2), 'PICKING');
    await reachStatus(await order(1), 'PICKING');

    // Orders left in picking by earlier tests have delay warnings of their own (kind DELAY): only stock counts here.
    const lowStock = async () =>
      (await system.api<WarningList>('GET', '/api/warnings')).body.warnings.filter((w) => w.kind === 'LOW_STOCK');
    expect(await lowStock()).toEqual([expect.objectContaining({ kind: 'LOW_STOCK', sku, locationId: warehouse.id })]);
    expect(
      (await system.api<StockLevelList>('GET', `/api/inventory?low=true&location=WH-SH`)).body.levels.map((l) => l.sku),
    ).toEqual([sku]);
    // The manager also hears about delayed orders; only low-stock emails count here.
    const lowStockMail = async () =>
      (await emailsTo(system.mailUrl, 'manager@shop-oms.local')).filter((m) => m.subject.startsWith('Low stock'));
    const mail = await eventually('the low-stock email', async () => {
      const got = await lowStockMail();
      return got.length > 0 ? got : undefined;
    });
    await new Promise((r) => setTimeout(r, 500)); // room for a second email, were one to come
    expect((await lowStockMail()).map((m) => m.subject)).toEqual([`Low stock: ${sku} at Shanghai warehouse`]);
    expect(mail[0].text).toContain('below its safety stock');

    const receipt = { location: 'WH-SH', reference: `DN-${unique()}`, lines: [{ sku, quantity: 50 }] };
    expect((await system.api('POST', '/api/inventory/receipts', receipt)).status).toBe(201);
    expect((await system.api('POST', '/api/inventory/receipts', receipt)).status).toBe(200); // the same delivery note
    expect(await lowStock()).toEqual([]);
    const after = await system.db.stockLevel.findUniqueOrThrow({ where });
    expect(after.onHand).toBe(level.onHand + 50);
    const check = await system.api('GET', '/api/inventory/check');
    expect(check.body).toEqual({ consistent: true, differences: [], serialDifferences: [] });
  }, 60_000);

  test('a transfer moves stock between locations, short receipt recorded, through a worker crash', async () => {
    const sku = 'TEE-BLA-M';
    const level = async (location: string) =>
      (await system.api<StockLevelList>('GET', `/api/inventory?sku=${sku}&location=${location}`)).body.levels[0];
    const [warehouseBefore, storeBefore] = [await level('WH-SH'), await level('ST-NJR')];

    const tooMuch = await system.api('POST', '/api/transfers', {
      from: 'WH-SH',
      to: 'ST-NJR',
      lines: [{ sku, quantity: warehouseBefore.available + 1 }],
    });
    expect(tooMuch.status).toBe(409);
    expect(await system.db.transfer.count()).toBe(0);

    const created = await system.api<TransferView>('POST', '/api/transfers', {
      from: 'WH-SH',
      to: 'ST-NJR',
      lines: [{ sku, quantity: 10 }],
    });
    expect(created.status).toBe(201);
    const transferNumber: string = created.body.transferNumber;
    expect(created.body.status).toBe('REQUESTED');
    expect((await level('WH-SH')).available).toBe(warehouseBefore.available - 10);
    const handle = system.temporal.workflow.getHandle(transferWorkflowId(transferNumber));
    expect((await handle.describe()).typedSearchAttributes.get(TransferStatusAttribute)).toBe('REQUESTED');

    expect((await system.api('POST', `/api/transfers/${transferNumber}/receive`, { lines: [] })).status).toBe(409);
    const shipped = await system.api('POST', `/api/transfers/${transferNumber}/ship`, {});
    expect(shipped.status).toBe(200);
    await eventually('the transfer in transit', async () =>
      (await system.db.transfer.findUnique({ where: { transferNumber } }))?.status === 'IN_TRANSIT' ? true : undefined,
    );
    // In transit: off the warehouse shelf, not yet in the store.
    expect(await level('WH-SH')).toMatchObject({
      onHand: warehouseBefore.onHand - 10,
      reserved: warehouseBefore.reserved,
    });
    expect(await level('ST-NJR')).toMatchObject({ onHand: storeBefore.onHand });

    // The worker dies while the goods are on the road; a new one carries on.
    const worker = system.stack.processes.find((p) => p.name === 'worker')!;
    await worker.crashAndRestart();

    const wrongSku = await system.api('POST', `/api/transfers/${transferNumber}/receive`, {
      lines: [{ sku: 'JEANS-BLU-30', received: 1 }],
    });
    expect(wrongSku.status).toBe(422);
    const tooMany = await system.api('POST', `/api/transfers/${transferNumber}/receive`, {
      lines: [{ sku, received: 11 }],
    });
    expect(tooMany.status).toBe(422);
    const received = await system.api('POST', `/api/transfers/${transferNumber}/receive`, {
      lines: [{ sku, received: 8 }],
    });
    expect(received.status).toBe(200);
    expect(await handle.result()).toEqual({ transferNumber, status: 'RECEIVED' });

    const transfer = await system.db.transfer.findUniqueOrThrow({
      where: { transferNumber },
      include: { lines: true },
    });
    expect(transfer.status).toBe('RECEIVED');
    expect(transfer.lines).toEqual([expect.objectContaining({ sku, quantity: 10, received: 8 })]);
    expect(await level('ST-NJR')).toMatchObject({ onHand: storeBefore.onHand + 8 });
    const movements = await system.db.stockMovement.findMany({
      where: { reference: transferNumber },
      orderBy: { id: 'asc' },
    });
    expect(movements.map((m) => [m.kind, m.onHandDelta, m.reservedDelta, m.reason])).toEqual([
      ['RESERVE', 0, 10, null],
      ['TRANSFER_OUT', -10, -10, null],
      ['TRANSFER_IN', 8, 0, 'short by 2'],
    ]);
    expect((await handle.describe()).typedSearchAttributes.get(TransferStatusAttribute)).toBe('RECEIVED');
    expect((await system.api<StockCheck>('GET', '/api/inventory/check')).body.consistent).toBe(true);
  }, 90_000);

  test('products and stock go out and come in as CSV; a file with a bad row changes nothing', async () => {
    const exported = await fetch(`${system.apiUrl}/api/products.csv`, {
      headers: { authorization: `Bearer ${system.adminKey}` },
    });
    expect(exported.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = await exported.text();
    expect(csv).toContain('PHONE-X1,X1 smartphone,phones,true,PHONE-X1-128GB');
    const post = <Body>(route: string, body: string) =>
      fetch(`${system.apiUrl}${route}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${system.adminKey}`, 'content-type': 'text/csv' },
        body,
      }).then(async (r) => ({ status: r.status, body: await json<Body>(r) }));
    const variantsBefore = await system.db.productVariant.count();
    const bad = `${csv.trim()}\nNEW,New thing,misc,maybe,NEW-1,6900000000999,100,`;
    const refused = await post<ApiError<ImportErrorDetails>>('/api/products/import', bad);
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.rows).toEqual([
      { row: csv.trim().split('\n').length + 1, column: 'serialised', message: 'must be true or false' },
    ]);
    expect(await system.db.productVariant.count()).toBe(variantsBefore);
    const accepted = await post('/api/products/import', bad.replace(',maybe,', ',false,'));
    expect(accepted).toEqual({ status: 200, body: { products: matching.any(Number), variants: variantsBefore + 1 } });
    expect((await system.api<ProductList>('GET', '/api/products')).body.products.some((p) => p.code === 'NEW')).toBe(
      true,
    );
  });

  test('managers add locations and products; duplicates and bad fields are refused', async () => {
    const location = { code: 'ST-XTD', name: 'Xintiandi store', kind: 'STORE', priority: 30, pickup: true };
    expect((await system.api('POST', '/api/locations', location)).status).toBe(201);
    expect((await system.api('POST', '/api/locations', location)).status).toBe(409);
    expect((await system.api<LocationList>('GET', '/api/locations')).body.locations.map((l) => l.code)).toContain(
      'ST-XTD',
    );

    const product = {
      code: 'SCARF',
      name: 'Silk scarf',
      category: 'accessories',
      variants: [{ sku: 'SCARF-RED', barcode: '6901234500999', priceMinor: 19_900, attributes: { colour: 'red' } }],
    };
    const created = await system.api<ProductView>('POST', '/api/products', product);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'SCARF', serialised: false, variants: [{ sku: 'SCARF-RED' }] });
    const sameBarcode = { ...product, code: 'SCARF-2', variants: [{ ...product.variants[0], sku: 'SCARF-BLUE' }] };
    expect((await system.api('POST', '/api/products', sameBarcode)).status).toBe(409);
    const badPrice = await system.api<ApiError<ValidationDetails>>('POST', '/api/products', {
      ...product,
      code: 'X',
      variants: [{ ...product.variants[0], priceMinor: 1.5 }],
    });
    expect(badPrice.status).toBe(422);
    expect(badPrice.body.error.details).toEqual([expect.objectContaining({ path: 'variants.0.priceMinor' })]);
    expect(await system.db.product.count({ where: { code: { in: ['SCARF-2', 'X'] } } })).toBe(0);

    const writeOff = (lines: unknown[]) =>
      system.api('POST', '/api/inventory/write-offs', {
        location: 'ST-NJR',
        reference: `WO-${unique()}`,
        reason: 'torn',
        lines,
      });
    const before = (await system.api<StockLevelList>('GET', '/api/inventory?sku=TEE-WHI-S&location=ST-NJR')).body
      .levels[0];
    expect((await writeOff([{ sku: 'TEE-WHI-S', quantity: 1 }])).status).toBe(201);
    expect((await writeOff([{ sku: 'TEE-WHI-S', quantity: before.available }])).status).toBe(409);
    expect((await writeOff([{ sku: 'PHONE-X1-256GB', quantity: 1 }])).status).toBe(422); // serialised: name the unit
    const after = (await system.api<StockLevelList>('GET', '/api/inventory?sku=TEE-WHI-S&location=ST-NJR')).body
      .levels[0];
    expect(after.onHand).toBe(before.onHand - 1);
  });

  test('bad input is refused with a clear 4xx and writes nothing', async () => {
    const countBefore = await system.db.order.count();
    const noKey = await system.api('POST', '/api/orders', orderBody('TEE-WHI-M'), null);
    expect(noKey.status).toBe(401);
    const wrongKey = await system.api('GET', '/api/products', undefined, 'oms_not_a_key');
    expect(wrongKey.status).toBe(401);

    const invalid = await system.api<ApiError>(
      'POST',
      '/api/orders',
      orderBody('TEE-WHI-M', { lines: [{ sku: 'TEE-WHI-M', quantity: -1 }] }),
    );
    expect(invalid.status).toBe(422);
    expect(invalid.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ path: 'lines.0.quantity' })],
    });

    const unknownSku = await system.api<ApiError>('POST', '/api/orders', orderBody('NO-SUCH-SKU'));
    expect(unknownSku.status).toBe(422);
    expect(unknownSku.body.error).toMatchObject({ code: 'UNKNOWN_SKU', details: { skus: ['NO-SUCH-SKU'] } });

    const malformed = await system.api<ApiError>('POST', '/api/orders', '{"channel": "web",');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('INVALID_JSON');

    expect((await system.api('GET', '/api/orders/SO-20990101-000001')).status).toBe(404);
    expect(await system.db.order.count()).toBe(countBefore);
  });

  test('the same order sent five times at once is stored and processed once', async () => {
    const body = orderBody('TEE-WHI-L');
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => system.api<StoredOrder>('POST', '/api/orders', body)),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(replies.map((r) => r.body.orderNumber)).size).toBe(1);
    expect(await system.db.order.count({ where: { externalId: body.externalId } })).toBe(1);
    await reachStatus(replies[0].body.orderNumber, 'PICKING');
    expect(await system.db.allocation.count({ where: { order: { externalId: body.externalId } } })).toBe(1);
  }, 60_000);

  test('carrier webhooks with a wrong or stale signature are refused', async () => {
    const event = JSON.stringify({
      eventId: 'e1',
      trackingNumber: 'LC1CN',
      status: 'DELIVERED',
      occurredAt: new Date().toISOString(),
    });
    const post = (signature: string) =>
      fetch(`${system.apiUrl}/api/carriers/local/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-carrier-signature': signature },
        body: event,
      });
    expect((await post(signPayload('not-the-secret', event))).status).toBe(401);
    const stale = signPayload(carrierWebhookSecret(system), event, Math.floor(Date.now() / 1000) - 3600);
    expect((await post(stale)).status).toBe(401);
    // Correctly signed but for no shipment of ours.
    expect((await post(signPayload(carrierWebhookSecret(system), event))).status).toBe(404);
  });

  test('a full restart keeps every order, its workflow, the stock and the mail', async () => {
    const body = orderBody('PHONE-X1-128GB', { lines: [{ sku: 'PHONE-X1-128GB', quantity: 1 }] });
    const orderNumber = (await system.api<StoredOrder>('POST', '/api/orders', body)).body.orderNumber;
    await reachStatus(orderNumber, 'PICKING');
    const productsBefore = await system.db.productVariant.count();
    const levelBefore = (await system.api<StockLevelList>('GET', '/api/inventory?sku=PHONE-X1-128GB&location=WH-SH'))
      .body.levels[0];

    await system.restart();

    expect(await statusOf(orderNumber)).toBe('PICKING');
    expect(await system.db.productVariant.count()).toBe(productsBefore); // demo data is not loaded twice
    expect(
      (await system.api<StockLevelList>('GET', '/api/inventory?sku=PHONE-X1-128GB&location=WH-SH')).body.levels[0],
    ).toEqual(levelBefore);
    await pickEverything(system, orderNumber);
    await reachStatus(orderNumber, 'COMPLETED', 30_000);
    // The phone that left is a named unit, sold to this order.
    const unit = await system.db.serialUnit.findFirstOrThrow({ where: { reference: orderNumber } });
    const history = (await system.api<SerialUnitView>('GET', `/api/serials/${unit.serial}`)).body;
    expect(history).toMatchObject({ sku: 'PHONE-X1-128GB', status: 'SOLD', reference: orderNumber });
    expect(history.events.map((e) => e.kind)).toEqual(['RECEIPT', 'SALE']);
    const next = (await system.api<StoredOrder>('POST', '/api/orders', orderBody('TEE-WHI-M'))).body.orderNumber;
    expect(next > orderNumber).toBe(true); // the daily sequence carries on
    const emails = await eventually('all three emails', async () => {
      const got = await emailsTo(system.mailUrl, body.customer.email);
      return got.length >= 3 ? got : undefined;
    });
    expect(emails).toHaveLength(3);
  }, 150_000);
}

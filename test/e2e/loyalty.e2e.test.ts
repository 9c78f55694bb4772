/**
 * Tiers and points on the real stack (SQLite, the worker, Temporal): a delivered order earns points at its tier and
 * lifts the tier; a return's refund takes its share back and the tier drops, each change on record; points pay part
 * of an order, come back when it is cancelled, and an order asking for more than the balance is refused with nothing
 * stored; 100 orders at once against a balance that covers 10 give exactly 10; a VIP's backordered order is served
 * before an ordinary one that waited longer, and goes express.
 */
import crypto from 'node:crypto';
import { eventually, startTestSystem, type TestSystem } from '../support/system';
import type { CreatedApiKey } from '../support/api';
import { capturePayment } from '../support/payments';
import {
  getOrder,
  newMobile,
  newProduct,
  orderBody,
  pickEverything,
  placeOrder,
  reachStatus,
  receive,
  stockLevel,
  unique,
} from '../support/orders';

/** Low thresholds, so one or two test products make a tier. */
const TIERS = [
  {
    code: 'STANDARD',
    name: '普通',
    fromMinor: 0,
    pointsPerYuan: 1,
    discountPercent: 0,
    express: false,
    backorderPriority: 0,
  },
  {
    code: 'SILVER',
    name: '银卡',
    fromMinor: 15_000,
    pointsPerYuan: 2,
    discountPercent: 2,
    express: false,
    backorderPriority: 0,
  },
  // Out of reach by spending here: a test makes a customer VIP by hand.
  {
    code: 'VIP',
    name: 'VIP',
    fromMinor: 100_000_000,
    pointsPerYuan: 2,
    discountPercent: 8,
    express: true,
    backorderPriority: 2,
  },
];

interface Membership {
  tier: { code: string; name: string };
  nextTier: { code: string } | null;
  pointsBalance: number;
}
interface Profile {
  customer: { id: number };
  membership: Membership;
  events: { action: string; details: Record<string, unknown> }[];
  points: { kind: string; points: number; orderNumber: string | null }[];
}
interface ApiError {
  error: { code: string; message: string };
}

let system: TestSystem;
let manager: string;

beforeAll(async () => {
  // A window long enough to ask for a return after delivery on a loaded box.
  system = await startTestSystem({ env: { OMS_AFTER_SALES_WINDOW: '15s', OMS_LOYALTY_TIERS: JSON.stringify(TIERS) } });
  manager = (await system.api<CreatedApiKey>('POST', '/api/admin/keys', { name: 'loyalty manager', role: 'manager' }))
    .body.key;
}, 180_000);

afterAll(() => system?.stop(), 60_000);

async function customerIdOf(orderNumber: string): Promise<number> {
  const order = await system.db.order.findUniqueOrThrow({ where: { orderNumber }, select: { customerId: true } });
  return order.customerId!;
}

async function profile(id: number): Promise<Profile> {
  const answer = await system.api<Profile>('GET', `/api/customers/${id}`);
  expect(answer.status).toBe(200);
  return answer.body;
}

/** Waits until the profile satisfies `ready`. */
const profileWhen = (id: number, what: string, ready: (p: Profile) => boolean) =>
  eventually(what, async () => {
    const p = await profile(id);
    return ready(p) ? p : undefined;
  });

const adjust = (id: number, points: number, adjustmentId = crypto.randomUUID()) =>
  system.api<{ applied: boolean; balanceAfter: number } & ApiError>(
    'POST',
    `/api/customers/${id}/points`,
    { points, reason: 'Welcome gift', adjustmentId },
    manager,
  );

test('a delivered order earns points and lifts the tier; a return takes its share back and the tier drops', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 4 }, priceMinor: 10_000 });
  const body = orderBody(sku, {
    customer: { name: '陈静', email: `chen.${unique()}@example.com`, phone: newMobile() },
    lines: [{ sku, quantity: 2 }],
  });
  const orderNumber = await placeOrder(system, body);
  await reachStatus(system, orderNumber, 'PICKING');
  const id = await customerIdOf(orderNumber);
  expect((await profile(id)).membership).toMatchObject({ tier: { code: 'STANDARD' }, pointsBalance: 0 });
  await pickEverything(system, orderNumber);
  await reachStatus(system, orderNumber, 'DELIVERED');

  // ¥200 delivered reaches 银卡 (from ¥150), and the order earns at its rate: 2 points a yuan.
  const delivered = await profileWhen(id, 'points for the delivered order', (p) => p.membership.pointsBalance > 0);
  expect(delivered.membership).toMatchObject({ tier: { code: 'SILVER', name: '银卡' }, pointsBalance: 400 });
  // The order's own view carries them too, for the clerk who has it open.
  expect((await getOrder(system, orderNumber)).member).toEqual({
    tier: { code: 'SILVER', name: '银卡' },
    pointsBalance: 400,
  });

  const opened = await system.api<{ returnNumber: string }>('POST', `/api/orders/${orderNumber}/returns`, {
    source: 'customer',
    kind: 'RETURN',
    reason: 'SIZE_OR_FIT',
    lines: [{ lineNo: 1, quantity: 1 }],
  });
  expect(opened.status).toBe(201);
  const { returnNumber } = opened.body;
  await reachStatus(system, orderNumber, 'AFTER_SALES');
  expect((await system.api('POST', `/api/returns/${returnNumber}/approve`, {})).status).toBe(200);
  const receive = { lines: [{ lineNo: 1, condition: 'RESTOCK' }], location: 'WH-SH' };
  expect((await system.api('POST', `/api/returns/${returnNumber}/receive`, receive)).status).toBe(200);
  await eventually('the return received', async () =>
    (await system.db.returnRequest.findUniqueOrThrow({ where: { returnNumber } })).receivedAt ? true : undefined,
  );
  expect((await system.api('POST', `/api/returns/${returnNumber}/refund`, {})).status).toBe(200);

  // Half the money back: half the points go, and ¥100 kept is below 银卡.
  const refunded = await profileWhen(id, 'the points taken back', (p) => p.membership.pointsBalance < 400);
  expect(refunded.membership).toMatchObject({ tier: { code: 'STANDARD' }, pointsBalance: 200 });
  await reachStatus(system, orderNumber, 'COMPLETED');
  const done = await profile(id);
  expect(done.membership.tier.code).toBe('STANDARD');
  expect(done.events.filter((e) => e.action === 'TIER_CHANGED').map((e) => [e.details.from, e.details.to])).toEqual([
    ['SILVER', 'STANDARD'],
    ['STANDARD', 'SILVER'],
  ]);
  expect(done.points.map((m) => [m.kind, m.points, m.orderNumber])).toEqual([
    ['TAKE_BACK', -200, orderNumber],
    ['EARN', 400, orderNumber],
  ]);
}, 180_000);

test('points pay part of an order and come back when it is cancelled; more than the balance is refused', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 3 }, priceMinor: 10_000 });
  const customer = { name: 'Guo Mei', email: `guo.${unique()}@example.com`, phone: newMobile() };
  const first = await placeOrder(system, orderBody(sku, { customer, lines: [{ sku, quantity: 1 }] }));
  const id = await customerIdOf(first);
  expect((await adjust(id, 3_000)).body).toMatchObject({ applied: true, balanceAfter: 3_000 });

  // ¥100, of which 2,500 points pay ¥25 and the card ¥75.
  const capture = capturePayment({ amountMinor: 7_500 });
  const paidWithPoints = orderBody(sku, {
    customer,
    lines: [{ sku, quantity: 1 }],
    pointsToRedeem: 2_500,
    payment: { status: 'PAID', reference: capture.reference },
  });
  const second = await placeOrder(system, paidWithPoints);
  expect((await profile(id)).membership.pointsBalance).toBe(500);
  // Review takes the card's ¥75 as paid in full.
  await reachStatus(system, second, 'PICKING');

  const tooMany = orderBody(sku, { customer, lines: [{ sku, quantity: 1 }], pointsToRedeem: 501 });
  const refused = await system.api<ApiError>('POST', '/api/orders', tooMany);
  expect([refused.status, refused.body.error.code]).toEqual([422, 'NOT_ENOUGH_POINTS']);
  expect(await system.db.order.count({ where: { externalId: tooMany.externalId } })).toBe(0);
  for (const bad of [
    { pointsToRedeem: 0 },
    { pointsToRedeem: 1.5 },
    { pointsToRedeem: 20_000 }, // worth more than the order
    { pointsToRedeem: 10, customer: undefined, channel: 'pos', pickupStore: 'ST-NJR' }, // nobody to take them from
  ]) {
    const body = { ...orderBody(sku, { customer, lines: [{ sku, quantity: 1 }] }), ...bad };
    const answer = await system.api<ApiError>('POST', '/api/orders', body);
    expect([answer.status, JSON.stringify(bad)]).toEqual([422, JSON.stringify(bad)]);
    expect(await system.db.order.count({ where: { externalId: body.externalId } })).toBe(0);
  }
  expect((await profile(id)).membership.pointsBalance).toBe(500);

  expect((await system.api('POST', `/api/orders/${second}/cancel`, { reason: 'Changed mind' })).status).toBe(200);
  await reachStatus(system, second, 'CANCELLED');
  const back = await profileWhen(id, 'the points given back', (p) => p.membership.pointsBalance === 3_000);
  expect(back.points[0]).toMatchObject({ kind: 'REDEEM_RETURNED', points: 2_500, orderNumber: second });
  // The card gets back what it paid, not the points' part.
  const refunds = await eventually('the cancellation refund', async () => {
    const rows = await system.db.refund.findMany({ where: { order: { orderNumber: second } } });
    return rows.length ? rows : undefined;
  });
  expect(refunds.map((r) => r.amountMinor)).toEqual([7_500]);

  // A manager's adjustment is applied once per id, and may not overdraw.
  const gift = crypto.randomUUID();
  expect((await adjust(id, 100, gift)).body).toMatchObject({ applied: true, balanceAfter: 3_100 });
  expect((await adjust(id, 100, gift)).body).toMatchObject({ applied: false });
  expect((await adjust(id, 200, gift)).status).toBe(409);
  const overdraw = await adjust(id, -5_000);
  expect([overdraw.status, overdraw.body.error.code]).toEqual([422, 'NOT_ENOUGH_POINTS']);
  const clerk = (await system.api<CreatedApiKey>('POST', '/api/admin/keys', { name: 'loyalty clerk', role: 'clerk' }))
    .body.key;
  const byClerk = await system.api(
    'POST',
    `/api/customers/${id}/points`,
    { points: 5, reason: 'x', adjustmentId: 'abcdefgh' },
    clerk,
  );
  expect(byClerk.status).toBe(403);
  expect((await profile(id)).membership.pointsBalance).toBe(3_100);
}, 180_000);

test('100 orders at once, each paying 100 points, against a balance of 1,000: exactly 10 are taken', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 100 }, priceMinor: 10_000 });
  const customer = { name: 'Race Customer', phone: newMobile() };
  const seed = await placeOrder(
    system,
    orderBody(sku, { channel: 'phone', customer, lines: [{ sku, quantity: 1 }], payment: { status: 'COD' } }),
  );
  const id = await customerIdOf(seed);
  await adjust(id, 1_000);

  const answers = await Promise.all(
    Array.from({ length: 100 }, () =>
      system.api<ApiError>(
        'POST',
        '/api/orders',
        orderBody(sku, {
          channel: 'phone',
          externalId: `TEL-${unique()}`,
          customer,
          lines: [{ sku, quantity: 1 }],
          payment: { status: 'COD' },
          pointsToRedeem: 100,
        }),
      ),
    ),
  );
  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(10);
  expect(answers.filter((a) => a.status === 422 && a.body.error.code === 'NOT_ENOUGH_POINTS')).toHaveLength(90);
  expect((await profile(id)).membership.pointsBalance).toBe(0);
  expect(await system.db.order.count({ where: { customerId: id, pointsRedeemed: 100 } })).toBe(10);
  // Only the ten accepted orders (and the first) hold stock.
  await eventually('the ten orders reserved', async () =>
    (await stockLevel(system, sku, 'WH-SH')).reserved === 11 ? true : undefined,
  );
}, 180_000);

test("a VIP's backordered order is served before an ordinary one that waited longer, and ships express", async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 0 }, priceMinor: 10_000 });
  const ordinary = orderBody(sku, {
    customer: { name: 'Early Bird', email: `early.${unique()}@example.com`, phone: newMobile() },
    lines: [{ sku, quantity: 1 }],
  });
  const waitedLonger = await placeOrder(system, ordinary);
  await reachStatus(system, waitedLonger, 'BACKORDERED');

  const vipCustomer = { name: '金女士', email: `vip.${unique()}@example.com`, phone: newMobile() };
  const seed = await placeOrder(system, orderBody(sku, { customer: vipCustomer, lines: [{ sku, quantity: 1 }] }));
  await reachStatus(system, seed, 'BACKORDERED');
  // The customer is a VIP already (a test cannot spend ¥1,000,000 here).
  await system.db.customer.update({ where: { id: await customerIdOf(seed) }, data: { tierCode: 'VIP' } });
  expect((await system.api<{ status: string }>('POST', `/api/orders/${seed}/cancel`, { reason: 'test' })).status).toBe(
    200,
  );
  await reachStatus(system, seed, 'CANCELLED');
  const vip = await placeOrder(system, orderBody(sku, { customer: vipCustomer, lines: [{ sku, quantity: 1 }] }));
  await reachStatus(system, vip, 'BACKORDERED');

  // One unit arrives: the VIP's order takes it; the one that waited longer keeps waiting.
  await receive(system, 'WH-SH', sku, 1);
  await reachStatus(system, vip, 'PICKING');
  expect((await getOrder(system, waitedLonger)).status).toBe('BACKORDERED');
  // The next unit is the ordinary order's.
  await receive(system, 'WH-SH', sku, 1);
  await reachStatus(system, waitedLonger, 'PICKING');

  await pickEverything(system, vip);
  await pickEverything(system, waitedLonger);
  const services = await eventually('both parcels booked', async () => {
    const rows = await system.db.shipment.findMany({
      where: { order: { orderNumber: { in: [vip, waitedLonger] } } },
      select: { service: true, order: { select: { orderNumber: true } } },
    });
    return rows.length === 2 ? new Map(rows.map((r) => [r.order.orderNumber, r.service])) : undefined;
  });
  expect([services.get(vip), services.get(waitedLonger)]).toEqual(['express', 'standard']);
}, 180_000);

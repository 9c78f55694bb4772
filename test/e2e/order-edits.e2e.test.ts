/**
 * Order edits by staff on the real stack (SQLite): an address flagged in review is corrected and the order goes on by
 * itself; after review an edit that review would flag is refused and nothing changes; once a parcel is picked every
 * edit is refused with 409; lines change before allocation, re-priced, with the paid difference refunded; the
 * timeline shows who changed what; the warehouse sees the edit without the customer's contact details.
 */
import type { Role } from '../../access/roles';
import type { CreatedApiKey, OrderView } from '../support/api';
import { eventually, startTestSystem, type TestSystem } from '../support/system';
import { getOrder, newProduct, orderBody, pickEverything, placeOrder, reachStatus } from '../support/orders';

let system: TestSystem;
const keys = {} as Record<Exclude<Role, 'admin'>, string>;

beforeAll(async () => {
  system = await startTestSystem();
  for (const role of ['clerk', 'warehouse', 'manager'] as const) {
    const created = await system.api<CreatedApiKey>('POST', '/api/admin/keys', { name: `edits ${role}`, role });
    keys[role] = created.body.key;
  }
}, 180_000);

afterAll(() => system?.stop(), 60_000);

const GOOD_ADDRESS = { line1: '88 Nanjing Road', city: 'Shanghai', postalCode: '200001', country: 'CN' };
const NO_DOOR_NUMBER = { line1: 'Nanjing Road', city: 'Shanghai', postalCode: '200001', country: 'CN' };

const edit = (orderNumber: string, body: unknown, key = keys.clerk) =>
  system.api<OrderView & { error?: { code: string; message: string } }>(
    'PATCH',
    `/api/orders/${orderNumber}`,
    body,
    key,
  );

/** The codes review flagged the order for, once it has (the status is IN_REVIEW a moment before). */
const reviewedFor = (orderNumber: string) =>
  eventually(`${orderNumber} reviewed`, async () => {
    const order = await getOrder(system, orderNumber);
    return order.status === 'IN_REVIEW' && order.reviewReasons ? order.reviewReasons.map((r) => r.code) : undefined;
  });

const edits = (order: OrderView) => order.timeline.filter((e) => e.kind === 'staff' && e.action === 'edit order');

test('an address flagged in review is corrected by a clerk: review runs again and the order goes on by itself', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 } });
  const orderNumber = await placeOrder(system, orderBody(sku, { shippingAddress: NO_DOOR_NUMBER }));
  expect(await reviewedFor(orderNumber)).toEqual(['NO_DOOR_NUMBER']);

  const edited = await edit(orderNumber, { shippingAddress: GOOD_ADDRESS, reason: 'customer called with the number' });
  expect(edited.status).toBe(200);
  expect(edited.body.shippingAddress).toEqual(GOOD_ADDRESS);
  // Nobody approved it: the new verdict had no reasons left.
  await reachStatus(system, orderNumber, 'PICKING');
  const order = await getOrder(system, orderNumber);
  expect(order.reviewReasons).toEqual([]);
  expect(order.timeline.some((e) => e.action === 'approve')).toBe(false);
  expect(edits(order)).toMatchObject([
    {
      actor: 'edits clerk',
      reason: 'customer called with the number',
      details: {
        changed: ['shippingAddress'],
        before: { shippingAddress: NO_DOOR_NUMBER },
        after: { shippingAddress: GOOD_ADDRESS },
      },
    },
  ]);
  // The warehouse sees that the address changed, not the street.
  const asWarehouse = await system.api<OrderView>('GET', `/api/orders/${orderNumber}`, undefined, keys.warehouse);
  expect(JSON.stringify(edits(asWarehouse.body))).not.toContain('Nanjing Road');
});

test('once review has passed, an edit review would flag is refused with nothing changed; a note goes through', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 } });
  const orderNumber = await placeOrder(system, orderBody(sku));
  await reachStatus(system, orderNumber, 'PICKING');

  const refused = await edit(orderNumber, { shippingAddress: NO_DOOR_NUMBER });
  expect(refused.status).toBe(422);
  expect(refused.body.error?.message).toMatch(/Review would flag this edit: Address has no house or door number/);
  const lines = await edit(orderNumber, { lines: [{ lineNo: 1, quantity: 1 }] });
  expect(lines.status).toBe(409);
  expect(lines.body.error?.message).toMatch(/lines can no longer change/);
  let order = await getOrder(system, orderNumber);
  expect(order.shippingAddress).toEqual(GOOD_ADDRESS);
  expect(order.lines[0].quantity).toBe(2);
  expect(edits(order)).toEqual([]);

  const noted = await edit(orderNumber, { note: 'Gift wrap, no invoice in the parcel' });
  expect(noted.status).toBe(200);
  expect(noted.body.note).toBe('Gift wrap, no invoice in the parcel');
  const moved = await edit(orderNumber, { shippingAddress: { ...GOOD_ADDRESS, line1: '1 Huaihai Road' } });
  expect(moved.status).toBe(200);
  order = await getOrder(system, orderNumber);
  expect(order.shippingAddress).toEqual({ ...GOOD_ADDRESS, line1: '1 Huaihai Road' });
  expect(edits(order).map((e) => (e.details as { changed: string[] }).changed)).toEqual([
    ['note'],
    ['shippingAddress'],
  ]);
});

test('after a parcel is picked every edit is refused with 409, and the warehouse may not edit at all', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 } });
  const orderNumber = await placeOrder(system, orderBody(sku));
  await reachStatus(system, orderNumber, 'PICKING');
  expect((await edit(orderNumber, { note: 'by the warehouse' }, keys.warehouse)).status).toBe(403);
  const actions = await system.api<{ actions: { action: string }[] }>(
    'GET',
    `/api/orders/${orderNumber}/actions`,
    undefined,
    keys.clerk,
  );
  expect(actions.body.actions.map((a) => a.action)).toContain('edit');

  for (const picked of await pickEverything(system, orderNumber)) expect(picked.status).toBe(200);
  const refused = await edit(orderNumber, { shippingAddress: { ...GOOD_ADDRESS, line1: '2 Huaihai Road' } });
  expect(refused.status).toBe(409);
  expect(refused.body.error?.code).toBe('WRONG_STATE');
  expect(refused.body.error?.message).toMatch(/once a parcel is picked/);
  const order = await getOrder(system, orderNumber);
  expect(order.shippingAddress).toEqual(GOOD_ADDRESS);
  expect(edits(order)).toEqual([]);
});

test('lines change while the order waits in review: re-priced, the paid difference refunded, the order goes on', async () => {
  const { sku, variants } = await newProduct(system, { sizes: ['M', 'L'], priceMinor: 10_000, stock: { 'WH-SH': 30 } });
  // 25 is over the review's limit per line: the order waits in review.
  const orderNumber = await placeOrder(system, orderBody(sku, { lines: [{ sku, quantity: 25 }] }));
  expect(await reviewedFor(orderNumber)).toEqual(['QUANTITY_OVER_LIMIT']);

  const bad = await edit(orderNumber, { lines: [{ lineNo: 7, quantity: 1 }] });
  expect(bad.status).toBe(422);
  expect(bad.body.error?.message).toBe('The order has no line 7');
  const edited = await edit(orderNumber, { lines: [{ lineNo: 1, sku: variants[1].sku, quantity: 3 }] });
  expect(edited.status).toBe(200);
  await reachStatus(system, orderNumber, 'PICKING');
  const order = await getOrder(system, orderNumber);
  expect(order.lines).toEqual([expect.objectContaining({ sku: variants[1].sku, quantity: 3, unitPriceMinor: 10_000 })]);
  expect(order.totalMinor).toBe(30_000);
  expect(order.refunds).toEqual([expect.objectContaining({ amountMinor: 220_000 })]);
  // Only the new line's stock was reserved.
  expect(order.allocations).toEqual([expect.objectContaining({ quantity: 3 })]);
});

test('bad edits are refused with a clear 4xx and change nothing', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 } });
  const orderNumber = await placeOrder(system, orderBody(sku, { shippingAddress: NO_DOOR_NUMBER }));
  await reviewedFor(orderNumber);
  const answers = await Promise.all([
    edit(orderNumber, {}),
    edit(orderNumber, { reason: 'nothing else' }),
    edit(orderNumber, { status: 'SHIPPED' }),
    edit(orderNumber, { customer: {} }),
    edit(orderNumber, { lines: [{ lineNo: 1 }] }),
    edit(orderNumber, { lines: [{ lineNo: 1, remove: true }] }),
    edit(orderNumber, { lines: [{ lineNo: 1, sku: 'NO-SUCH-SKU' }] }),
    edit(orderNumber, { shippingAddress: { line1: '1 Road' } }),
    edit('SO-20000101-999999', { note: 'x' }),
  ]);
  expect(answers.map((a) => [a.status, a.body.error?.code])).toEqual([
    [422, 'NOTHING_TO_CHANGE'],
    [422, 'NOTHING_TO_CHANGE'],
    [422, 'VALIDATION_FAILED'],
    [422, 'VALIDATION_FAILED'],
    [422, 'VALIDATION_FAILED'],
    [422, 'INVALID_CONTENT'],
    [422, 'INVALID_CONTENT'],
    [422, 'VALIDATION_FAILED'],
    [404, 'ORDER_NOT_FOUND'],
  ]);
  const order = await getOrder(system, orderNumber);
  expect(order.status).toBe('IN_REVIEW');
  expect(order.shippingAddress).toEqual(NO_DOOR_NUMBER);
  expect(order.lines).toEqual([expect.objectContaining({ sku, quantity: 2 })]);
  expect(edits(order)).toEqual([]);
});

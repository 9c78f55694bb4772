/**
 * Customer data by need, on the real stack (SQLite): a warehouse key sees names and masked phones but no email or
 * street address on the order's view, the list and the search, yet the whole ship-to on the packing slip of a parcel
 * it packs; a clerk sees everything. Lookups are limited per key (a small OMS_LOOKUP_RATE_LIMIT here), `q` takes
 * wildcards literally, and a warehouse count that would write stock off is refused and audited while a manager's
 * goes through.
 */
import type { Role } from '../../access/roles';
import { eventually, startTestSystem, type TestSystem } from '../support/system';
import type {
  ApiError,
  CreatedApiKey,
  OrderPage as OrderList,
  OrderView,
  SecurityEventList,
  TransferView,
} from '../support/api';
import { newProduct, orderBody, pickEverything, placeOrder, reachStatus, stockLevel, unique } from '../support/orders';

const LOOKUP_LIMIT = 40;
const COUNT_LOWER_LIMIT = 2;

let system: TestSystem;
const keys = {} as Record<Exclude<Role, 'admin'>, string>;

beforeAll(async () => {
  system = await startTestSystem({
    env: { OMS_LOOKUP_RATE_LIMIT: `${LOOKUP_LIMIT}/1m`, OMS_COUNT_LOWER_LIMIT: String(COUNT_LOWER_LIMIT) },
  });
  for (const role of ['clerk', 'warehouse', 'manager'] as const) keys[role] = await createKey(`privacy ${role}`, role);
}, 180_000);

afterAll(() => system?.stop(), 60_000);

async function createKey(name: string, role: Role): Promise<string> {
  const created = await system.api<CreatedApiKey>('POST', '/api/admin/keys', { name, role });
  if (created.status !== 201) throw new Error(`creating a key: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.key;
}

const STREET = '88 Nanjing Road';

test('the warehouse sees names and masked phones, no email or street; the packing slip has the whole ship-to; a clerk sees all', async () => {
  const product = await newProduct(system, { stock: { 'WH-SH': 5 } });
  const body = orderBody(product.sku, { lines: [{ sku: product.sku, quantity: 1 }] });
  body.customer.phone = '+86 138 0013 8000';
  const email = body.customer.email;
  const orderNumber = await placeOrder(system, body);
  await reachStatus(system, orderNumber, 'PICKING');

  const asWarehouse = await system.api<OrderView>('GET', `/api/orders/${orderNumber}`, undefined, keys.warehouse);
  expect(asWarehouse.status).toBe(200);
  expect(asWarehouse.body).toMatchObject({
    customerName: 'Li Lei',
    customerEmail: null,
    customerPhone: '138****8000',
    shippingAddress: { city: 'Shanghai', country: 'CN' },
  });
  const seen = JSON.stringify(asWarehouse.body);
  for (const secret of [email, STREET, '200001', '0013 8000']) expect(seen).not.toContain(secret);

  // The list and its search: masked rows, and no searching by phone or email (no guessing them digit by digit).
  const list = await system.api<OrderList>('GET', `/api/orders?q=${orderNumber}`, undefined, keys.warehouse);
  expect(list.body.orders).toEqual([expect.objectContaining({ orderNumber, customerPhone: '138****8000' })]);
  const byEmail = await system.api<OrderList>('GET', `/api/orders?q=${email}`, undefined, keys.warehouse);
  expect(byEmail.body.total).toBe(0);
  // The block list (emails and phones) is not the warehouse's at all.
  expect((await system.api('GET', '/api/customers/blocked', undefined, keys.warehouse)).status).toBe(403);

  // The parcel's packing slip, while it is picked and labelled: the whole ship-to.
  const slipPath = `/api/orders/${orderNumber}/shipments/1/packing-slip`;
  const slip = await system.api<{ shipTo: { name: string; phone: string; address: Record<string, string> } }>(
    'GET',
    slipPath,
    undefined,
    keys.warehouse,
  );
  expect(slip.status).toBe(200);
  expect(slip.body.shipTo).toMatchObject({ name: 'Li Lei', phone: '+86 138 0013 8000', address: { line1: STREET } });
  await pickEverything(system, orderNumber);
  await reachStatus(system, orderNumber, ['SHIPPED', 'DELIVERED', 'COMPLETED']);
  expect((await system.api('GET', slipPath, undefined, keys.warehouse)).status).toBe(200); // label printed again
  // No other shipment of this order is a parcel in the warehouse; a clerk does not pack.
  const other = await system.api<ApiError>(
    'GET',
    `/api/orders/${orderNumber}/shipments/2/packing-slip`,
    undefined,
    keys.warehouse,
  );
  expect([other.status, other.body.error.code]).toEqual([409, 'NO_PARCEL_TO_PACK']);
  expect((await system.api('GET', slipPath, undefined, keys.clerk)).status).toBe(403);

  // A clerk takes phone orders: everything, and search by email.
  const asClerk = await system.api<OrderView>('GET', `/api/orders/${orderNumber}`, undefined, keys.clerk);
  expect(asClerk.body).toMatchObject({
    customerEmail: email,
    customerPhone: '+86 138 0013 8000',
    shippingAddress: { line1: STREET, postalCode: '200001' },
  });
  const clerkSearch = await system.api<OrderList>('GET', `/api/orders?q=${email}`, undefined, keys.clerk);
  expect(clerkSearch.body.orders.map((o) => o.orderNumber)).toEqual([orderNumber]);
}, 120_000);

test('q=% and q=_ match a literal percent or underscore, not every order', async () => {
  const product = await newProduct(system, { stock: { 'WH-SH': 5 } });
  const id = unique();
  const withUnderscore = await placeOrder(
    system,
    orderBody(product.sku, { customer: { name: `Wang_${id}`, email: `w.${id}@example.com`, phone: '13900001111' } }),
  );
  const all = await system.api<OrderList>('GET', '/api/orders?limit=1', undefined, keys.clerk);
  expect(all.body.total).toBeGreaterThan(1);
  const percent = await system.api<OrderList>('GET', '/api/orders?q=%25', undefined, keys.clerk);
  expect(percent.body.total).toBe(0);
  const underscore = await system.api<OrderList>(
    'GET',
    `/api/orders?q=${encodeURIComponent(`_${id}`)}`,
    undefined,
    keys.clerk,
  );
  expect(underscore.body.orders.map((o) => o.orderNumber)).toEqual([withUnderscore]);
  const anyOne = await system.api<OrderList>('GET', '/api/orders?q=_', undefined, keys.clerk);
  expect(anyOne.body.total).toBeLessThan(all.body.total);
}, 60_000);

test(`lookups are limited per key: past ${LOOKUP_LIMIT} a minute, 429 with Retry-After, audited once; admins are not`, async () => {
  const key = await createKey('privacy enumerator', 'warehouse');
  const lookup = (n: number) =>
    fetch(`${system.apiUrl}/api/orders/SO-20990101-${String(n).padStart(6, '0')}`, {
      headers: { authorization: `Bearer ${key}` },
    });
  const statuses: number[] = [];
  for (let n = 1; n <= LOOKUP_LIMIT; n++) statuses.push((await lookup(n)).status);
  expect(new Set(statuses)).toEqual(new Set([404]));
  const limited = await lookup(LOOKUP_LIMIT + 1);
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(((await limited.json()) as ApiError).error.code).toBe('RATE_LIMITED');
  expect((await system.api('GET', '/api/returns', undefined, key)).status).toBe(429); // one budget for every lookup
  // Another key has its own budget; writes and stock reads are not lookups.
  expect((await system.api('GET', '/api/orders?limit=1', undefined, keys.warehouse)).status).toBe(200);
  expect((await system.api('GET', '/api/inventory', undefined, key)).status).toBe(200);
  for (let n = 0; n <= LOOKUP_LIMIT; n++) expect((await system.api('GET', '/api/orders?limit=1')).status).toBe(200);
  const events = await system.api<SecurityEventList>('GET', '/api/admin/security-events?kind=RATE_LIMITED&limit=100');
  expect(
    events.body.events.filter((e) => e.kind === 'RATE_LIMITED' && e.path.startsWith('/api/orders/SO-2099')),
  ).toHaveLength(1);
}, 60_000);

test('a warehouse count that lowers stock past the limit is refused whole and audited; a manager’s goes through', async () => {
  const product = await newProduct(system, { sizes: ['S', 'M'], stock: { 'WH-SH': 10 } });
  const [small, large] = product.variants.map((v) => v.sku);
  const count = (key: string) =>
    system.api<ApiError>(
      'POST',
      '/api/inventory/counts',
      {
        location: 'WH-SH',
        reference: `CNT-${unique()}`,
        lines: [
          { sku: small, counted: 11 },
          { sku: large, counted: 0 }, // ten units gone: a write-off in all but name
        ],
      },
      key,
    );
  const refused = await count(keys.warehouse);
  expect([refused.status, refused.body.error.code]).toEqual([403, 'COUNT_NEEDS_MANAGER']);
  expect(refused.body.error.details).toMatchObject({ limit: COUNT_LOWER_LIMIT, lines: [{ sku: large, counted: 0 }] });
  expect((await stockLevel(system, small, 'WH-SH')).onHand).toBe(10); // not even the other line
  expect((await stockLevel(system, large, 'WH-SH')).onHand).toBe(10);
  const audit = await system.api<SecurityEventList>('GET', '/api/admin/security-events?limit=100');
  const event = audit.body.events.find((e) => e.path === '/api/inventory/counts');
  expect(event?.kind).toBe('FORBIDDEN');
  expect(event?.detail).toContain(large);

  // Within the limit the warehouse counts as before.
  const small2 = await system.api(
    'POST',
    '/api/inventory/counts',
    {
      location: 'WH-SH',
      reference: `CNT-${unique()}`,
      lines: [{ sku: large, counted: 8 }],
    },
    keys.warehouse,
  );
  expect(small2.status).toBe(201);
  expect((await count(keys.manager)).status).toBe(201);
  expect((await stockLevel(system, small, 'WH-SH')).onHand).toBe(11);
  expect((await stockLevel(system, large, 'WH-SH')).onHand).toBe(0);
}, 60_000);

test('a warehouse receipt that writes more than the limit off as lost on the way is refused and audited; a manager’s goes through', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 20 } });
  const transfer = async ({ waitInTransit = true } = {}) => {
    const created = await system.api<TransferView>(
      'POST',
      '/api/transfers',
      { from: 'WH-SH', to: 'ST-NJR', lines: [{ sku, quantity: 10 }] },
      keys.warehouse,
    );
    expect(created.status).toBe(201);
    const { transferNumber } = created.body;
    expect((await system.api('POST', `/api/transfers/${transferNumber}/ship`, {}, keys.warehouse)).status).toBe(200);
    if (!waitInTransit) return transferNumber;
    await eventually('the transfer in transit', async () =>
      (await system.api<TransferView>('GET', `/api/transfers/${transferNumber}`)).body.status === 'IN_TRANSIT'
        ? true
        : undefined,
    );
    return transferNumber;
  };
  const receive = (transferNumber: string, received: number, key: string) =>
    system.api<ApiError>('POST', `/api/transfers/${transferNumber}/receive`, { lines: [{ sku, received }] }, key);

  const first = await transfer();
  const refused = await receive(first, 0, keys.warehouse); // ten units "lost on the way"
  expect([refused.status, refused.body.error.code]).toEqual([403, 'RECEIPT_NEEDS_MANAGER']);
  expect(refused.body.error.details).toMatchObject({ short: 10, limit: COUNT_LOWER_LIMIT });
  expect((await system.api<TransferView>('GET', `/api/transfers/${first}`)).body.status).toBe('IN_TRANSIT');
  const audit = await system.api<SecurityEventList>('GET', '/api/admin/security-events?limit=100');
  expect(audit.body.events.find((e) => e.path === `/api/transfers/${first}/receive`)?.kind).toBe('FORBIDDEN');

  // Short by no more than the limit, the warehouse receives as before; a manager may record any shortfall.
  expect((await receive(first, 8, keys.warehouse)).status).toBe(200);
  // Received the moment it is shipped, while the shipping is still being recorded: taken, and applied after it.
  const second = await transfer({ waitInTransit: false });
  expect((await receive(second, 0, keys.manager)).status).toBe(200);
  await eventually('the second transfer received', async () =>
    (await system.api<TransferView>('GET', `/api/transfers/${second}`)).body.status === 'RECEIVED' ? true : undefined,
  );
  expect((await stockLevel(system, sku, 'ST-NJR')).onHand).toBe(8);
}, 90_000);

/**
 * Customers on the real stack (SQLite): one person across channels, found by name, phone or email, shown with their
 * history; a walk-in at the till with no customer at all, and a phone customer without email, go all the way through
 * and are sent nothing; the warehouse sees a masked phone and no email; bad requests are refused with nothing changed.
 */
import crypto from 'node:crypto';
import type { Role } from '../../access/roles';
import { emailsTo, eventually, fetchMail, startTestSystem, type CaughtEmail, type TestSystem } from '../support/system';
import type { CreatedApiKey } from '../support/api';
import { capturePayment } from '../support/payments';
import { getOrder, newProduct, orderBody, pickEverything, placeOrder, reachStatus, unique } from '../support/orders';

interface CustomerRecord {
  id: number;
  name: string;
  mobile: string | null;
  email: string | null;
  otherPhone: string | null;
  tags: string[] | null;
  notes: string | null;
  birthday: string | null;
  marketingConsent: boolean;
  mergedIntoId?: number | null;
  orderCount?: number;
}
interface CustomerHistory {
  customer: CustomerRecord;
  stats: {
    orderCount: number;
    lifetimeSpendMinor: number;
    averageOrderMinor: number;
    firstPurchaseAt: string | null;
    lastPurchaseAt: string | null;
  };
  orders: { orderNumber: string; channel: string; status: string; totalMinor: number; refundedMinor: number }[];
  returns: unknown[];
}

let system: TestSystem;
const keys = {} as Record<Exclude<Role, 'admin'>, string>;

beforeAll(async () => {
  system = await startTestSystem();
  for (const role of ['clerk', 'warehouse', 'manager'] as const) {
    const created = await system.api<CreatedApiKey>('POST', '/api/admin/keys', { name: `customers ${role}`, role });
    keys[role] = created.body.key;
  }
}, 180_000);

afterAll(() => system?.stop(), 60_000);

/** A mobile number no other test uses, as a clerk would type it, and as 11 digits. */
function newMobile(): { typed: string; digits: string } {
  const digits = `139${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`;
  return { typed: `+86 ${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`, digits };
}

async function findCustomers(q: string, key = keys.clerk): Promise<CustomerRecord[]> {
  const found = await system.api<{ customers: CustomerRecord[] }>(
    'GET',
    `/api/customers?q=${encodeURIComponent(q)}`,
    undefined,
    key,
  );
  expect(found.status).toBe(200);
  return found.body.customers;
}

async function history(id: number, key = keys.clerk): Promise<CustomerHistory> {
  const answer = await system.api<CustomerHistory>('GET', `/api/customers/${id}`, undefined, key);
  expect(answer.status).toBe(200);
  return answer.body;
}

test('the same mobile number on a phone order and a web order is one customer with both orders', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 } });
  const mobile = newMobile();
  const email = `Wang.Fang.${unique()}@Example.com`;
  // By phone first: no email given, none needed.
  const byPhone = orderBody(sku, {
    channel: 'phone',
    externalId: `TEL-${unique()}`,
    customer: { name: '王芳', phone: mobile.digits },
    lines: [{ sku, quantity: 1 }],
    payment: { status: 'COD' },
  });
  const phoneOrder = await placeOrder(system, byPhone);
  // Then on the web shop, the number typed another way, with an email.
  const web = orderBody(sku, { customer: { name: 'Wang Fang', email, phone: mobile.typed } });
  const webOrder = await placeOrder(system, web);

  const found = await findCustomers(mobile.digits.slice(-6));
  expect(found).toHaveLength(1);
  // Lists mask the contact details, even for a clerk; the profile shows them.
  expect(found[0]).toMatchObject({ name: '王芳', mobile: `139****${mobile.digits.slice(-4)}`, orderCount: 2 });
  const { customer, orders, stats } = await history(found[0].id);
  expect(customer).toMatchObject({ mobile: mobile.digits, email: email.toLowerCase() });
  expect(orders.map((o) => o.orderNumber).sort()).toEqual([phoneOrder, webOrder].sort());
  expect(stats.orderCount).toBe(2);
  expect(stats.lifetimeSpendMinor).toBe(orders.reduce((sum, o) => sum + o.totalMinor, 0));
  expect((await getOrder(system, webOrder)).customerId).toBe(customer.id);

  // Found by the email too, in any case, and by name.
  expect((await findCustomers(email.toUpperCase())).map((c) => c.id)).toEqual([customer.id]);
  expect((await findCustomers('王芳')).map((c) => c.id)).toContain(customer.id);
}, 60_000);

test('a walk-in at the till with no customer, and a phone customer without email, complete and are sent nothing', async () => {
  const { sku } = await newProduct(system, { stock: { 'ST-NJR': 2, 'WH-SH': 2 } });
  const walkIn = {
    channel: 'pos',
    externalId: `POS-${unique()}`,
    pickupStore: 'ST-NJR',
    lines: [{ sku, quantity: 1 }],
    payment: { status: 'PAID', reference: capturePayment().reference },
  };
  const tillOrder = await placeOrder(system, walkIn);
  const phoneOnly = orderBody(sku, {
    channel: 'phone',
    externalId: `TEL-${unique()}`,
    customer: { name: '赵磊', phone: newMobile().digits },
    lines: [{ sku, quantity: 1 }],
    payment: { status: 'COD' },
  });
  const phoneOrder = await placeOrder(system, phoneOnly);
  // Beside them, an order that gives an email: it is sent its emails, so the mail path works in this run.
  const withEmail = orderBody(sku, { lines: [{ sku, quantity: 1 }] });
  const emailOrder = await placeOrder(system, withEmail);

  await reachStatus(system, tillOrder, 'PICKING');
  const till = await getOrder(system, tillOrder);
  // Not flagged for the missing customer: review passed it straight through.
  expect(till).toMatchObject({ customerName: null, customerEmail: null, customerId: null, reviewReasons: [] });
  await pickEverything(system, tillOrder);
  await reachStatus(system, tillOrder, 'READY_FOR_PICKUP');
  expect((await system.api('POST', `/api/orders/${tillOrder}/collect`, {})).status).toBe(200);
  await reachStatus(system, tillOrder, 'COMPLETED');

  await reachStatus(system, phoneOrder, 'PICKING');
  expect((await getOrder(system, phoneOrder)).reviewReasons).toEqual([]);
  await pickEverything(system, phoneOrder);
  await reachStatus(system, phoneOrder, ['DELIVERED', 'COMPLETED']);

  // Every email the workflows would have sent is sent by COMPLETED: MailDev caught none for either order.
  const received = await eventually(`the email of ${emailOrder}`, async () => {
    const sent = await emailsTo(system.mailUrl, withEmail.customer.email);
    return sent.some((m) => m.subject.includes(emailOrder)) ? sent : undefined;
  });
  expect(received.length).toBeGreaterThan(0);
  const caught = (await (await fetchMail(system.mailUrl, '/api/email')).json()) as CaughtEmail[];
  for (const orderNumber of [tillOrder, phoneOrder]) {
    expect(caught.filter((m) => m.subject.includes(orderNumber) || m.text.includes(orderNumber))).toEqual([]);
  }
}, 120_000);

test('the warehouse sees a masked phone and no email, and cannot search by contact details', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 2 } });
  const mobile = newMobile();
  const email = `zhou.${unique()}@example.com`;
  await placeOrder(system, orderBody(sku, { customer: { name: 'Zhou Jie', email, phone: mobile.typed } }));
  const [customer] = await findCustomers(mobile.digits);

  const asWarehouse = await history(customer.id, keys.warehouse);
  expect(asWarehouse.customer).toMatchObject({
    name: 'Zhou Jie',
    mobile: `139****${mobile.digits.slice(-4)}`,
    email: null,
  });
  expect(JSON.stringify(asWarehouse)).not.toContain(email);
  expect(await findCustomers(mobile.digits, keys.warehouse)).toEqual([]);
  expect(await findCustomers(email, keys.warehouse)).toEqual([]);
  expect((await findCustomers('Zhou Jie', keys.warehouse)).map((c) => c.id)).toContain(customer.id);
  // The warehouse reads customers but does not change them.
  expect((await system.api('PATCH', `/api/customers/${customer.id}`, { notes: 'x' }, keys.warehouse)).status).toBe(403);
}, 60_000);

test("staff keep a customer's profile; bad changes are refused and change nothing", async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 2 } });
  const mobile = newMobile();
  await placeOrder(
    system,
    orderBody(sku, { customer: { name: 'Liu Yang', email: `liu.${unique()}@example.com`, phone: mobile.typed } }),
  );
  const [customer] = await findCustomers(mobile.digits);
  const path = `/api/customers/${customer.id}`;

  const changed = await system.api<CustomerRecord>(
    'PATCH',
    path,
    { tags: ['VIP 候选', '喜欢黑色'], notes: '只在周末收货', birthday: '1990-05-17', marketingConsent: true },
    keys.clerk,
  );
  expect(changed.status).toBe(200);
  expect(changed.body).toMatchObject({
    tags: ['VIP 候选', '喜欢黑色'],
    birthday: '1990-05-17',
    marketingConsent: true,
  });

  for (const bad of [
    { birthday: '1990-02-30' },
    { tags: ['x'.repeat(31)] },
    { marketingConsent: 'yes' },
    { mobile: '13800000000' },
    { notes: 'ok', name: '' },
  ]) {
    const refused = await system.api<{ error: { code: string } }>('PATCH', path, bad, keys.clerk);
    expect([refused.status, refused.body.error?.code]).toEqual([422, 'VALIDATION_FAILED']);
  }
  expect((await history(customer.id)).customer).toMatchObject({
    name: 'Liu Yang',
    notes: '只在周末收货',
    birthday: '1990-05-17',
    mobile: mobile.digits,
  });
  expect((await system.api('GET', '/api/customers/999999', undefined, keys.clerk)).status).toBe(404);
  expect((await system.api('PATCH', '/api/customers/999999', { notes: 'x' }, keys.clerk)).status).toBe(404);
  expect((await system.api('GET', '/api/customers/abc', undefined, keys.clerk)).status).toBe(400);
}, 60_000);

test('a manager merges two records of one person; feedback names only their orders; both are on record', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 4 } });
  // The same person under a new number and an old email: intake cannot know, so two customers.
  const oldEmail = `ma.li.${unique()}@example.com`;
  const newNumber = newMobile();
  const byEmail = await placeOrder(
    system,
    orderBody(sku, {
      lines: [{ sku, quantity: 1 }],
      customer: { name: 'Ma Li', email: oldEmail, phone: '021 6234 5678' },
    }),
  );
  const byPhone = await placeOrder(
    system,
    orderBody(sku, {
      channel: 'phone',
      externalId: `TEL-${unique()}`,
      customer: { name: '马丽', phone: newNumber.typed },
      lines: [{ sku, quantity: 1 }],
      payment: { status: 'COD' },
      shippingAddress: { line1: '9 Xinhua Road', city: 'Hangzhou', postalCode: '310000', country: 'CN' },
    }),
  );
  const [kept] = await findCustomers(newNumber.digits);
  const [other] = await findCustomers(oldEmail);
  expect(kept.id).not.toBe(other.id);
  const tagged = await system.api(
    'PATCH',
    `/api/customers/${other.id}`,
    { tags: ['老顾客'], marketingConsent: true },
    keys.clerk,
  );
  expect([tagged.status, tagged.body]).toEqual([200, expect.objectContaining({ id: other.id, tags: ['老顾客'] })]);

  // Feedback about an order of someone else is refused; about one of theirs, kept.
  const refused = await system.api<{ error: { code: string } }>(
    'POST',
    `/api/customers/${kept.id}/feedback`,
    { kind: 'COMPLAINT', text: '包装破损', orderNumber: byEmail },
    keys.clerk,
  );
  expect([refused.status, refused.body.error.code]).toEqual([422, 'NOT_THIS_CUSTOMERS_ORDER']);
  const praise = await system.api(
    'POST',
    `/api/customers/${other.id}/feedback`,
    { kind: 'PRAISE', text: '很满意', orderNumber: byEmail },
    keys.clerk,
  );
  expect(praise.status).toBe(201);

  // A clerk may not merge; a manager may, once.
  const path = `/api/customers/${kept.id}/merge`;
  expect((await system.api('POST', path, { from: other.id }, keys.clerk)).status).toBe(403);
  expect((await system.api('POST', path, { from: kept.id }, keys.manager)).status).toBe(409);
  expect((await system.api('POST', path, { from: 999_999 }, keys.manager)).status).toBe(404);
  expect((await system.api('POST', path, { from: 'x' }, keys.manager)).status).toBe(422);
  const merged = await system.api<
    CustomerHistory & {
      feedback: { text: string }[];
      events: { action: string; actor: string }[];
      addresses: { address: { city: string } }[];
    }
  >('POST', path, { from: other.id }, keys.manager);
  expect(merged.status).toBe(200);
  expect(merged.body.orders.map((o) => o.orderNumber).sort()).toEqual([byEmail, byPhone].sort());
  expect(merged.body.customer).toMatchObject({
    mobile: newNumber.digits,
    email: oldEmail,
    tags: ['老顾客'],
    // Only one of the two records consented.
    marketingConsent: false,
  });
  expect(merged.body.feedback.map((f) => f.text)).toEqual(['很满意']);
  expect(merged.body.addresses.map((a) => a.address.city).sort()).toEqual(['Hangzhou', 'Shanghai']);
  expect(merged.body.events[0]).toMatchObject({ action: 'MERGED_IN', actor: 'customers manager' });
  // The merged-away record says where it went, and is not merged again.
  expect((await history(other.id)).customer).toMatchObject({ mergedIntoId: kept.id, email: null });
  expect((await system.api('POST', path, { from: other.id }, keys.manager)).status).toBe(409);
  expect((await findCustomers(oldEmail)).map((c) => c.id)).toEqual([kept.id]);
  // The next order with the old email finds the kept record.
  const next = await placeOrder(
    system,
    orderBody(sku, {
      lines: [{ sku, quantity: 1 }],
      customer: { name: 'Ma Li', email: oldEmail, phone: '021 6234 5678' },
    }),
  );
  expect((await getOrder(system, next)).customerId).toBe(kept.id);
}, 60_000);

test("a customer's data is exported on request, then erased once their orders are done; the books stay", async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 3 } });
  const mobile = newMobile();
  const email = `tang.${unique()}@example.com`;
  const customer = { name: 'Tang Yun', email, phone: mobile.typed };
  const done = await placeOrder(system, orderBody(sku, { customer, lines: [{ sku, quantity: 1 }] }));
  await reachStatus(system, done, 'PICKING');
  await pickEverything(system, done);
  await reachStatus(system, done, 'COMPLETED');
  const open = await placeOrder(system, orderBody(sku, { customer, lines: [{ sku, quantity: 1 }] }));
  await reachStatus(system, open, 'PICKING');
  const [found] = await findCustomers(mobile.digits);
  const path = `/api/customers/${found.id}`;

  // Only a manager, and a download of plain JSON with everything in it.
  expect((await system.api('GET', `${path}/export`, undefined, keys.clerk)).status).toBe(403);
  const download = await fetch(`${system.apiUrl}${path}/export`, {
    headers: { authorization: `Bearer ${keys.manager}` },
  });
  expect(download.status).toBe(200);
  expect(download.headers.get('content-disposition')).toBe(`attachment; filename=customer-${found.id}.json`);
  const exported = (await download.json()) as { customer: CustomerRecord; orders: { orderNumber: string }[] };
  expect(exported.customer).toMatchObject({ name: 'Tang Yun', email, mobile: mobile.digits });
  expect(exported.orders.map((o) => o.orderNumber).sort()).toEqual([done, open].sort());

  // Not while an order is still on its way; bad requests change nothing.
  const refused = await system.api<{ error: { code: string; details: { orders: string[] } } }>(
    'POST',
    `${path}/erase`,
    { reason: 'Asked in store' },
    keys.manager,
  );
  expect([refused.status, refused.body.error.code, refused.body.error.details.orders]).toEqual([
    409,
    'ORDERS_OPEN',
    [open],
  ]);
  expect((await system.api('POST', `${path}/erase`, {}, keys.manager)).status).toBe(422);
  expect((await system.api('POST', `${path}/erase`, { reason: 'x' }, keys.clerk)).status).toBe(403);
  expect((await history(found.id)).customer.name).toBe('Tang Yun');

  expect((await system.api('POST', `/api/orders/${open}/cancel`, { reason: 'Changed mind' })).status).toBe(200);
  await reachStatus(system, open, 'CANCELLED');
  const erased = await system.api<CustomerHistory>('POST', `${path}/erase`, { reason: 'Asked in store' }, keys.manager);
  expect(erased.status).toBe(200);
  expect(erased.body.customer).toMatchObject({ name: '[erased]', mobile: null, email: null });
  const again = await system.api<{ error: { code: string } }>('POST', `${path}/erase`, { reason: 'x' }, keys.manager);
  expect([again.status, again.body.error.code]).toEqual([409, 'ALREADY_ERASED']);

  // The orders stay for the books, without the person.
  const order = await getOrder(system, done);
  expect(order).toMatchObject({
    customerName: '[erased]',
    customerEmail: null,
    customerPhone: null,
    status: 'COMPLETED',
  });
  expect(order.shippingAddress).toEqual({ city: 'Shanghai', country: 'CN' });
  expect(order.totalMinor).toBeGreaterThan(0);
  expect(await findCustomers(mobile.digits)).toEqual([]);
  const events = (await history(found.id, keys.manager)) as CustomerHistory & {
    events: { action: string; actor: string }[];
  };
  expect(events.events.map((e) => e.action).slice(0, 2)).toEqual(['ERASED', 'EXPORTED']);
  expect(events.events[0].actor).toBe('customers manager');
}, 120_000);

test('a campaign segment picks only consenting customers who match, and exports their contacts as CSV', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 } });
  const other = await newProduct(system, { stock: { 'WH-SH': 5 } });
  const person = async (name: string, bought: string, consent: boolean) => {
    const mobile = newMobile();
    const email = `${name.toLowerCase()}.${unique()}@example.com`;
    await placeOrder(
      system,
      orderBody(bought, { customer: { name, email, phone: mobile.typed }, lines: [{ sku: bought, quantity: 1 }] }),
    );
    const [found] = await findCustomers(mobile.digits);
    if (consent) {
      expect(
        (await system.api('PATCH', `/api/customers/${found.id}`, { marketingConsent: true }, keys.clerk)).status,
      ).toBe(200);
    }
    return { id: found.id, mobile: mobile.digits, email };
  };
  const fan = await person('Fan', sku, true);
  await person('Quiet', sku, false); // bought it, but said no to marketing
  await person('Elsewhere', other.sku, true); // said yes, but bought something else

  type Segment = { count: number; customers: { id: number; mobile: string; tier: string }[] };
  const segment = async (query: string) => {
    const answer = await system.api<Segment>('GET', `/api/customers/segment?${query}`, undefined, keys.manager);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const picked = await segment(`sku=${sku}`);
  expect(picked.customers.map((c) => [c.id, c.mobile, c.tier])).toEqual([[fan.id, fan.mobile, '普通']]);
  expect((await segment(`sku=${sku}&tiers=GOLD,VIP`)).count).toBe(0);
  expect((await segment(`sku=${sku}&category=clothing&minSpendMinor=1`)).count).toBe(1);
  const today = new Date().toISOString().slice(0, 10);
  expect((await segment(`sku=${sku}&lastPurchaseTo=2020-01-01`)).count).toBe(0);
  expect((await segment(`sku=${sku}&lastPurchaseFrom=${today}`)).count).toBe(1);

  const csv = await fetch(`${system.apiUrl}/api/customers/segment.csv?sku=${sku}`, {
    headers: { authorization: `Bearer ${keys.manager}` },
  });
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  const lines = (await csv.text())
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n');
  expect(lines[0]).toBe('customerId,name,mobile,email,tier,lastPurchase,orders,spendYuan');
  expect(lines.slice(1)).toEqual([`${fan.id},Fan,${fan.mobile},${fan.email},普通,${today},1,99`]);

  // Managers only; criteria that cannot be are refused.
  expect((await system.api('GET', `/api/customers/segment?sku=${sku}`, undefined, keys.clerk)).status).toBe(403);
  for (const bad of ['tiers=gold', 'lastPurchaseFrom=yesterday', 'minSpendMinor=-5', 'colour=red']) {
    const refused = await system.api<{ error: { code: string } }>(
      'GET',
      `/api/customers/segment?${bad}`,
      undefined,
      keys.manager,
    );
    expect([bad, refused.status, refused.body.error.code]).toEqual([bad, 422, 'VALIDATION_FAILED']);
  }
}, 60_000);

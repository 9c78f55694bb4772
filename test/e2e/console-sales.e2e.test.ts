/**
 * The console's sales screens in a real browser against the real stack on SQLite: a clerk takes a phone order on
 * New order (a SKU typed and Enter, its free stock shown, a quantity, a customer and an address, the total at list
 * price; what is missing, and what the API refuses with 422, said next to the field; the card payment's reference)
 * and the API then holds exactly that order, once despite a double click; the next in-store sale finds the customer
 * from it. A manager approves one flagged order and rejects another from the review queue, each leaving the list, and
 * the API shows them moved on and REJECTED. A manager sees a customer's tier and points, adjusts the points, finds
 * the customer in a campaign segment by SKU with its CSV link, and is told in words that erasure waits for their open
 * order. A clerk corrects a flagged order's address, quantity and note on its page; review passes on its own, the
 * timeline says who changed what, and once picked the page offers no edit. A member found on New order pays part of
 * a phone order with points, the card the rest.
 */
import { createApiKey } from '../../access/key-store';
import { Browsers, buildConsoleIfMissing, settled, signIn } from '../support/console';
import { getOrder, newProduct, orderBody, placeOrder, reachStatus, unique } from '../support/orders';
import { capturePayment } from '../support/payments';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let sku: string;
const browsers = new Browsers();

beforeAll(async () => {
  buildConsoleIfMissing();
  system = await startTestSystem();
  sku = (await newProduct(system, { stock: { 'WH-SH': 20 }, priceMinor: 12_345 })).sku;
}, 180_000);

afterAll(async () => {
  await browsers.closeAll();
  await system?.stop();
}, 60_000);

test('a clerk takes a phone order: SKU, quantity, customer, address; the API holds that order, once', async () => {
  const { key } = await createApiKey(system.db, { name: 'Console clerk', role: 'clerk' });
  const email = `wang.fang.${unique()}@example.com`;
  const { page, problems } = await browsers.open();
  await signIn(page, system, key);

  // A clerk takes orders but does not decide on flagged ones.
  await page.getByRole('menuitem', { name: 'New order' }).click();
  await page.waitForURL(/\/orders\/new$/);
  await page.getByRole('heading', { name: 'New order' }).waitFor();
  expect(await page.getByRole('menuitem', { name: 'Review' }).count()).toBe(0);

  await page.getByLabel('SKU or barcode').fill(sku);
  await page.getByLabel('SKU or barcode').press('Enter');
  const line = page.getByRole('row').filter({ hasText: sku });
  await line.waitFor();
  // Its free stock per location, next to the line.
  await page.getByTestId(`free-stock-${sku}`).getByText('WH-SH 20').waitFor();
  await page.getByTestId('new-order-total').filter({ hasText: '¥123.45' }).waitFor();

  await page.getByLabel(`Qty ${sku}`).fill('3');
  await page.getByTestId('new-order-total').filter({ hasText: '¥370.35' }).waitFor();

  // Sent without a customer or an address: each missing field says so, and nothing is sent.
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByText("Enter the customer's name.").waitFor();
  await page.getByText('Enter the street and the door number.').waitFor();

  await page.getByLabel('Name', { exact: true }).fill('Wang Fang');
  // An address the browser lets through but the API refuses (422): said next to the field, nothing stored.
  await page.getByLabel('Email', { exact: true }).fill('wang.fang@example.c');
  await page.getByLabel('Phone', { exact: true }).fill('+86 139 1234 5678');
  await page.getByLabel('Street and door number').fill('100 Huaihai Road');
  await page.getByLabel('City', { exact: true }).fill('Shanghai');
  await page.getByLabel('Postal code').fill('200021');
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/orders') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Place order' }).click();
  expect((await refused).status()).toBe(422);
  await page.getByText('Enter a valid email address, for example li@example.com.').waitFor();
  await page.getByLabel('Email', { exact: true }).fill(email);
  // Paid by card on the phone: the provider's reference, which review confirms for the whole total.
  const payment = capturePayment({ amountMinor: 37_035 });
  await page.getByLabel('Payment reference').fill(payment.reference);

  // Twice, as a hurried clerk would: one order.
  await page.getByRole('button', { name: 'Place order' }).dblclick();
  await page.waitForURL(/\/orders\/SO-[\d-]+$/);
  const orderNumber = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  await page.getByRole('heading', { name: orderNumber }).waitFor();

  const order = await getOrder(system, orderNumber);
  expect(order).toMatchObject({
    channel: 'phone',
    customerName: 'Wang Fang',
    customerEmail: email,
    customerPhone: '+86 139 1234 5678',
    paymentStatus: 'PAID',
    paymentReference: payment.reference,
    totalMinor: 37_035,
    shippingAddress: { line1: '100 Huaihai Road', city: 'Shanghai', postalCode: '200021', country: 'CN' },
  });
  expect(order.externalId).toMatch(/^console-\d+-[a-z0-9]+$/);
  expect(order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor }))).toEqual([
    { sku, quantity: 3, unitPriceMinor: 12_345 },
  ]);
  const same = await system.api<{ orders: { orderNumber: string }[] }>(
    'GET',
    `/api/orders?q=${encodeURIComponent(email)}`,
  );
  expect(same.body.orders.map((o) => o.orderNumber)).toEqual([orderNumber]);
  await reachStatus(system, orderNumber, 'PICKING');

  // The next sale, in the store, for the same customer: found from that order.
  await page.getByRole('menuitem', { name: 'New order' }).click();
  await page.getByRole('heading', { name: 'New order' }).waitFor();
  await page.getByText('In store', { exact: true }).click();
  await page.getByLabel('Find a customer').fill('Wang Fang');
  await page.getByText(`last order ${orderNumber}`, { exact: false }).click();
  // A function, not a string: the console's CSP refuses eval.
  type Doc = { document: { getElementById: (id: string) => { value: string } | null } };
  await page.waitForFunction(
    (wanted) => (globalThis as unknown as Doc).document.getElementById('new-order-email')?.value === wanted,
    email,
  );
  await page.getByLabel('SKU or barcode').fill(sku);
  await page.getByLabel('SKU or barcode').press('Enter');
  // Less the three the first order reserved.
  await page.getByTestId(`free-stock-${sku}`).getByText('WH-SH 17').waitFor();
  expect(problems).toEqual([]);
}, 120_000);

test('a manager approves one flagged order and rejects another from the review queue', async () => {
  const flagged = async () => {
    const orderNumber = await placeOrder(system, orderBody(sku, { payment: { status: 'PENDING' } }));
    await reachStatus(system, orderNumber, 'IN_REVIEW');
    return orderNumber;
  };
  const first = await flagged();
  const second = await flagged();
  const { key } = await createApiKey(system.db, { name: 'Console manager', role: 'manager' });
  const { page, problems } = await browsers.open();
  await signIn(page, system, key);
  // A manager decides who is blocked; the admin screens are not theirs.
  await page.getByRole('menuitem', { name: 'Block list' }).waitFor();
  expect(await page.getByRole('menuitem', { name: 'Staff & keys' }).count()).toBe(0);

  await page.getByRole('menuitem', { name: 'Review' }).click();
  await page.waitForURL(/\/review$/);
  await page.getByRole('heading', { name: 'Review' }).waitFor();
  const rowOf = (orderNumber: string) => page.getByRole('row').filter({ hasText: orderNumber });
  // Each with why it was flagged and a link to its page, oldest first.
  await rowOf(first).getByText('Payment not confirmed').waitFor();
  await rowOf(second).getByText('Payment not confirmed').waitFor();
  await rowOf(first).getByRole('link', { name: first }).waitFor();
  await settled(page);
  const listed = (await page.getByRole('row').allTextContents()).join('\n');
  expect(listed.indexOf(first)).toBeLessThan(listed.indexOf(second));

  await rowOf(first).getByRole('button', { name: 'Approve' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Note (optional)').fill('Paid by bank transfer');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await rowOf(first).waitFor({ state: 'detached' });

  await rowOf(second).getByRole('button', { name: 'Reject' }).click();
  await dialog.getByLabel('Reason').fill('Customer never paid');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await rowOf(second).waitFor({ state: 'detached' });

  await reachStatus(system, first, ['ALLOCATING', 'PICKING']);
  await reachStatus(system, second, 'REJECTED');
  const rejected = await getOrder(system, second);
  expect(JSON.stringify(rejected.timeline)).toContain('Customer never paid');
  expect(problems).toEqual([]);
}, 120_000);

test('a clerk finds a customer by phone, sees their orders and spend, tags them; a walk-in till sale names nobody', async () => {
  const digits = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const first = await placeOrder(
    system,
    orderBody(sku, {
      lines: [{ sku, quantity: 1 }],
      customer: { name: 'Chen Jing', email: `chen.${unique()}@example.com`, phone: digits },
    }),
  );
  const { key } = await createApiKey(system.db, { name: 'Console customers', role: 'clerk' });
  const { page, problems } = await browsers.open();
  await signIn(page, system, key);

  await page.getByRole('menuitem', { name: 'Customers' }).click();
  await page.getByRole('heading', { name: 'Customers' }).waitFor();
  await page.getByLabel('Name, mobile number or email').fill(digits.slice(-5));
  // The list masks the number, even for a clerk.
  const row = page.getByRole('row').filter({ hasText: `137****${digits.slice(-4)}` });
  await row.waitFor();
  await row.getByRole('link', { name: 'Chen Jing' }).click();
  await page.getByRole('heading', { name: 'Chen Jing' }).waitFor();
  // The profile shows the number in full, the order and what was spent.
  await page.getByText(digits, { exact: true }).waitFor();
  await page.getByRole('link', { name: first }).waitFor();
  await page.getByText('¥123.45').first().waitFor();

  await page.getByRole('button', { name: 'Edit profile' }).click();
  const tags = page.getByRole('combobox', { name: 'Tags' });
  await tags.fill('VIP');
  await tags.press('Enter');
  await page.getByLabel('Birthday').fill('1988-13-01');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('A date as YYYY-MM-DD').waitFor();
  await page.getByLabel('Birthday').fill('1988-12-01');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Profile saved').waitFor();
  // A remark, kept with the customer.
  await page.getByRole('button', { name: 'Add feedback' }).click();
  await page.getByLabel('What the customer said or what happened').fill('Parcel arrived wet');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Feedback recorded').waitFor();
  await page.getByRole('row').filter({ hasText: 'Parcel arrived wet' }).waitFor();
  const customerId = Number(new URL(page.url()).pathname.split('/').pop());
  const saved = await system.api<{ customer: { tags: string[]; birthday: string }; feedback: unknown[] }>(
    'GET',
    `/api/customers/${customerId}`,
  );
  expect(saved.body.customer).toMatchObject({ tags: ['VIP'], birthday: '1988-12-01' });
  expect(saved.body.feedback).toEqual([expect.objectContaining({ kind: 'REMARK', text: 'Parcel arrived wet' })]);

  // A walk-in at the till: the goods and the payment, nobody named.
  await page.getByRole('menuitem', { name: 'New order' }).click();
  await page.getByRole('heading', { name: 'New order' }).waitFor();
  await page.getByText('In store', { exact: true }).click();
  await page.getByLabel('SKU or barcode').fill(sku);
  await page.getByLabel('SKU or barcode').press('Enter');
  await page.getByRole('row').filter({ hasText: sku }).waitFor();
  await page.getByLabel('Payment reference').fill(capturePayment({ amountMinor: 12_345 }).reference);
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/orders\/SO-[\d-]+$/);
  await page.getByText('Walk-in (no customer named)').waitFor();
  const orderNumber = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  expect(await getOrder(system, orderNumber)).toMatchObject({
    channel: 'pos',
    customerName: null,
    customerEmail: null,
    customerPhone: null,
  });
  expect(problems).toEqual([]);
}, 120_000);

test("a manager sees a customer's tier and points, adjusts them, finds them in a segment; erasure waits for their open order", async () => {
  const digits = `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const email = `he.${unique()}@example.com`;
  const orderNumber = await placeOrder(
    system,
    orderBody(sku, { lines: [{ sku, quantity: 1 }], customer: { name: 'He Ping', email, phone: digits } }),
  );
  const { customerId } = await getOrder(system, orderNumber);
  // Marketing consent, as the clerk's profile edit above gives it.
  expect((await system.api('PATCH', `/api/customers/${customerId}`, { marketingConsent: true })).status).toBe(200);
  const { key } = await createApiKey(system.db, { name: 'Console membership', role: 'manager' });
  const { page, problems } = await browsers.open();
  await signIn(page, system, key);

  await page.goto(`${system.apiUrl}/customers/${customerId}`);
  await page.getByRole('heading', { name: 'He Ping' }).waitFor();
  await page.getByText('普通', { exact: true }).waitFor();
  await page.getByText('Next: 银卡, from ¥1,000.00 spent').waitFor();
  await page.getByText('No points yet').waitFor();

  // A goodwill gift: a whole number is asked for, then the balance and the history show it.
  await page.getByRole('button', { name: 'Adjust points' }).click();
  await page.getByLabel('Points to add (a minus sign takes off)').fill('250');
  await page.getByLabel('Why').fill('Parcel arrived late');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Points adjusted').waitFor();
  await page.getByRole('row').filter({ hasText: 'Parcel arrived late' }).filter({ hasText: '+250' }).waitFor();
  await page.getByText('worth ¥2.50').waitFor();
  expect((await system.db.customer.findUniqueOrThrow({ where: { id: customerId! } })).pointsBalance).toBe(250);
  // The clerk with the order open sees the tier and the points beside the customer.
  await page.goto(`${system.apiUrl}/orders/${orderNumber}`);
  await page.getByText('250 points').waitFor();

  // The segment of buyers of this SKU holds them (consented), with a download of them.
  await page.getByRole('menuitem', { name: 'Customers' }).click();
  await page.getByText('Campaign segment', { exact: true }).waitFor();
  await page.getByLabel('SKU bought').fill(sku);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('row').filter({ hasText: 'He Ping' }).filter({ hasText: digits }).waitFor();
  const download = page.getByRole('link', { name: 'Download CSV' });
  expect(await download.getAttribute('href')).toBe(`/api/customers/segment.csv?sku=${encodeURIComponent(sku)}`);

  // Erasure waits for the open order: the API's reason, in words.
  await page.goto(`${system.apiUrl}/customers/${customerId}`);
  await page.getByRole('button', { name: 'Erase personal data…' }).click();
  await page.getByLabel('Why (e.g. the customer asked in store on 3 Dec)').fill('Asked by phone');
  await page.getByRole('button', { name: 'Erase', exact: true }).click();
  await page.getByText(`Orders or repairs still open: ${orderNumber}`).waitFor();
  expect((await system.db.customer.findUniqueOrThrow({ where: { id: customerId! } })).name).toBe('He Ping');
  expect(problems).toEqual([]);
}, 120_000);

test('a clerk corrects a flagged order on its page: review passes on the new address, and the timeline says who', async () => {
  const { key } = await createApiKey(system.db, { name: 'Console editor', role: 'clerk' });
  const orderNumber = await placeOrder(
    system,
    orderBody(sku, {
      lines: [{ sku, quantity: 2 }],
      shippingAddress: { line1: 'Huaihai Road', city: 'Shanghai', postalCode: '200021', country: 'CN' },
    }),
  );
  await reachStatus(system, orderNumber, 'IN_REVIEW');
  const { page, problems } = await browsers.open();
  await signIn(page, system, key);
  await page.goto(`${system.apiUrl}/orders/${orderNumber}`);
  await page.getByRole('button', { name: 'Edit order' }).click();
  const dialog = page.getByRole('dialog');
  // Nothing changed yet: said, and nothing sent.
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await dialog.getByText('Nothing is changed yet').waitFor();

  await dialog.getByLabel('Street and number').fill('100 Huaihai Road');
  await dialog.getByLabel('Quantity').fill('1');
  await dialog.getByLabel('Note for staff').fill('Customer called: one is enough');
  await dialog.getByLabel('Why (kept in the timeline)').fill('customer called');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await page.getByText(`Order ${orderNumber} edited`).waitFor();
  await reachStatus(system, orderNumber, 'PICKING');
  await page
    .getByText(/Order edited \(changed: address, note, lines, total\) · by Console editor: customer called/)
    .waitFor();
  await page.getByText('Customer called: one is enough').waitFor();
  const order = await getOrder(system, orderNumber);
  expect(order).toMatchObject({
    shippingAddress: { line1: '100 Huaihai Road', city: 'Shanghai', postalCode: '200021', country: 'CN' },
    note: 'Customer called: one is enough',
    totalMinor: 12_345,
  });
  expect(order.lines.map((l) => l.quantity)).toEqual([1]);

  // Picked: the page offers no edit any more.
  const picked = await system.api('POST', `/api/orders/${orderNumber}/pick`, {
    scans: [{ barcode: (await system.db.productVariant.findUniqueOrThrow({ where: { sku } })).barcode }],
  });
  expect(picked.status).toBe(200);
  await page.reload();
  await page.getByRole('heading', { name: orderNumber }).waitFor();
  await settled(page);
  expect(await page.getByRole('button', { name: 'Edit order' }).count()).toBe(0);
  expect(problems).toEqual([]);
}, 120_000);

test('a clerk takes a phone order for a member who pays part of it with points; the card pays the rest', async () => {
  const digits = `136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const name = `Zhao Lei ${unique()}`;
  const first = await placeOrder(
    system,
    orderBody(sku, {
      lines: [{ sku, quantity: 1 }],
      customer: { name, email: `zhao.${unique()}@example.com`, phone: digits },
    }),
  );
  const { customerId } = await getOrder(system, first);
  const added = await system.api('POST', `/api/customers/${customerId}/points`, {
    points: 5_000,
    reason: 'Welcome gift',
    adjustmentId: `welcome-${unique()}`,
  });
  expect(added.status).toBe(200);

  const { key } = await createApiKey(system.db, { name: 'Console points', role: 'clerk' });
  const { page, problems } = await browsers.open();
  await signIn(page, system, key);
  await page.getByRole('menuitem', { name: 'New order' }).click();
  await page.getByRole('heading', { name: 'New order' }).waitFor();
  await page.getByLabel('SKU or barcode').fill(sku);
  await page.getByLabel('SKU or barcode').press('Enter');
  await page.getByTestId('new-order-total').filter({ hasText: '¥123.45' }).waitFor();
  await page.getByLabel('Find a customer').fill(name);
  await page.getByText(`last order ${first}`, { exact: false }).click();
  // 5,000 points at one fen each: all of them can pay for this basket.
  await page.getByText(`${name} has 5,000 points`, { exact: false }).waitFor();
  await page.getByLabel('Pay with points').fill('3000');
  await page.getByText('worth ¥30.00').waitFor();
  await page.getByText('Left to pay ¥93.45 after points').waitFor();
  const payment = capturePayment({ amountMinor: 9_345 });
  await page.getByLabel('Payment reference').fill(payment.reference);
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/orders\/SO-[\d-]+$/);
  const orderNumber = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);

  const order = await getOrder(system, orderNumber);
  expect(order).toMatchObject({ customerId, totalMinor: 12_345, pointsRedeemed: 3_000, pointsMinor: 3_000 });
  // Review confirms the card's capture covers what the points left: the order goes on.
  await reachStatus(system, orderNumber, 'PICKING');
  const customer = await system.db.customer.findUniqueOrThrow({ where: { id: customerId! } });
  expect(customer.pointsBalance).toBe(2_000);
  expect(problems).toEqual([]);
}, 120_000);

test('a manager sets up a 满减 with a live quote; New order then prices by it, and the order page shows why', async () => {
  const product = await newProduct(system, { stock: { 'WH-SH': 10 }, priceMinor: 12_345 });
  const { key: managerKey } = await createApiKey(system.db, { name: 'Console promotions', role: 'manager' });
  const { page, problems } = await browsers.open();
  await signIn(page, system, managerKey);
  await page.getByRole('menuitem', { name: 'Promotions' }).click();
  await page.getByRole('heading', { name: 'Promotions' }).waitFor();
  await page.getByRole('button', { name: 'New promotion' }).click();
  const code = `MJ${unique().toUpperCase()}`;
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByLabel('Name customers see').fill('满300减30');
  // The steps start at 满300减30; aimed at this test's product only.
  await page.getByText('Everything').click();
  await page.getByTitle('Products').click();
  await page.getByPlaceholder('Products').fill(product.code);
  // Three units are ¥370.35: the live quote takes ¥30 off before anything is saved.
  await page.getByLabel('A test basket').fill(`${product.sku}×3`);
  await page.getByTestId('promotion-quote-total').filter({ hasText: '¥340.35' }).waitFor();
  expect(await system.db.promotion.count({ where: { code } })).toBe(0);
  await page.getByRole('button', { name: 'Save' }).click();
  const row = page.getByRole('row').filter({ hasText: code });
  await row.getByText('Running').waitFor();
  await row.getByText('from ¥300.00 ¥30.00 off').waitFor();

  // At the till: two units are below the threshold, and the clerk sees how much is missing; three get the 满减.
  const { key } = await createApiKey(system.db, { name: 'Console till', role: 'clerk' });
  const till = await browsers.open();
  await signIn(till.page, system, key);
  await till.page.getByRole('menuitem', { name: 'New order' }).click();
  await till.page.getByRole('heading', { name: 'New order' }).waitFor();
  await till.page.getByLabel('SKU or barcode').fill(product.sku);
  await till.page.getByLabel('SKU or barcode').press('Enter');
  await till.page.getByLabel(`Qty ${product.sku}`).fill('2');
  await till.page.getByText('Add ¥53.10 more for 满300减30').waitFor();
  await till.page.getByLabel(`Qty ${product.sku}`).fill('3');
  await till.page.getByTestId('new-order-quote').getByText('满300减30 −¥30.00').waitFor();
  await till.page.getByTestId('new-order-total').filter({ hasText: '¥340.35' }).waitFor();
  await till.page.getByLabel('Name', { exact: true }).fill('Sun Li');
  await till.page.getByLabel('Phone', { exact: true }).fill('+86 139 5555 0101');
  await till.page.getByLabel('Street and door number').fill('8 Fuzhou Road');
  await till.page.getByLabel('City', { exact: true }).fill('Shanghai');
  await till.page.getByLabel('Postal code').fill('200001');
  await till.page.getByLabel('Payment reference').fill(capturePayment({ amountMinor: 34_035 }).reference);
  await till.page.getByRole('button', { name: 'Place order' }).click();
  await till.page.waitForURL(/\/orders\/SO-[\d-]+$/);
  const orderNumber = decodeURIComponent(new URL(till.page.url()).pathname.split('/').pop()!);
  expect((await getOrder(system, orderNumber)).totalMinor).toBe(34_035);
  // The order page: the line's discount, and the promotion by name.
  await till.page.getByTestId('order-discounts').filter({ hasText: '满300减30 −¥30.00' }).waitFor();
  await settled(till.page);
  expect(problems).toEqual([]);
  expect(till.problems).toEqual([]);
}, 120_000);

/**
 * The customer's tracking page on the real stack, in a real browser (Chromium, as a phone): the link comes in the
 * order's email (MailDev); the page shows the order in the customer's words and no street or other order; the
 * customer cancels before anything ships (the order is CANCELLED and refunded), corrects the address before picking
 * (reviewed again), requests a return of a delivered order within the window (the return is there for staff, from
 * the customer); a request the order is past is refused in words, bad forms too, and a wrong token is a plain 404.
 */
import { Browsers } from '../support/console';
import { emailsTo, eventually, startTestSystem, type TestSystem } from '../support/system';
import { newProduct, orderBody, pickEverything, placeOrder, reachStatus } from '../support/orders';

let system: TestSystem;
const browsers = new Browsers();

beforeAll(async () => {
  // A window long enough for the customer to ask for a return on a loaded box.
  system = await startTestSystem({ env: { OMS_AFTER_SALES_WINDOW: '60s', OMS_SHOP_NAME: '小雅服饰' } });
}, 180_000);

afterAll(async () => {
  await browsers.closeAll();
  await system?.stop();
}, 60_000);

/** The order's first email, as the customer receives it. */
const firstEmail = (email: string, orderNumber: string) =>
  eventually(`the email of ${orderNumber}`, async () => {
    const sent = await emailsTo(system.mailUrl, email);
    return sent.find((m) => m.subject.includes(orderNumber));
  });

/** The tracking link in the order's first email. */
async function linkFromEmail(email: string, orderNumber: string): Promise<string> {
  const mail = await firstEmail(email, orderNumber);
  const link = /(http:\/\/\S+\/track\/[A-Za-z0-9_-]{24})/.exec(mail.text)?.[1];
  expect(link).toBeDefined();
  expect(mail.html).toContain(`href="${link}"`);
  return link!;
}

test('a customer follows the link in their email, sees the order in their words, and cancels it before it ships', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 }, priceMinor: 15_900 });
  const body = orderBody(sku, { lines: [{ sku, quantity: 1 }], language: 'zh-CN' });
  const orderNumber = await placeOrder(system, body);
  const other = await placeOrder(system, orderBody(sku, { lines: [{ sku, quantity: 1 }] }));
  await reachStatus(system, orderNumber, 'PICKING');
  const link = await linkFromEmail(body.customer.email, orderNumber);

  const { page, problems } = await browsers.open({ width: 390, height: 844 });
  await page.goto(link);
  await page.getByRole('heading', { name: '我们正在为您打包' }).waitFor();
  await page.getByText('小雅服饰').waitFor();
  await page.getByText('¥159.00').first().waitFor();
  const html = await page.content();
  // Where it goes, roughly; never the street, the customer's contacts or another order.
  expect(html).toContain('Shanghai');
  for (const hidden of ['Nanjing Road', '200001', body.customer.email, '0013', other])
    expect(html).not.toContain(hidden);

  // In English on request, then the cancellation.
  await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'We are packing your order' }).waitFor();
  await page.getByLabel('Reason').selectOption('Ordered by mistake');
  await page.getByRole('button', { name: 'Cancel my order' }).click();
  await page.getByText('We have your cancellation request.').waitFor();
  await reachStatus(system, orderNumber, 'CANCELLED');
  await page.reload();
  await page.getByRole('heading', { name: 'Cancelled' }).waitFor();
  expect(await page.getByRole('button', { name: 'Cancel my order' }).count()).toBe(0);
  const audit = await system.db.auditEvent.findMany({ where: { orderNumber, action: 'cancel (customer request)' } });
  expect(audit.map((a) => [a.actor, a.reason])).toEqual([['customer (tracking page)', 'Ordered by mistake']]);
  const refunds = await eventually('the refund', async () => {
    const rows = await system.db.refund.findMany({ where: { order: { orderNumber } } });
    return rows.length ? rows : undefined;
  });
  expect(refunds.map((r) => r.amountMinor)).toEqual([15_900]);
  expect(problems).toEqual([]);
}, 120_000);

test('a customer corrects the address before picking: review checks it again, and the form goes once picked', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 } });
  // No door number: review holds the order until the address is complete.
  const body = orderBody(sku, {
    lines: [{ sku, quantity: 1 }],
    shippingAddress: { line1: 'Nanjing Road', city: 'Shanghai', postalCode: '200001', country: 'CN' },
  });
  const orderNumber = await placeOrder(system, body);
  await reachStatus(system, orderNumber, 'IN_REVIEW');
  const link = await linkFromEmail(body.customer.email, orderNumber);

  const { page, problems } = await browsers.open({ width: 390, height: 844 });
  await page.goto(`${link}?lang=en`);
  const form = page.locator('form[action*="/address"]');
  await form.getByLabel('Street and number').fill('88 Nanjing Road');
  await form.getByLabel('City').fill('Shanghai');
  await form.getByLabel('Postal code').fill('200001');
  await page.getByRole('button', { name: 'Send the new address' }).click();
  await page.getByText('We have your new address.').waitFor();
  // Review found nothing left: the order goes on without anyone approving it.
  await reachStatus(system, orderNumber, 'PICKING');
  const order = await system.db.order.findUniqueOrThrow({ where: { orderNumber } });
  expect(order.shippingAddress).toEqual({
    line1: '88 Nanjing Road',
    city: 'Shanghai',
    postalCode: '200001',
    country: 'CN',
  });
  const audit = await system.db.auditEvent.findMany({ where: { orderNumber, action: 'edit order' } });
  expect(audit.map((a) => a.actor)).toEqual(['customer (tracking page)']);

  // Past review, an address review would flag is refused in words, and nothing changes.
  await page.reload();
  await form.getByLabel('Street and number').fill('Huaihai Road');
  await form.getByLabel('City').fill('Shanghai');
  await form.getByLabel('Postal code').fill('200002');
  await page.getByRole('button', { name: 'Send the new address' }).click();
  await page.getByText('Address has no house or door number').waitFor();
  expect((await system.db.order.findUniqueOrThrow({ where: { orderNumber } })).shippingAddress).toEqual(
    order.shippingAddress,
  );

  for (const picked of await pickEverything(system, orderNumber)) expect(picked.status).toBe(200);
  await eventually('the parcel booked', async () =>
    (await system.db.shipment.count({ where: { order: { orderNumber } } })) > 0 ? true : undefined,
  );
  await page.goto(`${link}?lang=en`);
  await page.getByText('Parcel 1').waitFor();
  expect(await page.getByRole('button', { name: 'Send the new address' }).count()).toBe(0);
  expect(problems).toEqual([]);
}, 120_000);

test('a customer asks for a return of a delivered order; a request the order is past is refused in words', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 } });
  const body = orderBody(sku, { lines: [{ sku, quantity: 2 }] });
  const orderNumber = await placeOrder(system, body);
  await reachStatus(system, orderNumber, 'PICKING');
  await pickEverything(system, orderNumber);
  await reachStatus(system, orderNumber, 'DELIVERED');
  const link = await linkFromEmail(body.customer.email, orderNumber);

  const { page, problems } = await browsers.open({ width: 390, height: 844 });
  await page.goto(link);
  await page.getByRole('heading', { name: 'Delivered' }).waitFor();
  // The parcel with its tracking, newest first.
  await page.getByText('Parcel 1').waitFor();
  await page.getByText('Delivered', { exact: false }).first().waitFor();
  expect(await page.getByRole('button', { name: 'Cancel my order' }).count()).toBe(0);

  await page
    .getByLabel(/Quantity|How many/)
    .first()
    .selectOption('1');
  await page.getByLabel('Reason').selectOption('SIZE_OR_FIT');
  await page.getByRole('button', { name: 'Request a return' }).click();
  await page.getByText('We have your return request').waitFor();
  const returned = await eventually('the return', async () => {
    const rows = await system.db.returnRequest.findMany({ where: { order: { orderNumber } } });
    return rows.length ? rows : undefined;
  });
  expect(returned).toEqual([
    expect.objectContaining({ kind: 'RETURN', reasonCode: 'SIZE_OR_FIT', source: 'customer', status: 'REQUESTED' }),
  ]);
  expect(returned[0].lines).toEqual([expect.objectContaining({ lineNo: 1, quantity: 1 })]);
  await page.getByText(/Requested: we will reply soon/).waitFor();

  // A second request while the first is open, and forms no page would send: refused, nothing new.
  const token = link.split('/').pop()!;
  const post = (path: string, form: Record<string, string>) =>
    fetch(`${system.apiUrl}/track/${token}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
      redirect: 'manual',
    });
  const again = await post('return', { 'line-1': '1', reason: 'SIZE_OR_FIT' });
  expect(again.status).toBe(409);
  expect(await again.text()).toContain('We could not do that');
  expect((await post('cancel', { reason: 'Changed my mind' })).status).toBe(409);
  const badForms: Record<string, string>[] = [
    { 'line-1': '0', reason: 'SIZE_OR_FIT' },
    { 'line-9': '1', reason: 'SIZE_OR_FIT' },
    { 'line-1': '1', reason: 'NOPE' },
  ];
  for (const bad of badForms) {
    expect((await post('return', bad)).status).toBe(422);
  }
  expect((await post('cancel', { reason: '<script>' })).status).toBe(422);
  expect(await system.db.returnRequest.count({ where: { order: { orderNumber } } })).toBe(1);
  expect(problems).toEqual([]);
}, 120_000);

test('the email shows the items, the total, the payment and the masked address, and reads on a phone', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 }, priceMinor: 12_900, sizes: ['L'] });
  const body = orderBody(sku, { lines: [{ sku, quantity: 2 }] });
  const orderNumber = await placeOrder(system, body);
  const mail = await firstEmail(body.customer.email, orderNumber);
  const product = `Test product ${sku.replace(/-L$/, '')}`;
  // The plain-text part: the message, then the details.
  expect(mail.text).toContain(`- ${product} (L · ${sku}) × 2: CNY 258.00`);
  expect(mail.text).toContain('Total: CNY 258.00');
  expect(mail.text).toContain('Paid');
  expect(mail.text).toContain('Delivering to: 88 N***, Shanghai, 200001, CN');
  expect(mail.text).not.toContain('Nanjing Road');
  expect(mail.text).toContain('— 小雅服饰');

  // The HTML part as a phone shows it.
  const { page, problems } = await browsers.open({ width: 390, height: 844 });
  await page.setContent(mail.html);
  await page.getByText('小雅服饰', { exact: true }).waitFor();
  await page.getByText(`${product} × 2 · CNY 258.00`).waitFor();
  await page.getByText('Total: CNY 258.00').waitFor();
  const button = page.getByRole('link', { name: 'Follow your order' });
  expect(await button.getAttribute('href')).toMatch(/\/track\/[A-Za-z0-9_-]{24}$/);
  // Nothing wider than the phone: no sideways scrolling.
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  expect(problems).toEqual([]);
}, 60_000);

test('a wrong or malformed token is a plain 404 that says nothing', async () => {
  for (const token of ['AAAAAAAAAAAAAAAAAAAAAAAA', 'short', '..%2F..%2Fapi', 'SO-20261203-000001']) {
    const answer = await fetch(`${system.apiUrl}/track/${token}`);
    expect([token, answer.status, await answer.text()]).toEqual([token, 404, 'Not found']);
  }
  const post = await fetch(`${system.apiUrl}/track/AAAAAAAAAAAAAAAAAAAAAAAA/cancel`, { method: 'POST' });
  expect(post.status).toBe(404);
});

/**
 * The staff console in a real browser (Debian's Chromium through playwright-core) against the real stack on SQLite:
 * a manager signs in with a key, sees Today, opens a flagged order from its count, approves it and watches it move on
 * without a reload; a warehouse key, in the default Chinese, sees no approve button, and a forged approve with its
 * session and CSRF token is refused 403.
 */
import { createApiKey } from '../../access/key-store';
import { Browsers, buildConsoleIfMissing, settled, signIn } from '../support/console';
import { newProduct, orderBody, placeOrder, reachStatus } from '../support/orders';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let sku: string;
const browsers = new Browsers();

beforeAll(async () => {
  buildConsoleIfMissing();
  system = await startTestSystem();
  sku = (await newProduct(system, { stock: { 'WH-SH': 20 } })).sku;
}, 180_000);

afterAll(async () => {
  await browsers.closeAll();
  await system?.stop();
}, 60_000);

async function flaggedOrder(): Promise<string> {
  const orderNumber = await placeOrder(system, orderBody(sku, { payment: { status: 'PENDING' } }));
  await reachStatus(system, orderNumber, 'IN_REVIEW');
  return orderNumber;
}

test('a manager signs in, sees Today, opens a flagged order and approves it; the page follows it', async () => {
  const orderNumber = await flaggedOrder();
  const { page, problems } = await browsers.open();
  await signIn(page, system, system.adminKey);

  await page.getByRole('heading', { name: 'Today' }).waitFor();
  await page.getByRole('menuitem', { name: 'Orders' }).waitFor();
  await settled(page);

  // The "In review" count links to the list behind it, which holds the order.
  await page.getByRole('link', { name: /In review/ }).click();
  await page.waitForURL(/\/orders\?status=IN_REVIEW$/);
  await page.getByRole('link', { name: orderNumber }).click();
  await page.waitForURL(new RegExp(`/orders/${orderNumber}$`));
  const status = page.getByTestId('order-status');
  await status.filter({ hasText: 'In review' }).waitFor();
  const approve = page.getByRole('button', { name: 'Approve' });
  await approve.waitFor();
  await page.getByRole('button', { name: 'Reject' }).waitFor();
  await page.getByText('Li Lei', { exact: false }).first().waitFor();

  // A marker on the window: still there afterwards means the page never reloaded.
  await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 1));
  await approve.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Note (optional)').fill('Payment confirmed by phone');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await status.filter({ hasText: 'Picking' }).waitFor({ timeout: 30_000 });
  await approve.waitFor({ state: 'detached' });
  await page.getByText('Payment confirmed by phone', { exact: false }).first().waitFor();
  expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(1);
  expect(problems).toEqual([]);
}, 90_000);

test('a warehouse key, in Chinese, gets no approve button, and a forged approve is refused 403', async () => {
  const orderNumber = await flaggedOrder();
  const { key } = await createApiKey(system.db, { name: 'Console warehouse', role: 'warehouse' });
  const { page, problems } = await browsers.open();
  // zh-CN is the default language.
  await signIn(page, system, key, true);
  await page.getByRole('heading', { name: '今日' }).waitFor();
  await page.getByRole('menuitem', { name: '订单' }).waitFor();
  await page.getByText('各状态订单').waitFor();

  await page.goto(`${system.apiUrl}/orders/${orderNumber}`);
  await page.getByTestId('order-status').filter({ hasText: '审核中' }).waitFor();
  await page.getByText('此订单目前无需操作').waitFor();
  expect(await page.getByRole('button', { name: /通过审核|Approve/ }).count()).toBe(0);

  const forged = await page.evaluate(async (number) => {
    const me = (await (await fetch('/api/session')).json()) as { session: { csrfToken: string } };
    const response = await fetch(`/api/orders/${number}/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.session.csrfToken },
      body: '{}',
    });
    return { status: response.status, body: (await response.json()) as { error: { code: string } } };
  }, orderNumber);
  expect(forged.status).toBe(403);
  expect(forged.body.error.code).toBe('FORBIDDEN');
  expect((await system.api<{ status: string }>('GET', `/api/orders/${orderNumber}`)).body.status).toBe('IN_REVIEW');
  expect(problems).toEqual([]);
}, 90_000);

test('a low-stock warning appears on Today without a reload', async () => {
  const { sku: lowSku } = await newProduct(system, { stock: { 'WH-SH': 8 } });
  const { page, problems } = await browsers.open();
  await signIn(page, system, system.adminKey);
  await page.getByRole('heading', { name: 'Today' }).waitFor();
  await settled(page);
  const figure = page.getByRole('link', { name: /Low stock/ });
  const shown = async () => Number((await figure.innerText()).replace(/\D+/g, ''));
  const before = await shown();
  await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 1));

  // Safety stock above what is there: the API opens a low-stock warning at once.
  const raised = await system.api('PUT', `/api/inventory/levels/${lowSku}/WH-SH`, { safetyStock: 10 });
  expect(raised.status).toBe(200);
  await figure.filter({ hasText: String(before + 1) }).waitFor();
  expect(await shown()).toBe(before + 1);
  expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(1);
  expect(problems).toEqual([]);
}, 90_000);

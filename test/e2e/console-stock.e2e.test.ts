/**
 * The returns desk and the stock screens of the staff console in a real browser, against the real stack on SQLite:
 * a return opened for a delivered order, received (one line restocked, one written off) and refunded, with the API
 * then showing the refund and the stock, and a second return the API refuses shown as it says it; a receipt that
 * raises a level and a count that adjusts it, the level then marked low against its safety stock; a CSV import with a
 * bad row that is named and changes nothing (the import is all or nothing), then imported once fixed; a transfer
 * requested, shipped and received short; and a warehouse key, in Chinese, not offered what it may not do.
 */
import type { Page } from 'playwright-core';
import { createApiKey } from '../../access/key-store';
import { Browsers, buildConsoleIfMissing, settled, signIn } from '../support/console';
import type { ReturnRow, StockLevelList, TransferView } from '../support/api';
import {
  getOrder,
  newProduct,
  orderBody,
  pickEverything,
  placeOrder,
  reachStatus,
  stockLevel,
  unique,
} from '../support/orders';
import { eventually, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
const browsers = new Browsers();

beforeAll(async () => {
  buildConsoleIfMissing();
  // Long enough to open the return in the browser (the test stack's default is 3 s).
  system = await startTestSystem({ env: { OMS_AFTER_SALES_WINDOW: '10m' } });
}, 180_000);

afterAll(async () => {
  await browsers.closeAll();
  await system?.stop();
}, 60_000);

/** Picks a location by typing its code into the Select labelled `label` (it filters as one types). */
async function chooseLocation(page: Page, label: string, code: string): Promise<void> {
  const select = page.getByLabel(label, { exact: true });
  await select.click();
  await select.fill(code);
  await page.locator('.ant-select-item-option-active').filter({ hasText: code }).waitFor();
  await select.press('Enter');
}

/** Opens the Select labelled `label` and picks the option whose text matches. */
async function choose(page: Page, label: string, option: RegExp): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
}

async function signedIn(key = system.adminKey): Promise<{ page: Page; problems: string[] }> {
  const browser = await browsers.open();
  await signIn(browser.page, system, key);
  return browser;
}

test('a return is opened for a delivered order, received (one line restocked) and refunded in the browser', async () => {
  const { variants } = await newProduct(system, { sizes: ['M', 'L'], stock: { 'WH-SH': 5 }, priceMinor: 12_900 });
  const [medium, large] = variants.map((v) => v.sku);
  const orderNumber = await placeOrder(
    system,
    orderBody(medium, {
      lines: [
        { sku: medium, quantity: 2 },
        { sku: large, quantity: 1 },
      ],
    }),
  );
  await reachStatus(system, orderNumber, 'PICKING');
  await pickEverything(system, orderNumber);
  await reachStatus(system, orderNumber, 'DELIVERED');
  expect((await stockLevel(system, medium, 'WH-SH')).onHand).toBe(3);
  expect((await stockLevel(system, large, 'WH-SH')).onHand).toBe(4);

  const { page, problems } = await signedIn();
  await page.getByRole('menuitem', { name: 'Returns' }).click();
  await page.getByRole('heading', { name: 'Returns and exchanges' }).waitFor();
  await page.getByRole('button', { name: 'Open a return or exchange' }).click();
  await page.getByLabel('Order number').fill(orderNumber);
  await page.getByRole('button', { name: 'Find' }).click();
  await page.waitForURL(new RegExp(`/returns/new\\?order=${orderNumber}$`));
  await page.getByText('Delivered and within the after-sales window', { exact: false }).waitFor();

  // One of the two mediums and the large back; the refund shown is at the prices paid.
  await page.getByLabel('Take back line 1').check();
  await page.getByLabel('Take back line 2').check();
  await page.getByText('Refund when received: ¥258.00').waitFor();
  await choose(page, 'Reason', /^Size or fit$/);
  await page.getByLabel('Note (optional)').fill('too small');
  await page.getByRole('button', { name: 'Open the return' }).click();
  const returnNumber = `${orderNumber}-R1`;
  await page.waitForURL(new RegExp(`/returns/${returnNumber}$`));
  const status = page.getByTestId('return-status');
  await status.filter({ hasText: 'Requested' }).waitFor();

  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await status.filter({ hasText: 'Approved' }).waitFor();

  // Inspected: the medium goes back on the shelf, the large is written off.
  await page.getByText('Receive and inspect').waitFor();
  const receiving = page.locator('tr').filter({ has: page.getByRole('radio') });
  await receiving.filter({ hasText: medium }).getByText('Restock', { exact: true }).click();
  await receiving.filter({ hasText: large }).getByText('Write off', { exact: true }).click();
  await page.getByRole('button', { name: 'Receive', exact: true }).click();

  await page.getByRole('button', { name: 'Refund ¥258.00' }).click();
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await page.getByTestId('return-refund').filter({ hasText: 'Refunded ¥258.00' }).waitFor({ timeout: 30_000 });
  await status.filter({ hasText: 'Refunded' }).waitFor();
  await page.getByText('Back to stock', { exact: true }).waitFor();
  await page.getByText('Written off', { exact: true }).waitFor();

  // The API holds the same: the return refunded at the prices paid, the refund on the order, the medium restocked.
  const stored = (await system.api<ReturnRow>('GET', `/api/returns/${returnNumber}`)).body;
  expect(stored).toMatchObject({
    status: 'REFUNDED',
    reasonCode: 'SIZE_OR_FIT',
    note: 'too small',
    refundMinor: 25_800,
  });
  expect(stored.lines).toEqual([
    expect.objectContaining({ lineNo: 1, sku: medium, quantity: 1, condition: 'RESTOCK' }),
    expect.objectContaining({ lineNo: 2, sku: large, quantity: 1, condition: 'WRITE_OFF' }),
  ]);
  expect((await getOrder(system, orderNumber)).refunds.map((r) => r.amountMinor)).toEqual([25_800]);
  expect((await stockLevel(system, medium, 'WH-SH')).onHand).toBe(4);
  expect((await stockLevel(system, large, 'WH-SH')).onHand).toBe(4);

  // Back to DELIVERED, one medium is left to return; opened meanwhile elsewhere, the API's refusal is shown as it is.
  await reachStatus(system, orderNumber, 'DELIVERED');
  await page.goto(`${system.apiUrl}/returns/new?order=${orderNumber}`);
  await page.getByText('Delivered and within the after-sales window', { exact: false }).waitFor();
  expect(await page.getByLabel('Take back line 2').isDisabled()).toBe(true);
  await page.getByLabel('Take back line 1').check();
  await choose(page, 'Reason', /^Changed mind$/);
  const elsewhere = await system.api('POST', `/api/orders/${orderNumber}/returns`, {
    kind: 'RETURN',
    reason: 'DEFECTIVE',
    lines: [{ lineNo: 1, quantity: 1 }],
  });
  expect(elsewhere.status).toBe(201);
  await page.getByRole('button', { name: 'Open the return' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: new RegExp(`${orderNumber} (already has an open return|is AFTER_SALES)`) })
    .waitFor();

  // The list shows the first among the refunded returns.
  await page.getByRole('link', { name: 'Returns' }).first().click();
  await choose(page, 'Status', /^Refunded$/);
  await page.waitForURL(/\/returns\?status=REFUNDED$/);
  await page.getByRole('link', { name: returnNumber }).waitFor();
  expect(problems).toEqual([]);
}, 150_000);

test('a stock receipt entered in the browser raises the level, a count adjusts it, shown low against its safety stock', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 3 } });
  const { page, problems } = await signedIn();
  await page.getByRole('menuitem', { name: 'Stock' }).click();
  await page.getByRole('tab', { name: 'Receipt' }).click();
  await page.waitForURL(/\/stock\/receipt$/);
  await chooseLocation(page, 'Location', 'WH-SH');
  const reference = `DN-${unique()}`;
  await page.getByLabel('Reference', { exact: true }).fill(reference);
  await page.getByLabel('SKU 1').fill(sku);
  await page.getByLabel('Quantity 1').fill('7');
  await page.getByRole('button', { name: 'Receive', exact: true }).click();
  await page.getByText(`Received: ${reference}`).waitFor();
  expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 10, reserved: 0, available: 10 });

  // A count (盘点) finds one fewer: the adjustment is shown and made.
  await page.getByRole('tab', { name: 'Count' }).click();
  await page.waitForURL(/\/stock\/count$/);
  await chooseLocation(page, 'Location', 'WH-SH');
  await page.getByLabel('SKU 1').fill(sku);
  await page.getByLabel('Counted 1').fill('9');
  await page.getByRole('button', { name: 'Record the count' }).click();
  const adjustment = page.locator('tr').filter({ hasText: sku });
  await adjustment.waitFor();
  expect(await adjustment.locator('td').allInnerTexts()).toEqual([sku, '10', '9', '-1']);
  expect((await stockLevel(system, sku, 'WH-SH')).onHand).toBe(9);

  // A safety stock of 12, set on the level's row: below it, the level is marked low (and the API holds 12).
  await page.getByRole('tab', { name: 'Levels' }).click();
  await page.getByLabel('SKU (exact)').fill(sku);
  await page.getByLabel('SKU (exact)').press('Enter');
  const row = page.locator('tr').filter({ hasText: sku });
  await row.getByRole('button', { name: `Safety stock of ${sku} at WH-SH` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Safety stock').fill('12');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await row.filter({ hasText: 'Low' }).waitFor();
  expect(await row.locator('td').allInnerTexts()).toEqual([sku, 'WH-SH', '9', '0', '9', '12', 'Low']);
  const warehouse = await system.db.location.findUniqueOrThrow({ where: { code: 'WH-SH' } });
  const level = await system.db.stockLevel.findFirstOrThrow({ where: { sku, locationId: warehouse.id } });
  expect(level.safetyStock).toBe(12);

  // The ledger shows the receipt under its reference.
  await page.getByRole('tab', { name: 'Movements' }).click();
  await page.getByLabel('SKU (exact)').fill(sku);
  await page.getByLabel('SKU (exact)').press('Enter');
  await page.locator('tr').filter({ hasText: reference }).filter({ hasText: '+7' }).waitFor();
  await page.locator('tr').filter({ hasText: 'Adjustment' }).filter({ hasText: '-1' }).waitFor();
  await settled(page);
  expect(problems).toEqual([]);
}, 90_000);

test('a CSV import with a bad row names it and changes nothing; fixed, it sets the levels', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 } });
  const { page, problems } = await signedIn();
  await page.goto(`${system.apiUrl}/stock/csv`);
  await page.getByRole('link', { name: 'Download inventory.csv' }).waitFor();
  // The export link carries the session cookie.
  const exported = await page.evaluate(async () => (await fetch('/api/inventory.csv')).text());
  expect(exported).toContain(`${sku},WH-SH,5,0`);

  const unknown = `NO-SUCH-${unique()}`;
  const bad = `sku,location,on_hand,safety_stock\n${sku},WH-SH,8,2\n${unknown},WH-SH,3,0\n`;
  await page
    .getByTestId('csv-file')
    .setInputFiles({ name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByText('stock.csv').waitFor();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText('Rows with problems: nothing was imported').waitFor();
  const badRow = page.getByTestId('csv-bad-rows').locator('tbody tr');
  expect(await badRow.count()).toBe(1);
  expect(await badRow.locator('td').allInnerTexts()).toEqual(['3', 'sku', `unknown SKU ${unknown}`]);
  // All or nothing: the good row was not applied either.
  const untouched = (await system.api<StockLevelList>('GET', `/api/inventory?sku=${sku}`)).body.levels;
  expect(untouched).toEqual([expect.objectContaining({ location: 'WH-SH', onHand: 5, safetyStock: 0 })]);

  await page
    .getByRole('textbox', { name: 'CSV', exact: true })
    .fill(`sku,location,on_hand,safety_stock\n${sku},WH-SH,8,2\n`);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText('Imported: rows read 1, levels changed 1').waitFor();
  const levels = (await system.api<StockLevelList>('GET', `/api/inventory?sku=${sku}`)).body.levels;
  expect(levels).toEqual([expect.objectContaining({ location: 'WH-SH', onHand: 8, available: 8, safetyStock: 2 })]);
  expect(problems).toEqual([]);
}, 90_000);

test('a transfer is requested, shipped and received in the browser; the stock moves', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 6 } });
  const { page, problems } = await signedIn();
  await page.goto(`${system.apiUrl}/stock/transfers`);
  await page.getByRole('button', { name: 'New transfer' }).click();
  await chooseLocation(page, 'From', 'WH-SH');
  await chooseLocation(page, 'To', 'ST-NJR');
  await page.getByLabel('SKU 1').fill(sku);
  await page.getByLabel('Quantity 1').fill('4');
  await page.getByRole('button', { name: 'Request the transfer' }).click();
  const status = page.getByTestId('transfer-status');
  await status.filter({ hasText: 'Requested' }).waitFor();
  const transferNumber = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  expect(transferNumber).not.toBe('new');
  expect(await stockLevel(system, sku, 'WH-SH')).toEqual({ onHand: 6, reserved: 4, available: 2 });

  await page.getByRole('button', { name: 'Shipped', exact: true }).click();
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await status.filter({ hasText: 'In transit' }).waitFor();
  await page.getByLabel(`Received of ${sku}`).fill('3');
  await page.getByRole('button', { name: 'Confirm receipt' }).click();
  await status.filter({ hasText: 'Received' }).waitFor({ timeout: 30_000 });

  const stored = await eventually('the transfer received', async () => {
    const view = (await system.api<TransferView>('GET', `/api/transfers/${transferNumber}`)).body;
    return view.status === 'RECEIVED' ? view : undefined;
  });
  expect(stored.lines).toEqual([expect.objectContaining({ sku, quantity: 4, received: 3 })]);
  expect((await stockLevel(system, sku, 'WH-SH')).onHand).toBe(2);
  expect((await stockLevel(system, sku, 'ST-NJR')).onHand).toBe(3);
  await page.getByRole('link', { name: 'Transfers' }).click();
  await page.getByRole('link', { name: transferNumber }).waitFor();
  expect(problems).toEqual([]);
}, 90_000);

test('a warehouse key, in Chinese, sees stock but is not offered the write-off, the import or opening a return', async () => {
  const { key } = await createApiKey(system.db, { name: 'Stock warehouse', role: 'warehouse' });
  const { page, problems } = await browsers.open();
  await signIn(page, system, key, true);
  await page.getByRole('menuitem', { name: '库存' }).click();
  await page.getByRole('tab', { name: '盘点' }).waitFor();
  await page.getByRole('tab', { name: '入库' }).waitFor();
  expect(await page.getByRole('tab', { name: '报损' }).count()).toBe(0);
  await settled(page);
  await page.getByRole('tab', { name: 'CSV' }).click();
  await page.getByRole('link', { name: '下载 inventory.csv' }).waitFor();
  expect(await page.getByRole('button', { name: /^导\s*入$/ }).count()).toBe(0);
  await page.getByRole('menuitem', { name: '退换货' }).click();
  await page.getByRole('heading', { name: '退货与换货' }).waitFor();
  await settled(page);
  expect(await page.getByRole('button', { name: '办理退换货' }).count()).toBe(0);
  expect(problems).toEqual([]);
}, 60_000);

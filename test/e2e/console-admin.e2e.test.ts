/**
 * The console's admin and reference screens in a real browser against the real stack on SQLite: an admin creates a
 * warehouse key in Staff & keys (shown once), the key signs in in a second browser and gets only the warehouse's
 * menus, the admin revokes it and the second browser is signed out at its next step; a product created in the
 * Catalogue is then listed by the API, and a product with a negative price shows the API's field error next to the
 * price and is not created.
 */
import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { Browsers, buildConsoleIfMissing, settled, signIn } from '../support/console';
import { unique } from '../support/orders';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
const browsers = new Browsers();

beforeAll(async () => {
  buildConsoleIfMissing();
  system = await startTestSystem();
}, 180_000);

afterAll(async () => {
  await browsers.closeAll();
  await system?.stop();
}, 60_000);

interface Product {
  code: string;
  name: string;
  category: string;
  variants: { sku: string; barcode: string; priceMinor: number; attributes: Record<string, string> }[];
}

const barcode = () => `69${crypto.randomInt(10 ** 10, 10 ** 11)}`;

async function products(): Promise<Product[]> {
  const answer = await system.api<{ products: Product[] }>('GET', '/api/products');
  expect(answer.status).toBe(200);
  return answer.body.products;
}

/** The menu's entries, as the person sees them. */
async function menuItems(page: Page): Promise<string[]> {
  return (await page.getByRole('menuitem').allInnerTexts()).map((text) => text.trim());
}

test('an admin creates a warehouse key (shown once); it sees only warehouse menus; revoked, its browser is signed out', async () => {
  const name = `Warehouse ${unique()}`;
  const admin = await browsers.open();
  await signIn(admin.page, system, system.adminKey);
  await admin.page.getByRole('menuitem', { name: 'Staff & keys' }).click();
  await admin.page.getByRole('heading', { name: 'Staff and API keys' }).waitFor();
  await admin.page.getByText('Signed-in sessions', { exact: true }).waitFor();

  await admin.page.getByRole('button', { name: 'New key' }).click();
  const form = admin.page.getByRole('dialog', { name: 'New API key' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Role').click();
  await admin.page.locator('.ant-select-item-option', { hasText: 'Warehouse' }).click();
  await form.getByRole('button', { name: 'Create' }).click();

  const shown = admin.page.getByRole('dialog', { name: `Key for ${name} (Warehouse)` });
  await shown.getByText('it is shown only this once').waitFor();
  await shown.getByRole('button', { name: 'Copy' }).waitFor();
  const key = await shown.getByTestId('new-key').inputValue();
  expect(key).toMatch(/^oms_/);
  const listed = await system.api<{ keys: { id: number; name: string; role: string; revokedAt: string | null }[] }>(
    'GET',
    '/api/admin/keys',
  );
  const created = listed.body.keys.find((k) => k.name === name);
  expect(created).toMatchObject({ role: 'warehouse', revokedAt: null });
  await shown.locator('.ant-modal-footer').getByRole('button', { name: 'Close' }).click();
  await shown.waitFor({ state: 'detached' });
  // Once closed, the key is nowhere on the page.
  expect(await admin.page.getByText(key).count()).toBe(0);
  const row = admin.page.getByRole('row').filter({ hasText: name });
  await row.getByText('Active', { exact: true }).waitFor();

  // The key, in a second browser: a warehouse's menus only.
  const warehouse = await browsers.open();
  await signIn(warehouse.page, system, key);
  await warehouse.page.getByRole('menuitem', { name: 'Warnings' }).waitFor();
  const menu = await menuItems(warehouse.page);
  expect(menu).toEqual(expect.arrayContaining(['Today', 'Orders', 'Warnings', 'Catalogue', 'Locations']));
  expect(menu).not.toContain('Staff & keys');
  expect(menu).not.toContain('Security');
  expect(menu).not.toContain('Block list');
  await warehouse.page.getByRole('menuitem', { name: 'Catalogue' }).click();
  await warehouse.page.getByRole('heading', { name: 'Catalogue' }).waitFor();
  expect(await warehouse.page.getByRole('button', { name: 'New product' }).count()).toBe(0);
  // Typed in by hand, the admin screens are not there either.
  await warehouse.page.goto(`${system.apiUrl}/staff`);
  await warehouse.page.getByText('No such page').waitFor();

  // The admin sees the sign-in in the sessions list, then revokes the key.
  await admin.page.reload();
  await admin.page.getByText('Signed-in sessions', { exact: true }).waitFor();
  await admin.page.getByRole('row').filter({ hasText: name }).filter({ hasText: 'Signed in' }).first().waitFor();
  await admin.page
    .getByRole('row')
    .filter({ hasText: name })
    .filter({ hasText: 'Active' })
    .getByRole('button', { name: 'Revoke' })
    .click();
  const confirm = admin.page.getByRole('dialog').filter({ hasText: `Revoke the key of ${name}?` });
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await admin.page.getByRole('row').filter({ hasText: name }).filter({ hasText: 'Revoked' }).first().waitFor();
  const after = await system.api<{ keys: { name: string; revokedAt: string | null }[] }>('GET', '/api/admin/keys');
  expect(after.body.keys.find((k) => k.name === name)?.revokedAt).not.toBeNull();

  // The second browser's next step is refused, and it is back at the sign-in page.
  await warehouse.page.getByRole('menuitem', { name: 'Orders' }).click();
  await warehouse.page.getByLabel('API key').waitFor();
  await warehouse.page.getByRole('button', { name: 'Sign in' }).waitFor();
  const whoAmI = await warehouse.page.evaluate(async () => (await fetch('/api/session')).status);
  expect(whoAmI).toBe(401);
  // And the key itself no longer signs in.
  const again = await system.api('POST', '/api/session', { key }, null);
  expect(again.status).toBe(401);

  expect(admin.problems).toEqual([]);
  expect(warehouse.problems).toEqual([]);
}, 120_000);

test('a product created in the Catalogue is listed by the API; a negative price shows the field error and creates nothing', async () => {
  const { page, problems } = await browsers.open();
  await signIn(page, system, system.adminKey);
  await page.getByRole('menuitem', { name: 'Catalogue' }).click();
  await page.getByRole('heading', { name: 'Catalogue' }).waitFor();
  await settled(page);

  const fill = async (code: string, sku: string, price: string) => {
    await page.getByRole('button', { name: 'New product' }).click();
    const dialog = page.getByRole('dialog', { name: 'New product' });
    await dialog.getByLabel('Code', { exact: true }).fill(code);
    await dialog.getByLabel('Name', { exact: true }).fill(`Linen shirt ${code}`);
    await dialog.getByLabel('Category', { exact: true }).fill('clothing');
    await dialog.getByLabel('SKU', { exact: true }).fill(sku);
    await dialog.getByLabel('Barcode', { exact: true }).fill(barcode());
    await dialog.getByLabel('Price (¥)', { exact: true }).fill(price);
    await dialog.getByLabel('Attributes', { exact: true }).fill('size=L; colour=black');
    await dialog.getByRole('button', { name: 'Create' }).click();
    return dialog;
  };

  // A negative price: the API's 422 names the field, shown next to the price; nothing is created.
  const bad = `BAD${unique().toUpperCase()}`;
  const badDialog = await fill(bad, `${bad}-L`, '-5');
  await badDialog.getByText('Some fields are not right').waitFor();
  const priceItem = badDialog.locator('.ant-form-item').filter({ has: page.getByLabel('Price (¥)', { exact: true }) });
  await priceItem
    .locator('.ant-form-item-explain-error')
    .filter({ hasText: />=\s*0/ })
    .waitFor();
  expect((await products()).some((p) => p.code === bad)).toBe(false);
  expect(await system.db.productVariant.count({ where: { sku: `${bad}-L` } })).toBe(0);
  await badDialog.locator('.ant-modal-footer').getByRole('button', { name: 'Close' }).click();
  await badDialog.waitFor({ state: 'detached' });

  // A good one: listed on the screen and by the API, the price in fen.
  const good = `LIN${unique().toUpperCase()}`;
  const goodDialog = await fill(good, `${good}-L`, '129.50');
  await goodDialog.waitFor({ state: 'detached' });
  await page.getByRole('row').filter({ hasText: good }).filter({ hasText: '¥129.50' }).first().waitFor();
  await page.getByRole('cell', { name: `${good}-L`, exact: true }).waitFor();
  const listed = (await products()).find((p) => p.code === good);
  expect(listed).toMatchObject({
    name: `Linen shirt ${good}`,
    category: 'clothing',
    variants: [{ sku: `${good}-L`, priceMinor: 12_950, attributes: { size: 'L', colour: 'black' } }],
  });
  expect(problems).toEqual([]);
}, 90_000);

/**
 * The console's warehouse screens in a real browser against the real stack on SQLite. A warehouse key opens an
 * order from the picking queue and picks its two lines (T-shirts, and phones with their IMEIs) by typing scans into
 * the scan field as a barcode scanner does: wrong codes, one unit too many, a bad, unknown or repeated IMEI are
 * refused on the page and nothing reaches the API (the order stays PICKING, its shipment unpicked); the last scan
 * confirms the pick and the order moves on; Enter then opens the next order in the queue, and its packing slip
 * shows the carrier's tracking number. At the pickup counter a clerk finds a click & collect order by the
 * customer's phone and hands it over.
 */
import crypto from 'node:crypto';
import { createApiKey } from '../../access/key-store';
import { withImeiCheckDigit } from '../../domain/imei';
import { Browsers, buildConsoleIfMissing, signIn } from '../support/console';
import type { OrderView } from '../support/api';
import {
  getOrder,
  newProduct,
  orderBody,
  pickEverything,
  pickList,
  placeOrder,
  reachStatus,
  unique,
} from '../support/orders';
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

/** A serialised product of its own (a phone) with `imeis.length` units received at `location`. */
async function newPhone(location: string, imeis: string[]): Promise<{ sku: string; barcode: string }> {
  const code = `P${unique().toUpperCase()}`;
  const sku = `${code}-128`;
  const barcode = `3${String(crypto.randomInt(0, 1e12)).padStart(12, '0')}`;
  const created = await system.api('POST', '/api/products', {
    code,
    name: `Test phone ${code}`,
    category: 'phones',
    serialised: true,
    variants: [{ sku, barcode, priceMinor: 199_900, attributes: { storage: '128GB' } }],
  });
  expect(created.status).toBe(201);
  const received = await system.api('POST', '/api/inventory/receipts', {
    location,
    reference: `DN-${unique()}`,
    lines: [{ sku, quantity: imeis.length, serials: imeis }],
  });
  expect(received.status).toBe(201);
  return { sku, barcode };
}

const imei = () => withImeiCheckDigit(`35${String(crypto.randomInt(0, 1e12)).padStart(12, '0')}`);

test('a warehouse key picks a two-line order by scanning; wrong scans are refused and nothing is recorded', async () => {
  const tee = await newProduct(system, { stock: { 'WH-SH': 5 } });
  const serials = [imei(), imei(), imei()];
  const phone = await newPhone('WH-SH', serials);
  const orderNumber = await placeOrder(
    system,
    orderBody(tee.sku, {
      lines: [
        { sku: tee.sku, quantity: 2 },
        { sku: phone.sku, quantity: 2 },
      ],
    }),
  );
  // A second order waits behind it: the next one offered once the first is picked.
  const secondOrder = await placeOrder(system, orderBody(tee.sku, { lines: [{ sku: tee.sku, quantity: 1 }] }));
  await reachStatus(system, orderNumber, 'PICKING');
  await reachStatus(system, secondOrder, 'PICKING');
  const { key } = await createApiKey(system.db, { name: 'Console picker', role: 'warehouse' });
  const { page, problems } = await browsers.open();
  await signIn(page, system, key);

  // The queue of the Shanghai warehouse (the first location) holds the order; its row opens the scan screen.
  await page.getByRole('menuitem', { name: 'Picking' }).click();
  await page.getByRole('heading', { name: 'Picking queue' }).waitFor();
  await page.getByRole('link', { name: orderNumber }).waitFor();
  await page.getByRole('link', { name: orderNumber }).click();
  await page.waitForURL(new RegExp(`/picking/${orderNumber}$`));
  const field = page.getByRole('textbox', { name: 'Scan', exact: true });
  await field.waitFor();
  await page.getByTestId('pick-keys').filter({ hasText: 'Esc' }).waitFor();
  // The scan field has the focus without a click: what the scanner types goes into it.
  type Doc = { document: { activeElement: { id: string } | null } };
  await page.waitForFunction(() => (globalThis as unknown as Doc).document.activeElement?.id === 'pick-scan');

  const count = (barcode: string, text: string) =>
    page.getByTestId(`pick-line-${barcode}`).getByTestId('pick-line-count').filter({ hasText: text }).waitFor();
  const refused = (text: string) => page.getByTestId('scan-refusal').filter({ hasText: text }).waitFor();
  const scanIn = async (code: string) => {
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  };
  const nothingRecorded = async () => {
    expect((await getOrder(system, orderNumber)).status).toBe('PICKING');
    expect((await pickList(system, orderNumber)).map((s) => s.phase)).toEqual(['PICKING']);
  };

  // A code that is not on the shipment: refused on the page, nothing sent.
  await scanIn('2999999999999');
  await refused('“2999999999999” is not on this shipment');
  await nothingRecorded();

  await scanIn(tee.barcode);
  await count(tee.barcode, '1 / 2');
  // A SKU typed by hand counts like its barcode.
  await field.fill(tee.sku.toLowerCase());
  await field.press('Enter');
  await count(tee.barcode, '2 / 2');
  // One more than the shipment needs.
  await scanIn(tee.barcode);
  await refused(`One ${tee.sku} too many`);
  await count(tee.barcode, '2 / 2');
  await nothingRecorded();

  // A phone: its IMEI is the next scan; a bad one, one not in stock, and the same one twice are refused.
  await scanIn(phone.barcode);
  await page
    .getByTestId('scan-feedback')
    .filter({ hasText: `scan the IMEI (serial number) of this ${phone.sku}` })
    .waitFor();
  await scanIn('123456789012345');
  await refused('is not a valid IMEI');
  await scanIn(imei());
  await refused('is not a phone we have in stock');
  await scanIn(serials[0]);
  await count(phone.barcode, '1 / 2');
  await scanIn(phone.barcode);
  await scanIn(serials[0]);
  await refused(`IMEI ${serials[0]} has already been scanned`);
  // Esc puts the phone waiting for its IMEI back; Esc again takes off the last unit scanned.
  await page.keyboard.press('Escape');
  await page.getByTestId('scan-feedback').filter({ hasText: 'Cancelled' }).waitFor();
  await page.keyboard.press('Escape');
  await count(phone.barcode, '0 / 2');
  await nothingRecorded();

  await scanIn(phone.barcode);
  await scanIn(serials[1]);
  await count(phone.barcode, '1 / 2');
  await scanIn(phone.barcode);
  await scanIn(serials[2]);
  // The last unit confirms the pick.
  await page
    .getByTestId('pick-done')
    .filter({ hasText: `Shipment 1 of ${orderNumber} is picked` })
    .waitFor();
  await reachStatus(system, orderNumber, ['SHIPPED', 'DELIVERED', 'COMPLETED']);
  const order: OrderView = await getOrder(system, orderNumber);
  expect(order.shipments).toHaveLength(1);
  for (const serial of serials.slice(1)) {
    expect((await system.api<{ status: string }>('GET', `/api/serials/${serial}`)).body.status).toBe('SOLD');
  }
  expect((await system.api<{ status: string }>('GET', `/api/serials/${serials[0]}`)).body.status).toBe('IN_STOCK');

  // Enter opens the next order waiting here; its one unit confirms it.
  await page.getByRole('button', { name: `Next order: ${secondOrder}` }).waitFor();
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/picking/${secondOrder}$`));
  await page
    .getByTestId(`pick-line-${tee.barcode}`)
    .getByTestId('pick-line-count')
    .filter({ hasText: '0 / 1' })
    .waitFor();
  await scanIn(tee.barcode);
  await page
    .getByTestId('pick-done')
    .filter({ hasText: `Shipment 1 of ${secondOrder} is picked` })
    .waitFor();
  await reachStatus(system, secondOrder, ['SHIPPED', 'DELIVERED', 'COMPLETED']);
  const second: OrderView = await getOrder(system, secondOrder);

  // The packing slip with the carrier's label.
  await page.getByRole('button', { name: 'Packing slip and label' }).click();
  await page.waitForURL(new RegExp(`/picking/${secondOrder}/slip/1$`));
  await page.getByTestId('tracking-number').filter({ hasText: second.shipments[0].trackingNumber }).waitFor();
  const slip = page.getByTestId('packing-slip');
  await slip.filter({ hasText: '88 Nanjing Road' }).waitFor();
  await slip.filter({ hasText: tee.sku }).waitFor();
  await page.getByRole('button', { name: 'Print' }).waitFor();
  expect(problems).toEqual([]);
}, 150_000);

test('a clerk finds a pickup order by phone at the counter and hands it over', async () => {
  const product = await newProduct(system, { stock: { 'ST-NJR': 2 } });
  const phone = `+86 139 ${String(crypto.randomInt(0, 1e4)).padStart(4, '0')} ${String(crypto.randomInt(0, 1e4)).padStart(4, '0')}`;
  const body = orderBody(product.sku, {
    lines: [{ sku: product.sku, quantity: 1 }],
    pickupStore: 'ST-NJR',
    customer: { name: 'Han Meimei', email: `han.${unique()}@example.com`, phone },
  });
  delete body.shippingAddress;
  const orderNumber = await placeOrder(system, body);
  await reachStatus(system, orderNumber, 'PICKING');
  await pickEverything(system, orderNumber);
  await reachStatus(system, orderNumber, 'READY_FOR_PICKUP');

  const { key } = await createApiKey(system.db, { name: 'Console counter', role: 'clerk' });
  const { page, problems } = await browsers.open();
  await signIn(page, system, key);
  // A clerk hands orders over but does not pick.
  await page.getByRole('menuitem', { name: 'Pickup' }).click();
  expect(await page.getByRole('menuitem', { name: 'Picking' }).count()).toBe(0);
  await page.getByRole('heading', { name: 'Pickup counter' }).waitFor();
  await page.getByLabel('Order number, customer name or phone').fill(phone.slice(-9));
  const row = page.getByRole('row').filter({ hasText: orderNumber });
  await row.waitFor();
  await row.getByRole('button', { name: 'Collected' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.filter({ hasText: `Hand over ${orderNumber}?` }).waitFor();
  await dialog.getByRole('button', { name: 'Collected' }).click();
  await row.waitFor({ state: 'detached' });
  await page.getByText(`${orderNumber} collected by the customer`).waitFor();
  await reachStatus(system, orderNumber, ['DELIVERED', 'COMPLETED']);
  expect(problems).toEqual([]);
}, 120_000);

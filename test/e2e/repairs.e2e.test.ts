/**
 * Repairs (维修) on the real stack (SQLite, Temporal, MailDev, the local carrier): a phone the shop sold comes back to
 * the counter by its IMEI. In warranty it is diagnosed free, sent to the vendor, replaced by a unit from the counter's
 * shelf (stock and both units' histories follow) and shipped back with the carrier; out of warranty the diagnosis
 * quotes a price, a replacement is refused, and it is repaired in store and collected. The customer gets an email per
 * step, follows the ticket on its page, and finds it in their history; a stage past its SLA warns the manager until
 * the ticket moves on. Bad input changes nothing.
 */
import crypto from 'node:crypto';
import { withImeiCheckDigit } from '../../domain/imei';
import type { Page } from 'playwright-core';
import type { ApiError } from '../support/api';
import { Browsers, buildConsoleIfMissing, signIn } from '../support/console';
import { orderBody, pickEverything, placeOrder, reachStatus, stockLevel, unique } from '../support/orders';
import { emailsTo, eventually, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let clerk: string;
const browsers = new Browsers();

beforeAll(async () => {
  buildConsoleIfMissing();
  // A diagnosis is due within 3 s here, so the SLA test sees its warning; the other stages keep their days.
  system = await startTestSystem({ env: { OMS_REPAIR_SLA_DIAGNOSIS: '3s' } });
  const created = await system.api<{ key: string }>('POST', '/api/admin/keys', {
    name: 'repair counter',
    role: 'clerk',
  });
  clerk = created.body.key;
}, 180_000);

afterAll(async () => {
  await browsers.closeAll();
  await system?.stop();
}, 60_000);

interface Ticket {
  ticketNumber: string;
  status: string;
  serial: string;
  sku: string;
  inWarranty: boolean;
  warrantyEndsAt: string | null;
  orderNumber: string | null;
  customerId: number | null;
  contactEmail: string | null;
  chargeMinor: number;
  trackingToken: string;
  trackingNumber: string | null;
  replacementSerial: string | null;
  closedAt: string | null;
  name: string;
  nextSteps: string[];
  events: { status: string; actor: string }[];
}

const imei = () => withImeiCheckDigit(`35${String(crypto.randomInt(0, 1e12)).padStart(12, '0')}`);

/** A phone model of its own with these units received at `location`. */
async function newPhone(location: string, serials: string[]): Promise<string> {
  const code = `R${unique().toUpperCase()}`;
  const sku = `${code}-256`;
  const created = await system.api('POST', '/api/products', {
    code,
    name: `Repair phone ${code}`,
    category: 'phones',
    serialised: true,
    variants: [
      {
        sku,
        barcode: `4${String(crypto.randomInt(0, 1e12)).padStart(12, '0')}`,
        priceMinor: 399_900,
        attributes: { storage: '256GB' },
      },
    ],
  });
  expect(created.status).toBe(201);
  await receiveUnits(location, sku, serials);
  return sku;
}

async function receiveUnits(location: string, sku: string, serials: string[]) {
  const received = await system.api('POST', '/api/inventory/receipts', {
    location,
    reference: `DN-${unique()}`,
    lines: [{ sku, quantity: serials.length, serials }],
  });
  expect(received.status).toBe(201);
}

/** Sells the one unit of `sku` in the warehouse on a web order, picked by its IMEI; answers the order and its email. */
async function sellPhone(sku: string) {
  const body = orderBody(sku, { lines: [{ sku, quantity: 1 }] });
  const orderNumber = await placeOrder(system, body);
  await reachStatus(system, orderNumber, 'PICKING');
  await pickEverything(system, orderNumber);
  // The pick is written by the order's workflow: the unit is sold once it has.
  await eventually('the phone sold', async () => {
    const units = await system.db.serialUnit.findMany({ where: { sku, status: 'SOLD' } });
    return units.length === 1 ? true : undefined;
  });
  return { orderNumber, email: body.customer.email };
}

const open = (body: unknown, key = clerk) => system.api<Ticket & ApiError>('POST', '/api/repairs', body, key);
const step = (ticketNumber: string, body: unknown) =>
  system.api<Ticket & ApiError>('POST', `/api/repairs/${ticketNumber}/steps`, body, clerk);

/** The subjects of the ticket's emails to `address`, once `count` have come. */
const repairSubjects = (address: string, ticketNumber: string, count: number) =>
  eventually(`${count} emails about ${ticketNumber}`, async () => {
    const subjects = (await emailsTo(system.mailUrl, address))
      .filter((m) => m.subject.includes(ticketNumber))
      .map((m) => m.subject);
    return subjects.length >= count ? subjects : undefined;
  });

test('a phone in warranty: diagnosed free, sent to the vendor, replaced from the shelf, shipped back; emails, page and history follow', async () => {
  const sold = imei();
  const sku = await newPhone('WH-SH', [sold]);
  const { orderNumber, email } = await sellPhone(sku);
  const replacement = imei();
  await receiveUnits('ST-NJR', sku, [replacement]);
  const shelfBefore = await stockLevel(system, sku, 'ST-NJR');

  const unit = await system.api<{ warranty: { inWarranty: boolean }; order: { orderNumber: string } }>(
    'GET',
    `/api/repairs/units/${sold}`,
    undefined,
    clerk,
  );
  expect(unit.status).toBe(200);
  expect(unit.body).toMatchObject({ warranty: { inWarranty: true }, order: { orderNumber } });

  const opened = await open({ serial: sold, fault: 'The screen stays black', location: 'ST-NJR', language: 'en' });
  expect(opened.status).toBe(201);
  const ticket = opened.body;
  expect(ticket).toMatchObject({
    status: 'RECEIVED',
    serial: sold,
    sku,
    inWarranty: true,
    orderNumber,
    contactEmail: email,
    nextSteps: ['DIAGNOSED'],
  });
  expect(ticket.ticketNumber).toMatch(/^RP-\d{8}-\d{6}$/);
  // One open ticket per unit.
  expect((await open({ serial: sold, fault: 'again', location: 'ST-NJR' })).body.error.code).toBe('REPAIR_OPEN');

  const n = ticket.ticketNumber;
  const early = await step(n, { to: 'REPLACED', replacementSerial: replacement });
  expect(early.status).toBe(409);
  expect(early.body.error.code).toBe('WRONG_STATE');
  const charged = await step(n, { to: 'DIAGNOSED', diagnosis: 'Display driver failed', chargeMinor: 5_000 });
  expect(charged.status).toBe(422);
  expect(charged.body.error.message).toMatch(/in warranty/);

  expect((await step(n, { to: 'DIAGNOSED', diagnosis: 'Display driver failed' })).body.status).toBe('DIAGNOSED');
  expect((await step(n, { to: 'AT_VENDOR', note: 'RMA 7781' })).body.status).toBe('AT_VENDOR');
  const notOnShelf = await step(n, { to: 'REPLACED', replacementSerial: imei() });
  expect(notOnShelf.status).toBe(422);
  expect(notOnShelf.body.error.code).toBe('INVALID_CONTENT');
  const replaced = await step(n, { to: 'REPLACED', replacementSerial: replacement });
  expect(replaced.status).toBe(200);
  expect(replaced.body).toMatchObject({ status: 'REPLACED', replacementSerial: replacement });
  // The new unit left the counter's shelf through the ledger; the broken one is no longer the customer's.
  expect(await stockLevel(system, sku, 'ST-NJR')).toMatchObject({ onHand: shelfBefore.onHand - 1 });
  const [newUnit, oldUnit] = await Promise.all(
    [replacement, sold].map(async (s) => (await system.api<{ status: string }>('GET', `/api/serials/${s}`)).body),
  );
  expect(newUnit).toMatchObject({ status: 'SOLD', reference: n });
  expect(oldUnit).toMatchObject({ status: 'REPLACED', reference: n });

  const shipTo = {
    name: 'Li Lei',
    phone: '13800138000',
    line1: '88 Nanjing Road',
    city: 'Shanghai',
    postalCode: '200001',
    country: 'CN',
  };
  const shipped = await step(n, { to: 'SHIPPED_BACK', shipTo });
  expect(shipped.status).toBe(200);
  expect(shipped.body.trackingNumber).toBeTruthy();
  expect(shipped.body.closedAt).toBeTruthy();
  expect(shipped.body.events.map((e) => e.status)).toEqual([
    'RECEIVED',
    'DIAGNOSED',
    'AT_VENDOR',
    'REPLACED',
    'SHIPPED_BACK',
  ]);
  expect((await step(n, { to: 'COLLECTED' })).status).toBe(409);

  // One email per step, in the ticket's language, each linking the ticket's page.
  const subjects = await repairSubjects(email, n, 5);
  expect(subjects).toHaveLength(5);
  expect(subjects).toContain(`Repair ${n}: on its way back to you`);
  const last = (await emailsTo(system.mailUrl, email)).find((m) => m.subject.includes('on its way back'))!;
  expect(last.text).toContain(shipped.body.trackingNumber!);
  expect(last.text).toContain(`/track/${ticket.trackingToken}`);

  const page = await fetch(`${system.apiUrl}/track/${ticket.trackingToken}?lang=en`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain(n);
  expect(html).toContain('On its way back to you');
  expect(html).toContain(shipped.body.trackingNumber!);
  expect(html).not.toContain(sold); // only the last four digits

  const history = await system.api<{ repairs: { ticketNumber: string; status: string }[] }>(
    'GET',
    `/api/customers/${ticket.customerId}`,
  );
  expect(history.body.repairs).toContainEqual(expect.objectContaining({ ticketNumber: n, status: 'SHIPPED_BACK' }));
}, 120_000);

test('a phone out of warranty: the diagnosis quotes a price, no replacement, repaired in store and collected', async () => {
  const sold = imei();
  const sku = await newPhone('WH-SH', [sold]);
  const { email } = await sellPhone(sku);
  // Sold more than a year ago: the sale's date is the only thing the warranty reads.
  const saleAt = new Date(Date.now() - 400 * 86_400_000);
  await system.db.serialEvent.updateMany({ where: { serial: sold, kind: 'SALE' }, data: { at: saleAt } });

  const opened = await open({ serial: sold, fault: '电池不耐用', location: 'ST-NJR', language: 'zh-CN' });
  expect(opened.status).toBe(201);
  const n = opened.body.ticketNumber;
  expect(opened.body.inWarranty).toBe(false);
  expect(new Date(opened.body.warrantyEndsAt!).getTime()).toBe(saleAt.getTime() + 365 * 86_400_000);

  expect((await step(n, { to: 'DIAGNOSED', diagnosis: '电池老化', chargeMinor: 29_900 })).body).toMatchObject({
    status: 'DIAGNOSED',
    chargeMinor: 29_900,
  });
  const swap = await step(n, { to: 'REPLACED', replacementSerial: imei() });
  expect(swap.status).toBe(422);
  expect(swap.body.error.message).toMatch(/only a unit in warranty/);
  expect((await step(n, { to: 'IN_STORE_REPAIR' })).body.status).toBe('IN_STORE_REPAIR');
  expect((await step(n, { to: 'REPAIRED', note: 'battery swapped' })).body.status).toBe('REPAIRED');
  const collected = await step(n, { to: 'COLLECTED' });
  expect(collected.body).toMatchObject({ status: 'COLLECTED', nextSteps: [] });

  const subjects = await repairSubjects(email, n, 5);
  expect(subjects).toContain(`维修单 ${n}：检测结果`);
  const quote = (await emailsTo(system.mailUrl, email)).find((m) => m.subject === `维修单 ${n}：检测结果`)!;
  expect(quote.text).toContain('¥299.00');
  // The unit is the customer's again, its history telling the repair.
  const unit = await system.api<{ status: string; events: { kind: string }[] }>('GET', `/api/serials/${sold}`);
  expect(unit.body.status).toBe('SOLD');
  expect(unit.body.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['REPAIR_IN', 'REPAIR_OUT']));
}, 120_000);

test('a ticket not diagnosed within its SLA warns the manager once, shown on the console, until it moves on', async () => {
  const sold = imei();
  const sku = await newPhone('WH-SH', [sold]);
  await sellPhone(sku);
  const n = (await open({ serial: sold, fault: 'Does not charge', location: 'ST-NJR' })).body.ticketNumber;

  const warning = await eventually(
    `the delay warning on ${n}`,
    async () =>
      (await system.db.warning.findFirst({ where: { key: `repair-delay:${n}:DIAGNOSIS`, openKey: { not: null } } })) ??
      undefined,
  );
  expect(warning).toMatchObject({ kind: 'REPAIR_DELAY', stage: 'DIAGNOSIS' });
  await eventually('the manager told', async () =>
    (await emailsTo(system.mailUrl, system.managerEmail)).some((m) => m.subject === `Repair delayed: ${n}`)
      ? true
      : undefined,
  );

  // The console's Warnings screen lists it under repairs, linking the ticket.
  const { page } = await browsers.open();
  await signIn(page, system, clerk);
  await page.goto(`${system.apiUrl}/warnings`);
  const repairsLate = page.getByTestId('warnings-REPAIR_DELAY');
  await repairsLate.getByText('Repair delayed').waitFor();
  await repairsLate.getByText('Waiting to be diagnosed').first().waitFor();
  await repairsLate.getByRole('link', { name: n }).click();
  await page.getByRole('heading', { name: n }).waitFor();

  expect((await step(n, { to: 'DIAGNOSED', diagnosis: 'Charging port worn' })).status).toBe(200);
  await eventually('the warning cleared', async () => {
    const row = await system.db.warning.findUniqueOrThrow({ where: { id: warning.id } });
    return row.clearedAt ? true : undefined;
  });
  const told = (await emailsTo(system.mailUrl, system.managerEmail)).filter(
    (m) => m.subject === `Repair delayed: ${n}`,
  );
  expect(told).toHaveLength(1);
}, 90_000);

test('bad input is refused with the reason, and no ticket is written', async () => {
  const inStock = imei();
  await newPhone('ST-NJR', [inStock]);
  const before = await system.db.repairTicket.count();

  const answers = await Promise.all([
    open({ serial: '123', fault: 'x', location: 'ST-NJR' }),
    open({ serial: imei(), fault: 'x', location: 'ST-NJR' }),
    open({ serial: inStock, fault: 'x', location: 'ST-NJR' }),
    open({ serial: inStock, fault: 'x', location: 'NOWHERE' }),
    open({ serial: inStock, fault: '', location: 'ST-NJR' }),
    open({ serial: inStock, fault: 'x', location: 'ST-NJR', price: 1 }),
  ]);
  expect(answers.map((a) => [a.status, a.body.error.code])).toEqual([
    [422, 'VALIDATION_FAILED'],
    [404, 'SERIAL_NOT_FOUND'],
    [409, 'NOT_SOLD'],
    [422, 'UNKNOWN_LOCATION'],
    [422, 'VALIDATION_FAILED'],
    [422, 'VALIDATION_FAILED'],
  ]);
  expect(await system.db.repairTicket.count()).toBe(before);

  const missing = await step('RP-20260101-000001', { to: 'DIAGNOSED', diagnosis: 'x' });
  expect([missing.status, missing.body.error.code]).toEqual([404, 'REPAIR_NOT_FOUND']);
  // The warehouse hands no repairs: tickets carry the customer's contact.
  const warehouse = (await system.api<{ key: string }>('POST', '/api/admin/keys', { name: 'wh', role: 'warehouse' }))
    .body.key;
  expect((await system.api('GET', '/api/repairs', undefined, warehouse)).status).toBe(403);
}, 60_000);

/** Opens the Select labelled `label` and picks the option whose text matches. */
async function choose(page: Page, label: string, option: RegExp): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
}

test('at the console a clerk finds the phone by IMEI, sees its warranty, takes it in and records the diagnosis', async () => {
  const sold = imei();
  const sku = await newPhone('WH-SH', [sold]);
  const { orderNumber } = await sellPhone(sku);
  const { page, problems } = await browsers.open();
  await signIn(page, system, clerk);

  await page.getByRole('menuitem', { name: 'Repairs' }).click();
  await page.getByRole('heading', { name: 'Repairs' }).waitFor();
  await page.getByLabel('IMEI of the unit').fill(sold);
  await page.getByLabel('IMEI of the unit').press('Enter');
  await page.getByText(/^In warranty until \d{4}-\d{2}-\d{2}$/).waitFor();
  await page.getByRole('link', { name: orderNumber }).waitFor();

  // Taken in without a fault: the form says so and nothing is sent.
  await page.getByRole('button', { name: 'Take in for repair' }).last().click();
  await page.locator('.ant-form-item-explain-error').first().waitFor();
  expect(await system.db.repairTicket.count({ where: { serial: sold } })).toBe(0);

  await page.getByLabel('Fault, in the customer’s words').fill('Speaker crackles');
  await choose(page, 'Counter', /ST-NJR/);
  await page.getByRole('button', { name: 'Take in for repair' }).last().click();
  await page.waitForURL(/\/repairs\/RP-/);
  const ticketNumber = decodeURIComponent(page.url().split('/repairs/')[1]);
  await page.getByRole('heading', { name: ticketNumber }).waitFor();

  // Straight to a replacement is not the next step: the step list offers only the diagnosis.
  await page.getByLabel('Diagnosis').fill('Speaker membrane torn');
  await page.getByRole('button', { name: 'Record' }).click();
  await page.locator('.ant-timeline').getByText('Diagnosed').waitFor();
  expect((await system.db.repairTicket.findUniqueOrThrow({ where: { ticketNumber } })).status).toBe('DIAGNOSED');

  // A replacement when the counter has none of the model: the API's reason, in words, and the ticket stays.
  await choose(page, 'Step', /^Replaced$/);
  await page.getByLabel('IMEI of the replacement from the shelf').fill(imei());
  await page.getByRole('button', { name: 'Record' }).click();
  await page.getByRole('alert').filter({ hasText: 'to give in its place' }).waitFor();
  expect((await system.db.repairTicket.findUniqueOrThrow({ where: { ticketNumber } })).status).toBe('DIAGNOSED');
  expect(problems).toEqual([]);
}, 120_000);

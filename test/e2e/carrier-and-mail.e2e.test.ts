/**
 * The carrier and mail trust boundaries on the running system (docs/security.md): tracking events only move a
 * parcel forward and within its booking and the clock, the carrier's test controls need their token, MailDev's web
 * API needs its password and answers no other origin, and no log of the run holds a customer's email or phone.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { signPayload } from '../../carriers/webhook-signature';
import { PUBLISHED_WEBHOOK_SECRETS } from '../../lib/config';
import {
  carrierWebhookSecret,
  emailsTo,
  eventually,
  fetchMail,
  startTestSystem,
  type TestSystem,
} from '../support/system';
import { getOrder, newProduct, orderBody, pickEverything, placeOrder, reachStatus } from '../support/orders';
import type { OrderBody } from '../support/orders';

let system: TestSystem;
let sku: string;
/** Every customer these tests made: no log may hold their email or phone. */
const customers: OrderBody['customer'][] = [];

beforeAll(async () => {
  system = await startTestSystem();
  ({ sku } = await newProduct(system, { stock: { 'WH-SH': 10 } }));
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

/** An order of one unit with a customer (email and phone) of its own. */
function customerOrder(): OrderBody {
  const digits = () => String(crypto.randomInt(1000, 10_000));
  const body = orderBody(sku, { lines: [{ sku, quantity: 1 }] });
  body.customer = { ...body.customer, phone: `+86 139 ${digits()} ${digits()}` };
  customers.push(body.customer);
  return body;
}

/** A tracking event signed with the carrier's secret, as the carrier (or anyone holding the secret) would post it. */
async function postEvent(event: { trackingNumber: string; status: string; occurredAt: string; eventId?: string }) {
  const body = JSON.stringify({ eventId: crypto.randomUUID(), ...event });
  const response = await fetch(`${system.apiUrl}/api/carriers/local/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-carrier-signature': signPayload(carrierWebhookSecret(system), body),
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as { duplicate?: boolean; ignored?: string } };
}

const shipmentOf = async (orderNumber: string) => (await getOrder(system, orderNumber)).shipments[0];
const trackingEntries = async (orderNumber: string) =>
  (await getOrder(system, orderNumber)).timeline.filter((entry) => entry.kind === 'tracking');

test('a parcel still on its way cannot be marked delivered with a date before its booking, nor in year 9999, nor moved back', async () => {
  const body = customerOrder();
  const orderNumber = await placeOrder(system, body);
  const stall = await fetch(`${system.carrierUrl}/v1/scenarios`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...system.carrierTestHeaders },
    body: JSON.stringify({ reference: orderNumber, outcome: 'STALL' }),
  });
  expect(stall.status).toBe(201);
  await reachStatus(system, orderNumber, 'PICKING');
  await pickEverything(system, orderNumber);
  const { trackingNumber, bookedAt } = await eventually('the parcel in transit', async () => {
    const shipment = await shipmentOf(orderNumber);
    return shipment?.status === 'IN_TRANSIT' ? shipment : undefined;
  });

  const beforeBooking = new Date(new Date(bookedAt).getTime() - 24 * 3600_000).toISOString();
  expect(await postEvent({ trackingNumber, status: 'DELIVERED', occurredAt: beforeBooking })).toEqual({
    status: 200,
    body: { received: true, duplicate: false, ignored: 'BEFORE_BOOKING' },
  });
  const farFuture = { trackingNumber, status: 'DELIVERED', occurredAt: '9999-12-31T23:59:59Z', eventId: 'far-1' };
  expect((await postEvent(farFuture)).body).toEqual({ received: true, duplicate: false, ignored: 'IN_FUTURE' });
  // A carrier's retry of it is answered the same way, and still applies nothing.
  expect((await postEvent(farFuture)).body).toEqual({ received: true, duplicate: true, ignored: 'IN_FUTURE' });
  const now = new Date().toISOString();
  expect((await postEvent({ trackingNumber, status: 'OUT_FOR_DELIVERY', occurredAt: now })).body).toEqual({
    received: true,
    duplicate: false,
  });
  expect((await postEvent({ trackingNumber, status: 'IN_TRANSIT', occurredAt: now })).body).toMatchObject({
    ignored: 'BACKWARDS',
  });

  // Time for the workflow to act, had anything reached it: the order stays shipped, the parcel out for delivery.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const order = await getOrder(system, orderNumber);
  expect(order.status).toBe('SHIPPED');
  expect(order.shipments[0]).toMatchObject({ status: 'OUT_FOR_DELIVERY', deliveredAt: null });
  const recorded = await system.db.trackingEvent.findMany({
    where: { shipment: { trackingNumber } },
    orderBy: { id: 'asc' },
  });
  expect(recorded.map((e) => [e.status, e.ignoredReason])).toEqual([
    ['IN_TRANSIT', null],
    ['DELIVERED', 'BEFORE_BOOKING'],
    ['DELIVERED', 'IN_FUTURE'],
    ['OUT_FOR_DELIVERY', null],
    ['IN_TRANSIT', 'BACKWARDS'],
  ]);
  expect((await trackingEntries(orderNumber)).map((e) => e.status)).toEqual(['IN_TRANSIT', 'OUT_FOR_DELIVERY']);
}, 120_000);

test('an out-for-delivery scan after the delivery is recorded, and changes neither the parcel nor the order', async () => {
  const orderNumber = await placeOrder(system, customerOrder());
  await reachStatus(system, orderNumber, 'PICKING');
  await pickEverything(system, orderNumber);
  await reachStatus(system, orderNumber, ['DELIVERED', 'AFTER_SALES', 'COMPLETED'], 60_000);
  const before = await shipmentOf(orderNumber);
  const timelineBefore = await trackingEntries(orderNumber);

  const late = await postEvent({
    trackingNumber: before.trackingNumber,
    status: 'OUT_FOR_DELIVERY',
    occurredAt: new Date().toISOString(),
  });
  expect(late).toEqual({ status: 200, body: { received: true, duplicate: false, ignored: 'SHIPMENT_ENDED' } });
  const after = await shipmentOf(orderNumber);
  expect(after).toMatchObject({ status: 'DELIVERED', deliveredAt: before.deliveredAt });
  expect(await trackingEntries(orderNumber)).toEqual(timelineBefore);
  expect(await system.db.trackingEvent.count({ where: { shipment: { trackingNumber: before.trackingNumber } } })).toBe(
    before.events.length + 1,
  );
}, 120_000);

test("the carrier's test controls refuse whoever lacks the test token", async () => {
  const attempt = (headers: Record<string, string>) =>
    fetch(`${system.carrierUrl}/v1/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ bookings: 'error' }),
    });
  expect((await attempt({})).status).toBe(403);
  expect((await attempt({ 'x-carrier-test-token': 'guess' })).status).toBe(403);
  expect((await fetch(`${system.carrierUrl}/v1/shipments?reference=x`)).status).toBe(403);
});

test('the webhook secret and the MailDev password are this installation’s own, kept 0600', () => {
  expect(PUBLISHED_WEBHOOK_SECRETS).not.toContain(carrierWebhookSecret(system));
  for (const name of ['carrier-webhook-secret', 'maildev-web-pass']) {
    const file = path.join(system.dataDir, name);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect(fs.readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(32);
  }
  expect(fs.readFileSync(path.join(system.dataDir, 'carrier-webhook-secret'), 'utf8').trim()).toBe(
    carrierWebhookSecret(system),
  );
});

test("MailDev's web API needs its password and answers no other origin", async () => {
  expect((await fetch(`${system.mailUrl}/api/email`)).status).toBe(401);
  const evil = 'http://evil.example';
  for (const method of ['GET', 'DELETE']) {
    const response = await fetchMail(system.mailUrl, '/api/email/all', { method, headers: { origin: evil } });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  }
  const preflight = await fetch(`${system.mailUrl}/api/email`, {
    method: 'OPTIONS',
    headers: { origin: evil, 'access-control-request-method': 'DELETE' },
  });
  expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  // Its own web UI still works.
  const own = `http://127.0.0.1:${new URL(system.mailUrl).port}`;
  expect((await fetchMail(system.mailUrl, '/api/email', { headers: { origin: own } })).status).toBe(200);
});

test('no log of the run holds a customer email or phone', async () => {
  expect(customers.length).toBeGreaterThan(0);
  // Every customer's received email, at least, has gone through MailDev (which logs each one it gets).
  for (const { email } of customers)
    await eventually(`mail to ${email}`, async () => (await emailsTo(system.mailUrl, email)).length > 0 || undefined);
  const logs = fs.readdirSync(system.logsDir).map((name) => ({
    name,
    text: fs.readFileSync(path.join(system.logsDir, name), 'utf8'),
  }));
  expect(logs.map((l) => l.name)).toEqual(
    expect.arrayContaining(['api.log', 'worker.log', 'carrier.log', 'maildev.log']),
  );
  // MailDev logs each mail it gets, its addresses masked (l***@example.com): so this log is read, and it is clean.
  expect(logs.find((l) => l.name === 'maildev.log')!.text).toMatch(/Received: .* -> l\*\*\*@example\.com/);
  const leaks = logs.flatMap(({ name, text }) =>
    customers.flatMap(({ email, phone }) =>
      [email, phone, phone.replace(/\D/g, ''), phone.replace(/^\+86 /, '')]
        .filter((personal) => text.includes(personal))
        .map((personal) => `${name}: ${personal}`),
    ),
  );
  expect(leaks).toEqual([]);
}, 60_000);

/**
 * Bad input, table-driven over every write route: each case gets its 4xx in the error shape of
 * docs/api.md, and nothing is written — every application table is byte-for-byte the same afterwards,
 * no workflow is started, and the histories of the order and transfer the cases aim at are unchanged.
 */
import crypto from 'node:crypto';
import { signPayload } from '../../carriers/webhook-signature';
import { orderWorkflowId } from '../../domain/order-number';
import { transferWorkflowId } from '../../workflows/transfer-definitions';
import { emailsTo, eventually, startTestSystem, type TestSystem } from '../support/system';
import { newProduct, orderBody, pickEverything, unique, type NewProduct } from '../support/orders';
import type { ApiError, ApiResponse, OrderView, StoredOrder, TransferView } from '../support/api';

const WAREHOUSE = 'WH-SH';
const STORE = 'ST-NJR';
/** This run's carrier webhook secret (a published default would be refused: lib/config.ts). */
const WEBHOOK_SECRET = crypto.randomBytes(24).toString('hex');
/** Tables that record the request itself, not what it asked for: key use and refused attempts. */
const REQUEST_BOOKKEEPING = new Set(['_prisma_migrations', 'ApiKey', 'SecurityEvent']);

let system: TestSystem;
let product: NewProduct;
/** An order waiting in PICKING, a COMPLETED one (its return window closed), a requested transfer, a real carrier event. */
let picking: string;
let delivered: string;
let transfer: string;
let sentEvent: { eventId: string; trackingNumber: string; status: string; occurredAt: string };

interface Case {
  name: string;
  method?: string;
  path: string | (() => string);
  /** A JSON value (sent as JSON), or raw text with `contentType`. */
  body?: unknown;
  raw?: string;
  contentType?: string;
  headers?: () => Record<string, string>;
  status: number;
  code: string;
}

/** The answer to a bad request: the error shape, or (a duplicate webhook event) `{ duplicate: true }`, or text. */
type CaseAnswer = Partial<ApiError & { duplicate: boolean }> | string | null;

async function send(c: Case): Promise<ApiResponse<CaseAnswer>> {
  const headers: Record<string, string> = { authorization: `Bearer ${system.adminKey}`, ...c.headers?.() };
  let body: string | undefined;
  if (c.raw !== undefined) {
    body = c.raw;
    headers['content-type'] = c.contentType ?? 'application/json';
  } else if (c.body !== undefined) {
    body = JSON.stringify(c.body);
    headers['content-type'] = 'application/json';
  }
  const path = typeof c.path === 'function' ? c.path() : c.path;
  const response = await fetch(`${system.apiUrl}${path}`, { method: c.method ?? 'POST', headers, body });
  const text = await response.text();
  let parsed: CaseAnswer;
  try {
    parsed = JSON.parse(text) as CaseAnswer;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed };
}

/** Every application table's rows, hashed: equal fingerprints mean nothing was written. */
async function fingerprint(): Promise<Record<string, string>> {
  const tables = await system.db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
  );
  const result: Record<string, string> = {};
  for (const { name } of tables) {
    if (REQUEST_BOOKKEEPING.has(name)) continue;
    const rows = await system.db.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${name}" ORDER BY rowid`);
    const json = JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    result[name] = crypto.createHash('sha256').update(json).digest('hex').slice(0, 16);
  }
  return result;
}

async function workflowState() {
  const length = async (workflowId: string) =>
    (await system.temporal.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;
  return {
    workflows: (await system.temporal.workflow.count()).count,
    pickingHistory: await length(orderWorkflowId(picking)),
    deliveredHistory: await length(orderWorkflowId(delivered)),
    transferHistory: await length(transferWorkflowId(transfer)),
  };
}

const ok = <Body>(response: ApiResponse<Body>, status: number, what: string) => {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};

beforeAll(async () => {
  system = await startTestSystem({ env: { CARRIER_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  product = await newProduct(system, { stock: { [WAREHOUSE]: 20, [STORE]: 5 } });

  picking = ok(await system.api<StoredOrder>('POST', '/api/orders', orderBody(product.sku)), 201, 'order').orderNumber;
  delivered = ok(
    await system.api<StoredOrder>(
      'POST',
      '/api/orders',
      orderBody(product.sku, { lines: [{ sku: product.sku, quantity: 1 }] }),
    ),
    201,
    'order',
  ).orderNumber;
  transfer = ok(
    await system.api<TransferView>('POST', '/api/transfers', {
      from: WAREHOUSE,
      to: STORE,
      lines: [{ sku: product.sku, quantity: 1 }],
    }),
    201,
    'transfer',
  ).transferNumber;

  const statusOf = async (n: string) => (await system.api<OrderView>('GET', `/api/orders/${n}`)).body.status;
  for (const n of [picking, delivered]) {
    await eventually(`${n} in PICKING`, async () => ((await statusOf(n)) === 'PICKING' ? true : undefined), 60_000);
  }
  await pickEverything(system, delivered);
  // Delivered and past its after-sales window (3 s in tests): COMPLETED, so nothing more happens to it.
  await eventually(
    `${delivered} COMPLETED`,
    async () => ((await statusOf(delivered)) === 'COMPLETED' ? true : undefined),
    90_000,
  );
  const event = await system.db.trackingEvent.findFirstOrThrow({
    where: { shipment: { order: { orderNumber: delivered } }, status: 'DELIVERED' },
    include: { shipment: true },
  });
  sentEvent = {
    eventId: event.eventId,
    trackingNumber: event.shipment.trackingNumber,
    status: event.status,
    occurredAt: event.occurredAt.toISOString(),
  };
  // Quiet: no process is still writing (emails recorded, timers settled).
  let last = '';
  await eventually(
    'the database to go quiet',
    async () => {
      const now = JSON.stringify(await fingerprint());
      const quiet = now === last;
      last = now;
      return quiet ? true : undefined;
    },
    60_000,
    3_000,
  );
}, 300_000);

afterAll(async () => {
  await system?.stop();
}, 60_000);

// ---- the table ---------------------------------------------------------------------------------------------------

const OVERSIZED = JSON.stringify({ note: 'x'.repeat(200_000) });
const LONG = 'x'.repeat(10_001);
const HTML = '<img src=x onerror=alert(1)>';
const SQL = `'); DROP TABLE "Order"; --`;

/** What any JSON write route must refuse, whatever it does. */
function genericCases(method: string, path: () => string): Case[] {
  const route = `${method} ${path().replace(/SO-\d{8}-\d+|TR-[\w-]+/g, ':id')}`;
  return [
    { name: `${route}: malformed JSON`, method, path, raw: '{"lines": [', status: 400, code: 'INVALID_JSON' },
    {
      name: `${route}: wrong content type`,
      method,
      path,
      raw: 'lines=1',
      contentType: 'application/x-www-form-urlencoded',
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    { name: `${route}: oversized body`, method, path, raw: OVERSIZED, status: 413, code: 'PAYLOAD_TOO_LARGE' },
    { name: `${route}: a JSON array`, method, path, body: [], status: 422, code: 'VALIDATION_FAILED' },
    { name: `${route}: a JSON string`, method, path, raw: '"hello"', status: 400, code: 'INVALID_JSON' },
    {
      name: `${route}: an unknown field`,
      method,
      path,
      body: { surprise: true },
      status: 422,
      code: 'VALIDATION_FAILED',
    },
  ];
}

const order = (overrides: Record<string, unknown>) => orderBody(product.sku, overrides);
const withLine = (line: Record<string, unknown>) => order({ lines: [{ sku: product.sku, quantity: 1, ...line }] });
const customer = (fields: Record<string, unknown>) =>
  order({ customer: { name: 'Li Lei', email: `li.${unique()}@example.com`, phone: '+86 138 0013 8000', ...fields } });
const invalid = (name: string, path: () => string, body: unknown, method = 'POST'): Case => ({
  name,
  method,
  path,
  body,
  status: 422,
  code: 'VALIDATION_FAILED',
});

const orders = () => '/api/orders';
const orderAction = (action: string, orderNumber?: string) => () => `/api/orders/${orderNumber ?? picking}/${action}`;
const transferAction = (action: string) => () => `/api/transfers/${transfer}/${action}`;
const signed =
  (body: string, secret = WEBHOOK_SECRET, at?: number) =>
  () => ({
    'x-carrier-signature': signPayload(secret, body, at),
  });

function cases(): Case[] {
  const webhook = JSON.stringify({ ...sentEvent, eventId: `replay-${sentEvent.eventId}` });
  const replayed = JSON.stringify(sentEvent);
  const list: Case[] = [
    // ---- intake ----
    ...genericCases('POST', orders),
    invalid('intake: no lines', orders, order({ lines: [] })),
    invalid('intake: quantity 0', orders, withLine({ quantity: 0 })),
    invalid('intake: negative quantity', orders, withLine({ quantity: -3 })),
    invalid('intake: fractional quantity', orders, withLine({ quantity: 1.5 })),
    invalid('intake: huge quantity', orders, withLine({ quantity: 1e12 })),
    invalid('intake: quantity as a string', orders, withLine({ quantity: '2' })),
    invalid('intake: quantity NaN-like', orders, withLine({ quantity: null })),
    invalid('intake: missing customer', orders, order({ customer: undefined })),
    invalid('intake: customer name missing', orders, customer({ name: undefined })),
    invalid('intake: blank customer name', orders, customer({ name: '   ' })),
    invalid('intake: overlong customer name', orders, customer({ name: LONG })),
    invalid('intake: NUL in the name', orders, customer({ name: 'Li\u0000Lei' })),
    invalid('intake: lone surrogate in the name', orders, customer({ name: 'Li \ud83c' })),
    invalid('intake: line break in the name', orders, customer({ name: 'Li\r\nBcc: x@example.com' })),
    invalid('intake: email not an email', orders, customer({ email: 'not-an-email' })),
    invalid('intake: HTML as the email', orders, customer({ email: HTML })),
    invalid('intake: unknown channel', orders, order({ channel: 'fax' })),
    invalid('intake: unknown payment status', orders, order({ payment: { status: 'MAYBE' } })),
    invalid(
      'intake: a payment reference on an unpaid order',
      orders,
      order({ payment: { status: 'PENDING', reference: 'LPC-0001' } }),
    ),
    invalid(
      'intake: a payment reference with a line break',
      orders,
      order({ payment: { status: 'PAID', reference: 'LPC-1\nX' } }),
    ),
    invalid(
      'intake: country not ISO',
      orders,
      order({ shippingAddress: { line1: '1 Road', city: 'X', postalCode: '1', country: 'China' } }),
    ),
    invalid('intake: no address and no pickup store', orders, order({ shippingAddress: undefined })),
    invalid('intake: externalId overlong', orders, order({ externalId: LONG })),
    invalid('intake: urgent as a string', orders, order({ urgent: 'yes' })),
    invalid('intake: unknown language', orders, order({ language: 'xx' })),
    invalid(
      'intake: 101 lines',
      orders,
      order({ lines: Array.from({ length: 101 }, () => ({ sku: product.sku, quantity: 1 })) }),
    ),
    {
      name: 'intake: unknown SKU',
      path: orders,
      status: 422,
      code: 'UNKNOWN_SKU',
      body: withLine({ sku: 'NO-SUCH-SKU' }),
    },
    { name: 'intake: SQL in the SKU', path: orders, status: 422, code: 'UNKNOWN_SKU', body: withLine({ sku: SQL }) },
    {
      name: 'intake: unknown pickup store',
      path: orders,
      status: 422,
      code: 'UNKNOWN_STORE',
      body: order({ pickupStore: 'NOWHERE', shippingAddress: undefined }),
    },

    // ---- staff actions on an order (Updates): schema first, then the workflow's own validators ----
    ...genericCases('POST', orderAction('cancel')),
    invalid('cancel: no reason', orderAction('cancel'), {}),
    invalid('cancel: customerRequest not a boolean', orderAction('cancel'), { reason: 'x', customerRequest: 'yes' }),
    invalid('reject: overlong reason', orderAction('reject'), { reason: LONG }),
    invalid('approve: note not text', orderAction('approve'), { note: 42 }),
    {
      name: 'approve: an order not in review',
      path: orderAction('approve'),
      body: {},
      status: 409,
      code: 'WRONG_STATE',
    },
    {
      name: 'approve: no such order',
      path: orderAction('approve', 'SO-20990101-000001'),
      body: {},
      status: 404,
      code: 'ORDER_NOT_FOUND',
    },
    {
      name: 'approve: SQL as the order number',
      path: () => `/api/orders/${encodeURIComponent(SQL)}/approve`,
      body: {},
      status: 404,
      code: 'ORDER_NOT_FOUND',
    },
    ...genericCases('POST', orderAction('pick')),
    invalid('pick: no scans', orderAction('pick'), { scans: [] }),
    invalid('pick: shipment 0', orderAction('pick'), { shipment: 0, scans: [{ barcode: product.barcode }] }),
    invalid('pick: barcode as a number', orderAction('pick'), { scans: [{ barcode: 123 }] }),
    {
      name: 'pick: the wrong barcode',
      path: orderAction('pick'),
      body: { scans: [{ barcode: '0000000000000' }] },
      status: 422,
      code: 'INVALID_CONTENT',
    },
    {
      name: 'pick: one unit short',
      path: orderAction('pick'),
      status: 422,
      code: 'INVALID_CONTENT',
      body: { scans: [{ barcode: product.barcode }] },
    },
    invalid('substitute: line 0', orderAction('substitute'), { lineNo: 0, sku: product.sku }),
    {
      name: 'substitute: an order not backordered',
      path: orderAction('substitute'),
      body: { lineNo: 1, sku: 'TEE-WHI-M' },
      status: 409,
      code: 'WRONG_STATE',
    },
    {
      name: 'ship-available: an order not backordered',
      path: orderAction('ship-available'),
      body: {},
      status: 409,
      code: 'WRONG_STATE',
    },
    { name: 'collect: nothing to collect', path: orderAction('collect'), body: {}, status: 409, code: 'WRONG_STATE' },
    invalid('resolve: unknown action', () => `/api/orders/${picking}/shipments/1/resolve`, { action: 'BURN' }),
    invalid('return: quantity 0', orderAction('returns', delivered), {
      kind: 'RETURN',
      reason: 'DAMAGED',
      lines: [{ lineNo: 1, quantity: 0 }],
    }),
    invalid('return: unknown reason', orderAction('returns', delivered), {
      kind: 'RETURN',
      reason: 'BORED',
      lines: [{ lineNo: 1, quantity: 1 }],
    }),
    {
      name: 'return: after the window closed',
      path: orderAction('returns', delivered),
      body: { kind: 'RETURN', reason: 'DAMAGED', lines: [{ lineNo: 1, quantity: 1 }] },
      status: 409,
      code: 'WRONG_STATE',
    },

    // ---- returns ----
    {
      name: 'return approve: no such return',
      path: () => '/api/returns/SO-20990101-000001-R1/approve',
      body: {},
      status: 404,
      code: 'RETURN_NOT_FOUND',
    },
    ...genericCases('POST', () => '/api/returns/SO-20990101-000001-R1/receive'),
    invalid('return receive: unknown condition', () => '/api/returns/SO-20990101-000001-R1/receive', {
      lines: [{ lineNo: 1, condition: 'SHINY' }],
    }),
    {
      name: 'return refund: no such return',
      path: () => '/api/returns/SO-20990101-000001-R1/refund',
      body: {},
      status: 404,
      code: 'RETURN_NOT_FOUND',
    },
    invalid('return reject: blank reason', () => '/api/returns/SO-20990101-000001-R1/reject', { reason: ' ' }),

    // ---- stock ----
    ...genericCases('POST', () => '/api/inventory/receipts'),
    invalid('receipt: quantity 0', () => '/api/inventory/receipts', {
      location: WAREHOUSE,
      reference: `DN-${unique()}`,
      lines: [{ sku: product.sku, quantity: 0 }],
    }),
    invalid('receipt: fractional quantity', () => '/api/inventory/receipts', {
      location: WAREHOUSE,
      reference: `DN-${unique()}`,
      lines: [{ sku: product.sku, quantity: 2.5 }],
    }),
    invalid('receipt: NUL in the reference', () => '/api/inventory/receipts', {
      location: WAREHOUSE,
      reference: 'DN-\u0000',
      lines: [{ sku: product.sku, quantity: 1 }],
    }),
    {
      name: 'receipt: unknown location',
      path: () => '/api/inventory/receipts',
      status: 422,
      code: 'UNKNOWN_LOCATION',
      body: { location: HTML, reference: `DN-${unique()}`, lines: [{ sku: product.sku, quantity: 1 }] },
    },
    {
      name: 'receipt: unknown SKU',
      path: () => '/api/inventory/receipts',
      status: 422,
      code: 'UNKNOWN_SKU',
      body: { location: WAREHOUSE, reference: `DN-${unique()}`, lines: [{ sku: SQL, quantity: 1 }] },
    },
    invalid('write-off: no reason', () => '/api/inventory/write-offs', {
      location: WAREHOUSE,
      reference: `WO-${unique()}`,
      lines: [{ sku: product.sku, quantity: 1 }],
    }),
    {
      name: 'write-off: more than on hand',
      path: () => '/api/inventory/write-offs',
      status: 409,
      code: 'INSUFFICIENT_STOCK',
      body: {
        location: WAREHOUSE,
        reference: `WO-${unique()}`,
        reason: 'damaged',
        lines: [{ sku: product.sku, quantity: 1000 }],
      },
    },
    invalid('count: negative count', () => '/api/inventory/counts', {
      location: WAREHOUSE,
      reference: `CNT-${unique()}`,
      lines: [{ sku: product.sku, counted: -1 }],
    }),
    {
      name: 'count: below what is reserved',
      path: () => '/api/inventory/counts',
      status: 409,
      code: 'COUNT_BELOW_RESERVED',
      body: { location: WAREHOUSE, reference: `CNT-${unique()}`, lines: [{ sku: product.sku, counted: 0 }] },
    },
    invalid(
      'safety stock: negative',
      () => `/api/inventory/levels/${product.sku}/${WAREHOUSE}`,
      { safetyStock: -1 },
      'PUT',
    ),
    invalid(
      'safety stock: huge',
      () => `/api/inventory/levels/${product.sku}/${WAREHOUSE}`,
      { safetyStock: 1e15 },
      'PUT',
    ),

    // ---- transfers ----
    ...genericCases('POST', () => '/api/transfers'),
    invalid('transfer: quantity 0', () => '/api/transfers', {
      from: WAREHOUSE,
      to: STORE,
      lines: [{ sku: product.sku, quantity: 0 }],
    }),
    {
      name: 'transfer: same location twice',
      path: () => '/api/transfers',
      status: 422,
      code: 'SAME_LOCATION',
      body: { from: WAREHOUSE, to: WAREHOUSE, lines: [{ sku: product.sku, quantity: 1 }] },
    },
    {
      name: 'transfer: more than available',
      path: () => '/api/transfers',
      status: 409,
      code: 'INSUFFICIENT_STOCK',
      body: { from: STORE, to: WAREHOUSE, lines: [{ sku: product.sku, quantity: 999 }] },
    },
    invalid('transfer ship: a body where none belongs', transferAction('ship'), { actor: 'someone else' }),
    invalid('transfer cancel: a body where none belongs', transferAction('cancel'), { reason: 'no' }),
    invalid('transfer receive: negative received', transferAction('receive'), {
      lines: [{ sku: product.sku, received: -1 }],
    }),
    {
      name: 'transfer receive: before it was shipped',
      path: transferAction('receive'),
      status: 409,
      code: 'WRONG_STATE',
      body: { lines: [{ sku: product.sku, received: 1 }] },
    },

    // ---- catalogue and customers ----
    ...genericCases('POST', () => '/api/products'),
    invalid('product: price negative', () => '/api/products', {
      code: `P${unique()}`,
      name: 'Hat',
      category: 'clothing',
      variants: [{ sku: `P${unique()}-M`, barcode: '2000000000001', priceMinor: -1, attributes: {} }],
    }),
    invalid('product: price fractional', () => '/api/products', {
      code: `P${unique()}`,
      name: 'Hat',
      category: 'clothing',
      variants: [{ sku: `P${unique()}-M`, barcode: '2000000000001', priceMinor: 9.99, attributes: {} }],
    }),
    invalid('product: code with HTML', () => '/api/products', {
      code: HTML,
      name: 'Hat',
      category: 'clothing',
      variants: [{ sku: `P${unique()}-M`, barcode: '2000000000001', priceMinor: 100, attributes: {} }],
    }),
    invalid('product: barcode with letters', () => '/api/products', {
      code: `P${unique()}`,
      name: 'Hat',
      category: 'clothing',
      variants: [{ sku: `P${unique()}-M`, barcode: 'ABC', priceMinor: 100, attributes: {} }],
    }),
    {
      name: 'product: code already taken',
      path: () => '/api/products',
      status: 409,
      code: 'ALREADY_EXISTS',
      body: {
        code: product.code,
        name: 'Again',
        category: 'clothing',
        variants: [{ sku: `P${unique()}-M`, barcode: '2999999999990', priceMinor: 100, attributes: {} }],
      },
    },
    invalid('location: unknown kind', () => '/api/locations', { code: `L${unique()}`, name: 'Depot', kind: 'MOON' }),
    invalid('location: priority fractional', () => '/api/locations', {
      code: `L${unique()}`,
      name: 'Depot',
      kind: 'STORE',
      priority: 1.5,
    }),
    invalid('block list: neither email nor phone', () => '/api/customers/blocked', { reason: 'fraud' }),
    invalid('block list: both email and phone', () => '/api/customers/blocked', {
      email: 'a@example.com',
      phone: '+86 138 0000 0000',
      reason: 'fraud',
    }),
    {
      name: 'block list: remove an unknown entry',
      method: 'DELETE',
      path: () => '/api/customers/blocked/999999',
      status: 404,
      code: 'NOT_FOUND',
    },

    // ---- CSV imports ----
    {
      name: 'product import: JSON instead of CSV',
      path: () => '/api/products/import',
      body: { rows: [] },
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    {
      name: 'stock import: a bad row changes nothing',
      path: () => '/api/inventory/import',
      raw: `sku,location,on_hand,safety_stock\n${product.sku},${WAREHOUSE},-5,0\n`,
      contentType: 'text/csv',
      status: 422,
      code: 'CSV_ROWS_INVALID',
    },
    {
      name: 'stock import: a control character in a cell',
      path: () => '/api/inventory/import',
      raw: `sku,location,on_hand,safety_stock\n${product.sku}\u0007,${WAREHOUSE},5,0\n`,
      contentType: 'text/csv',
      status: 422,
      code: 'CSV_ROWS_INVALID',
    },

    // ---- carrier webhooks ----
    {
      name: 'webhook: not signed',
      path: () => '/api/carriers/local/events',
      raw: webhook,
      status: 401,
      code: 'BAD_SIGNATURE',
    },
    {
      name: 'webhook: signed with the wrong secret',
      path: () => '/api/carriers/local/events',
      raw: webhook,
      headers: signed(webhook, 'not-the-secret'),
      status: 401,
      code: 'BAD_SIGNATURE',
    },
    {
      name: 'webhook: signed an hour ago',
      path: () => '/api/carriers/local/events',
      raw: webhook,
      headers: signed(webhook, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 3600),
      status: 401,
      code: 'BAD_SIGNATURE',
    },
    {
      name: 'webhook: body changed after signing',
      path: () => '/api/carriers/local/events',
      raw: webhook.replace('DELIVERED', 'EXCEPTION'),
      headers: signed(webhook),
      status: 401,
      code: 'BAD_SIGNATURE',
    },
    {
      name: 'webhook: unknown carrier',
      path: () => '/api/carriers/pigeon/events',
      raw: webhook,
      headers: signed(webhook),
      status: 404,
      code: 'UNKNOWN_CARRIER',
    },
    {
      name: 'webhook: unknown status',
      path: () => '/api/carriers/local/events',
      raw: JSON.stringify({ ...sentEvent, status: 'TELEPORTED' }),
      headers: signed(JSON.stringify({ ...sentEvent, status: 'TELEPORTED' })),
      status: 422,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'webhook: unknown tracking number',
      path: () => '/api/carriers/local/events',
      raw: JSON.stringify({ ...sentEvent, trackingNumber: SQL }),
      headers: signed(JSON.stringify({ ...sentEvent, trackingNumber: SQL })),
      status: 404,
      code: 'UNKNOWN_SHIPMENT',
    },
    // A replayed delivery (the very event the carrier sent) is accepted as a duplicate: 200, and nothing changes.
    {
      name: 'webhook: the same event replayed',
      path: () => '/api/carriers/local/events',
      raw: replayed,
      headers: signed(replayed),
      status: 200,
      code: '',
    },

    // ---- API keys and the codec ----
    ...genericCases('POST', () => '/api/admin/keys'),
    invalid('key: unknown role', () => '/api/admin/keys', { name: 'Till 3', role: 'owner' }),
    invalid('key: NUL in the name', () => '/api/admin/keys', { name: 'Till\u00003', role: 'clerk' }),
    invalid('key: overlong name', () => '/api/admin/keys', { name: LONG, role: 'clerk' }),
    {
      name: 'key: revoke one that does not exist',
      method: 'DELETE',
      path: () => '/api/admin/keys/999999',
      status: 404,
      code: 'KEY_NOT_FOUND',
    },
    {
      name: 'key: revoke by a name instead of an id',
      method: 'DELETE',
      path: () => `/api/admin/keys/${encodeURIComponent(SQL)}`,
      status: 400,
      code: 'INVALID_ID',
    },
    ...['1e400', '1.5', '-1', '99999999999999999999'].map((id): Case => ({
      name: `key: revoke id ${id}`,
      method: 'DELETE',
      path: () => `/api/admin/keys/${id}`,
      status: 400,
      code: 'INVALID_ID',
    })),
    {
      name: 'resolve: shipment 1e400',
      path: () => `/api/orders/${picking}/shipments/1e400/resolve`,
      body: { action: 'RESHIP' },
      status: 400,
      code: 'INVALID_ID',
    },
    {
      name: 'approve: a malformed path',
      path: () => '/api/orders/%ff/approve',
      body: {},
      status: 400,
      code: 'BAD_PATH',
    },
    invalid('codec: payloads not a list', () => '/api/codec/decode', { payloads: 'all of them' }),
    {
      name: 'codec: a payload that does not decrypt',
      path: () => '/api/codec/decode',
      body: {
        payloads: [
          {
            metadata: {
              encoding: Buffer.from('binary/encrypted').toString('base64'),
              'encryption-key-id': Buffer.from('local-1').toString('base64'),
            },
            data: Buffer.from('not a ciphertext at all, just text').toString('base64'),
          },
        ],
      },
      status: 422,
      code: 'INVALID_CONTENT',
    },

    // ---- no key ----
    {
      name: 'intake without a key',
      path: orders,
      body: {},
      headers: () => ({ authorization: '' }),
      status: 401,
      code: 'UNAUTHENTICATED',
    },
  ];
  return list;
}

test('every bad request gets its 4xx in the error shape and writes nothing', async () => {
  let before = await fingerprint();
  const temporalBefore = await workflowState();
  const failures: string[] = [];
  const all = cases();
  for (const c of all) {
    const response = await send(c);
    const answer = typeof response.body === 'string' ? undefined : response.body;
    const shapeOk =
      c.status === 200
        ? answer?.duplicate === true
        : answer?.error?.code === c.code && typeof answer.error.message === 'string';
    if (response.status !== c.status || !shapeOk) {
      failures.push(
        `${c.name}: expected ${c.status} ${c.code}, got ${response.status} ${JSON.stringify(response.body)}`,
      );
    }
    const after = await fingerprint();
    const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
    if (changed.length > 0) failures.push(`${c.name}: wrote to ${changed.join(', ')}`);
    before = after; // one case's write is reported once, not blamed on every case after it
  }
  expect(failures).toEqual([]);
  expect(await workflowState()).toEqual(temporalBefore);
  expect(all.length).toBeGreaterThan(100);
}, 300_000);

test('customer text with HTML and SQL is stored as written and escaped in the email', async () => {
  const name = `${HTML} ${SQL}`;
  const body = orderBody(product.sku, {
    customer: { name, email: `html.${unique()}@example.com`, phone: '+86 138 0013 8000' },
    lines: [{ sku: product.sku, quantity: 1 }],
  });
  const created = ok(await system.api<StoredOrder>('POST', '/api/orders', body), 201, 'order');
  const stored = await system.db.order.findUniqueOrThrow({ where: { orderNumber: created.orderNumber } });
  expect(stored.customerName).toBe(name);
  const [email] = await eventually('the received email', async () => {
    const mails = await emailsTo(system.mailUrl, body.customer.email);
    return mails.length > 0 ? mails : undefined;
  });
  expect(email.html).toMatch(/(&lt;|&#60;)img src=x onerror=alert\(1\)(&gt;|&#62;)/);
  expect(email.html).not.toContain('<img');
  // The SQL went nowhere near a query: the orders table is still there and holds the order.
  expect(await system.db.order.count({ where: { orderNumber: created.orderNumber } })).toBe(1);
}, 60_000);

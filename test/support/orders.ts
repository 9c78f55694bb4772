/**
 * Helpers for end-to-end tests that drive orders through the API the way staff do:
 * fresh products and stock per test, order bodies, and picking by scanning the pick list.
 */
import crypto from 'node:crypto';
import type { PickListShipment } from '../../orders/pick-list';
import type { Scan } from '../../workflows/definitions';
import type { ApiResponse, OrderView, PickListAnswer, StockLevelList, StoredOrder } from './api';
import { capturePayment } from './payments';
import { eventually, type TestSystem } from './system';

export type { PickListShipment } from '../../orders/pick-list';

export const unique = () => crypto.randomBytes(4).toString('hex');

/**
 * A POST /api/orders body (domain/order-input.ts), with the fields the tests read typed. Overrides may add, change or
 * (on purpose) spoil any field; those tests read nothing back from the body that they did not put in themselves.
 */
export type OrderBody = Record<string, unknown> & {
  channel: string;
  externalId: string;
  customer: { name: string; email: string; phone: string };
};

/**
 * A mainland mobile number no other order of the run shares: a test's orders are not one customer's unless it says
 * so, so no test's customer climbs into a member tier (and its discount) on other tests' orders.
 */
export const newMobile = () =>
  `+86 139 ${String(crypto.randomInt(0, 1e8))
    .padStart(8, '0')
    .replace(/(\d{4})(\d{4})/, '$1 $2')}`;

/**
 * A web order for `sku` (2 units, shipped to Shanghai) with a customer of its own (email and mobile), paid: it names a payment the
 * customer made (test/support/payments.ts), which the payment stand-in confirms at review.
 */
export function orderBody(sku: string, overrides: Record<string, unknown> = {}): OrderBody {
  const id = unique();
  return {
    channel: 'web',
    externalId: `WEB-${id}`,
    customer: { name: 'Li Lei', email: `li.lei.${id}@example.com`, phone: newMobile() },
    shippingAddress: { line1: '88 Nanjing Road', city: 'Shanghai', postalCode: '200001', country: 'CN' },
    lines: [{ sku, quantity: 2 }],
    payment: { status: 'PAID', reference: capturePayment().reference },
    ...overrides,
  };
}

export type PickListLine = PickListShipment['lines'][number];

export async function pickList(system: TestSystem, orderNumber: string): Promise<PickListShipment[]> {
  const response = await system.api<PickListAnswer>('GET', `/api/orders/${orderNumber}/pick-list`);
  if (response.status !== 200) {
    throw new Error(`GET /api/orders/${orderNumber}/pick-list: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body.shipments;
}

/** One scan per unit: each line's barcode `quantity` times, with the suggested serials for serialised lines. */
export function scansFor(shipment: PickListShipment): Scan[] {
  return shipment.lines.flatMap((line) =>
    Array.from({ length: line.quantity }, (_, i) =>
      line.serialised ? { barcode: line.barcode, serial: line.suggestedSerials[i] } : { barcode: line.barcode },
    ),
  );
}

/** The body that picks one shipment (by default the first one waiting to be picked) exactly as listed. */
export async function pickBody(
  system: TestSystem,
  orderNumber: string,
  seq?: number,
): Promise<{ shipment: number; scans: Scan[] }> {
  const shipments = await pickList(system, orderNumber);
  const shipment =
    seq === undefined ? shipments.find((s) => s.phase === 'PICKING') : shipments.find((s) => s.seq === seq);
  if (!shipment) {
    throw new Error(
      `${orderNumber} has no ${seq === undefined ? 'shipment waiting to be picked' : `shipment ${seq}`}: ${JSON.stringify(shipments)}`,
    );
  }
  return { shipment: shipment.seq, scans: scansFor(shipment) };
}

/**
 * Picks every shipment of the order that is in the PICKING phase by scanning what the pick list says.
 * Fails (with the API's answer) when there is nothing to pick or a pick is refused.
 */
export async function pickEverything(
  system: TestSystem,
  orderNumber: string,
): Promise<(ApiResponse<OrderView> & { seq: number })[]> {
  const shipments = (await pickList(system, orderNumber)).filter((s) => s.phase === 'PICKING');
  if (shipments.length === 0) throw new Error(`${orderNumber} has no shipment waiting to be picked`);
  const results: (ApiResponse<OrderView> & { seq: number })[] = [];
  for (const shipment of shipments) {
    const response = await system.api<OrderView>('POST', `/api/orders/${orderNumber}/pick`, {
      shipment: shipment.seq,
      scans: scansFor(shipment),
    });
    if (response.status !== 200) {
      throw new Error(
        `picking shipment ${shipment.seq} of ${orderNumber} was refused: ${response.status} ${JSON.stringify(response.body)}`,
      );
    }
    results.push({ seq: shipment.seq, ...response });
  }
  return results;
}

export interface NewProduct {
  code: string;
  /** The first variant's SKU and barcode. */
  sku: string;
  barcode: string;
  variants: { sku: string; barcode: string; size: string }[];
}

/** 13 digits no demo or earlier product uses. */
const freshBarcode = () => `2${String(crypto.randomInt(0, 1e12)).padStart(12, '0')}`;

/**
 * A product of its own for one test (so no other test's reservations touch its stock), with one variant
 * per size and `stock` received at each location for every variant.
 */
export async function newProduct(
  system: TestSystem,
  options: { sizes?: string[]; priceMinor?: number; stock?: Record<string, number> } = {},
): Promise<NewProduct> {
  const code = `T${unique().toUpperCase()}`;
  const variants = (options.sizes ?? ['M']).map((size) => ({ sku: `${code}-${size}`, barcode: freshBarcode(), size }));
  const created = await system.api('POST', '/api/products', {
    code,
    name: `Test product ${code}`,
    category: 'clothing',
    variants: variants.map((v) => ({
      sku: v.sku,
      barcode: v.barcode,
      priceMinor: options.priceMinor ?? 9_900,
      attributes: { size: v.size },
    })),
  });
  if (created.status !== 201)
    throw new Error(`creating product ${code}: ${created.status} ${JSON.stringify(created.body)}`);
  for (const [location, quantity] of Object.entries(options.stock ?? {})) {
    if (quantity <= 0) continue;
    for (const variant of variants) await receive(system, location, variant.sku, quantity);
  }
  return { code, sku: variants[0].sku, barcode: variants[0].barcode, variants };
}

/** A supplier delivery of `quantity` units of `sku` at `location` (a location code). */
export async function receive(system: TestSystem, location: string, sku: string, quantity: number): Promise<void> {
  const response = await system.api('POST', '/api/inventory/receipts', {
    location,
    reference: `DN-${unique()}`,
    lines: [{ sku, quantity }],
  });
  if (response.status !== 201) {
    throw new Error(`receiving ${quantity} ${sku} at ${location}: ${response.status} ${JSON.stringify(response.body)}`);
  }
}

export interface Level {
  onHand: number;
  reserved: number;
  available: number;
}

/** Stock of a SKU at a location as GET /api/inventory shows it (all zero when it never had any). */
export async function stockLevel(system: TestSystem, sku: string, location: string): Promise<Level> {
  const response = await system.api<StockLevelList>(
    'GET',
    `/api/inventory?sku=${encodeURIComponent(sku)}&location=${location}`,
  );
  const level = response.body.levels[0];
  return level
    ? { onHand: level.onHand, reserved: level.reserved, available: level.available }
    : { onHand: 0, reserved: 0, available: 0 };
}

/** GET /api/orders/:orderNumber, or a thrown error naming the status. */
export async function getOrder(system: TestSystem, orderNumber: string): Promise<OrderView> {
  const response = await system.api<OrderView>('GET', `/api/orders/${orderNumber}`);
  if (response.status !== 200) throw new Error(`GET order ${orderNumber}: ${response.status}`);
  return response.body;
}

/** Waits for the order to be in one of `statuses` and returns it; on timeout says which status it was stuck in. */
export async function reachStatus(
  system: TestSystem,
  orderNumber: string,
  statuses: string | string[],
  timeoutMs = 30_000,
  intervalMs?: number,
): Promise<string> {
  const wanted = Array.isArray(statuses) ? statuses : [statuses];
  let last: string | undefined;
  try {
    return await eventually(
      `${orderNumber} to reach ${wanted.join(' or ')}`,
      async () => {
        last = (await getOrder(system, orderNumber)).status;
        return wanted.includes(last) ? last : undefined;
      },
      timeoutMs,
      intervalMs,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message} (last status: ${last})`);
  }
}

/** POST /api/orders expecting 201; the new order's number (any body: a till sale may name no customer). */
export async function placeOrder(system: TestSystem, body: Record<string, unknown>): Promise<string> {
  const created = await system.api<StoredOrder>('POST', '/api/orders', body);
  if (created.status !== 201) throw new Error(`POST /api/orders: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.orderNumber;
}

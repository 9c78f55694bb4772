/**
 * The new-order form's data: what the clerk fills in, the POST /api/orders body built from it (domain/order-input.ts),
 * the checks made before sending, and the API's refusals turned into a message per field.
 */
import type { TFunction } from 'i18next';
import { ApiError } from '../../api';

export interface Variant {
  sku: string;
  barcode: string;
  priceMinor: number;
  attributes: Record<string, string>;
}

export interface Product {
  code: string;
  name: string;
  serialised: boolean;
  variants: Variant[];
}

/** A variant with its product's name, as the form shows it. */
export interface CatalogueItem extends Variant {
  name: string;
}

export interface Location {
  code: string;
  name: string;
  kind: 'STORE' | 'WAREHOUSE';
  ships: boolean;
  pickup: boolean;
}

export interface StockLevel {
  sku: string;
  location: string;
  onHand: number;
  reserved: number;
  available: number;
}

export type Channel = 'phone' | 'pos';
export type Delivery = 'ship' | 'pickup';
export type PaymentStatus = 'PAID' | 'PENDING' | 'COD';

export interface DraftLine {
  sku: string;
  quantity: number;
}

export interface Address {
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export interface Draft {
  channel: Channel;
  lines: DraftLine[];
  customer: { name: string; email: string; phone: string };
  /** A pos sale is always collected in store, whatever this says. */
  delivery: Delivery;
  address: Address;
  pickupStore?: string;
  urgent: boolean;
  payment: PaymentStatus;
  /** The payment provider's reference for a PAID order (blank: none, and the order waits in review). */
  paymentReference: string;
  language?: 'en' | 'zh-CN';
  /** Points of the customer found (their membership) paying part of the total at intake; 0: none. */
  pointsToRedeem: number;
  /** Coupon codes the customer gives, as typed (spaces or commas between). */
  coupons: string;
}

/** The found customer's points, as their profile shows them (GET /api/customers/:id, membership). */
export interface Member {
  customerId: number;
  tierName: string;
  pointsBalance: number;
  pointValueMinor: number;
}

/** The most points that can pay for this basket: the balance, and no more than the total is worth. */
export const redeemablePoints = (member: Member, totalMinor: number): number =>
  Math.max(0, Math.min(member.pointsBalance, Math.floor(totalMinor / member.pointValueMinor)));

export const EMPTY_ADDRESS: Address = { line1: '', line2: '', city: '', region: '', postalCode: '', country: 'CN' };

export const emptyDraft = (): Draft => ({
  channel: 'phone',
  lines: [],
  customer: { name: '', email: '', phone: '' },
  delivery: 'ship',
  address: { ...EMPTY_ADDRESS },
  urgent: false,
  payment: 'PAID',
  paymentReference: '',
  pointsToRedeem: 0,
  coupons: '',
});

/** The coupon codes typed, each once, in capitals. */
export const couponCodesOf = (draft: Draft): string[] => [
  ...new Set(
    draft.coupons
      .split(/[\s,，]+/)
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean),
  ),
];

/** One id per form, so the same order sent twice (a double click, a retry) is taken once. */
export const newExternalId = (): string =>
  `console-${Date.now()}-${Math.random().toString(36).slice(2, 10).padEnd(8, '0')}`;

export const isPickup = (draft: Draft): boolean => draft.channel === 'pos' || draft.delivery === 'pickup';

export function catalogueItems(products: readonly Product[]): CatalogueItem[] {
  return products.flatMap((p) => p.variants.map((v) => ({ ...v, name: p.name })));
}

/** The variant whose barcode or SKU is exactly `code` (a SKU in any case). */
export function findExact(items: readonly CatalogueItem[], code: string): CatalogueItem | undefined {
  const wanted = code.trim();
  if (!wanted) return undefined;
  return items.find((i) => i.barcode === wanted) ?? items.find((i) => i.sku.toLowerCase() === wanted.toLowerCase());
}

/** Variants whose SKU, barcode or product name contain `text`, at most `max`. */
export function search(items: readonly CatalogueItem[], text: string, max = 8): CatalogueItem[] {
  const wanted = text.trim().toLowerCase();
  if (wanted.length < 2) return [];
  return items
    .filter(
      (i) =>
        i.sku.toLowerCase().includes(wanted) || i.barcode.includes(wanted) || i.name.toLowerCase().includes(wanted),
    )
    .slice(0, max);
}

export function totalMinor(lines: readonly DraftLine[], items: readonly CatalogueItem[]): number {
  return lines.reduce((sum, l) => sum + (items.find((i) => i.sku === l.sku)?.priceMinor ?? 0) * l.quantity, 0);
}

/** The intake body, as domain/order-input.ts takes it (no empty optional fields, nothing it does not know). */
export function orderBody(draft: Draft, externalId: string): Record<string, unknown> {
  const pickup = isPickup(draft);
  const a = draft.address;
  const trimmed = (value: string) => value.trim();
  return {
    channel: draft.channel,
    externalId,
    ...customerBody(draft),
    ...(pickup
      ? { pickupStore: draft.pickupStore }
      : {
          shippingAddress: {
            line1: trimmed(a.line1),
            ...(a.line2.trim() ? { line2: trimmed(a.line2) } : {}),
            city: trimmed(a.city),
            ...(a.region.trim() ? { region: trimmed(a.region) } : {}),
            postalCode: trimmed(a.postalCode),
            country: trimmed(a.country).toUpperCase(),
          },
        }),
    urgent: pickup ? false : draft.urgent,
    lines: draft.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    payment:
      draft.payment === 'PAID' && draft.paymentReference.trim()
        ? { status: draft.payment, reference: trimmed(draft.paymentReference) }
        : { status: draft.payment },
    ...(draft.language ? { language: draft.language } : {}),
    ...(draft.pointsToRedeem > 0 ? { pointsToRedeem: draft.pointsToRedeem } : {}),
    ...(couponCodesOf(draft).length ? { couponCodes: couponCodesOf(draft) } : {}),
  };
}

/**
 * The customer as intake takes it: a field left blank is left out (email is optional at the till and on the phone),
 * and a till sale with nothing filled in names nobody: a walk-in.
 */
function customerBody(draft: Draft): { customer?: Record<string, string> } {
  const given = Object.entries(draft.customer)
    .map(([key, value]): [string, string] => [key, value.trim()])
    .filter(([, value]) => value !== '');
  if (!given.length && draft.channel === 'pos') return {};
  const fields: Record<string, string> = Object.fromEntries(given);
  return { customer: { ...fields, name: draft.customer.name.trim() } };
}

/**
 * Which customer fields a channel must fill (domain/order-input.ts): a phone sale's name and phone; a till sale's
 * name once anything of the customer is given. Email is never required here.
 */
export function requiredCustomerFields(draft: Draft): Set<keyof Draft['customer']> {
  if (draft.channel === 'phone') return new Set(['name', 'phone']);
  const anyGiven = Object.values(draft.customer).some((value) => value.trim() !== '');
  return new Set(anyGiven ? ['name'] : []);
}

/** A message per field, keyed by the API's path (`customer.email`, `lines.0.quantity`, `shippingAddress.city`…). */
export type Issues = Record<string, string>;

/** The words for what is wrong with a field, by its API path; undefined for a path the form has no field for. */
export function issueWords(path: string, t: TFunction): string | undefined {
  if (/^lines\.\d+\.quantity$/.test(path)) return t('newOrder.issue.quantity');
  if (/^lines\.\d+(\.sku)?$/.test(path)) return t('newOrder.issue.unknownSku');
  const words: Record<string, string> = {
    'customer.name': 'name',
    'customer.email': 'email',
    'customer.phone': 'phone',
    shippingAddress: 'address',
    'shippingAddress.line1': 'line1',
    'shippingAddress.city': 'city',
    'shippingAddress.postalCode': 'postalCode',
    'shippingAddress.country': 'country',
    pickupStore: 'pickupStore',
    'payment.reference': 'paymentReference',
    lines: 'lines',
  };
  return words[path] ? t(`newOrder.issue.${words[path]}`) : undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is missing or wrong before anything is sent (the API checks the same again). */
export function checkDraft(draft: Draft, t: TFunction): Issues {
  const issues: Issues = {};
  const need = (path: string, ok: boolean) => {
    if (!ok) issues[path] = issueWords(path, t)!;
  };
  const required = requiredCustomerFields(draft);
  const email = draft.customer.email.trim();
  need('customer.name', !required.has('name') || draft.customer.name.trim() !== '');
  need('customer.email', email === '' || EMAIL.test(email));
  need('customer.phone', !required.has('phone') || draft.customer.phone.trim() !== '');
  need('lines', draft.lines.length > 0);
  draft.lines.forEach((l, i) =>
    need(`lines.${i}.quantity`, Number.isInteger(l.quantity) && l.quantity >= 1 && l.quantity <= 10_000),
  );
  if (isPickup(draft)) need('pickupStore', Boolean(draft.pickupStore));
  else {
    need('shippingAddress.line1', draft.address.line1.trim() !== '');
    need('shippingAddress.city', draft.address.city.trim() !== '');
    need('shippingAddress.postalCode', draft.address.postalCode.trim() !== '');
    need('shippingAddress.country', /^[A-Za-z]{2}$/.test(draft.address.country.trim()));
  }
  return issues;
}

/**
 * The API's refusal as messages on the fields it names (422 `VALIDATION_FAILED` details, `UNKNOWN_SKU`'s SKUs,
 * `UNKNOWN_STORE`), and what names no field as one general message (undefined when every issue found its field).
 */
export function refusalIssues(
  err: unknown,
  draft: Draft,
  t: TFunction,
  general: (err: unknown) => string,
): { issues: Issues; general?: string } {
  if (!(err instanceof ApiError)) return { issues: {}, general: general(err) };
  const details = err.details as
    { path?: unknown; message?: unknown }[] | { skus?: unknown; store?: unknown } | null | undefined;
  const issues: Issues = {};
  if (err.code === 'VALIDATION_FAILED' && Array.isArray(details)) {
    const left: string[] = [];
    for (const d of details) {
      const path = typeof d.path === 'string' ? d.path : '';
      const message = typeof d.message === 'string' ? d.message : '';
      const words = issueWords(path, t);
      if (words) issues[path] = words;
      else left.push(path ? t('newOrder.issue.other', { field: path, message }) : message);
    }
    return { issues, general: left.length ? left.join(' ') : undefined };
  }
  if (err.code === 'UNKNOWN_SKU' && details && !Array.isArray(details) && Array.isArray(details.skus)) {
    const skus = new Set(details.skus as string[]);
    draft.lines.forEach((l, i) => {
      if (skus.has(l.sku)) issues[`lines.${i}.sku`] = t('newOrder.issue.unknownSku');
    });
    return { issues, general: Object.keys(issues).length ? undefined : err.message };
  }
  if (err.code === 'UNKNOWN_STORE') return { issues: { pickupStore: t('newOrder.issue.pickupStore') } };
  if (err.code === 'NOT_ENOUGH_POINTS' || err.code === 'POINTS_REFUSED')
    return { issues: { pointsToRedeem: err.message } };
  if (err.code.startsWith('COUPON_')) return { issues: { couponCodes: err.message } };
  return { issues: {}, general: general(err) };
}

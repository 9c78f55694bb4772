/**
 * Automatic order review: pure rules, each returning a reason when it flags the order.
 * A clean order (no reasons) passes on; a flagged one waits for a staff decision.
 */
import { CUSTOMER_DETAILS_NEEDED, type ShippingAddress } from './order-input';
import type { SalesChannel } from './order-status';
import { normaliseEmail } from './customers';

export interface ReviewableOrder {
  /** PICKUP orders are collected in store: their address is not checked. */
  fulfilment?: string;
  /** A sales channel; orders from before a channel was renamed may carry another name. */
  channel: string;
  /** What the order gave of its customer; a till sale may give none of it, a phone sale no email. */
  customerName: string | null;
  customerEmail: string | null;
  customerPhone: string | null;
  shippingAddress: ShippingAddress;
  paymentStatus: string;
  totalMinor: number;
  /** The part of the total the customer paid in points at intake (Order.pointsMinor); the payment covers the rest. */
  pointsMinor?: number;
  /** The order's currency; CNY when omitted. */
  currency?: string;
  /** The payment a PAID order names (Order.paymentReference). */
  paymentReference?: string | null;
  /**
   * What the payment provider says it captured under that reference: null or omitted when it knows no such
   * payment (or was not asked, as for an order without a reference).
   */
  capture?: { amountMinor: number; currency: string } | null;
  /** Marked PAID before payments were verified (Order.paymentLegacy): taken on the old rules, not checked again. */
  paymentLegacy?: boolean;
  lines: { sku: string; quantity: number }[];
  /** A marketplace order (priced by the platform): what our own promotions would charge (Order.quotedMinor). */
  quotedMinor?: number | null;
}

export interface ReviewLimits {
  maxTotalMinor: number;
  maxLineQuantity: number;
}

export const DEFAULT_REVIEW_LIMITS: ReviewLimits = { maxTotalMinor: 5_000_000, maxLineQuantity: 20 };

/** Channels where the customer pays before the shop ships. */
const PREPAID_CHANNELS = new Set(['web', 'marketplace']);

/** Every code `reviewOrder` can return, e.g. for filters and reports. */
export const REVIEW_REASON_CODES = [
  'MISSING_CUSTOMER',
  'BLOCKED_CUSTOMER',
  'INCOMPLETE_ADDRESS',
  'NO_DOOR_NUMBER',
  'BAD_PHONE',
  'PAYMENT_NOT_CONFIRMED',
  'PAYMENT_UNVERIFIED',
  'AMOUNT_OVER_LIMIT',
  'UNKNOWN_SKU',
  'QUANTITY_OVER_LIMIT',
  'PRICE_DIFFERS',
] as const;
export type ReviewReasonCode = (typeof REVIEW_REASON_CODES)[number];

export interface ReviewReason {
  code: string;
  message: string;
}

/** Customers staff have blocked; entries may be stored as typed, they are normalised when compared. */
export interface BlockList {
  emails: ReadonlySet<string>;
  phones: ReadonlySet<string>;
}

export const EMPTY_BLOCK_LIST: BlockList = { emails: new Set(), phones: new Set() };

export function reviewOrder(
  order: ReviewableOrder,
  knownSkus: ReadonlySet<string>,
  limits: ReviewLimits = DEFAULT_REVIEW_LIMITS,
  blocked: BlockList = EMPTY_BLOCK_LIST,
): ReviewReason[] {
  const reasons: ReviewReason[] = [];
  // Typed so every code returned is listed in REVIEW_REASON_CODES.
  const flag = (code: ReviewReasonCode, message: string) => reasons.push({ code, message });

  const missing = missingCustomerDetails(order);
  if (missing.length) {
    flag('MISSING_CUSTOMER', `The customer's ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required`);
  }
  if (isBlocked(order, blocked)) flag('BLOCKED_CUSTOMER', 'Customer is on the block list');
  const address = order.shippingAddress;
  if (order.fulfilment === 'PICKUP') {
    // Collected in store: no address to check.
  } else if (!address.line1?.trim() || !address.city?.trim() || !address.postalCode?.trim()) {
    flag('INCOMPLETE_ADDRESS', 'Address needs street, city and postal code');
  } else if (!/\d/.test(`${address.line1} ${address.line2 ?? ''}`)) {
    flag('NO_DOOR_NUMBER', 'Address has no house or door number');
  }
  // Checked when given: a till sale need not give one, and a missing one that is needed is MISSING_CUSTOMER.
  if (order.customerPhone?.trim() && !isPlausiblePhone(order.customerPhone)) {
    flag('BAD_PHONE', `Phone number "${order.customerPhone}" is not in a valid format`);
  }
  if (PREPAID_CHANNELS.has(order.channel) && order.paymentStatus !== 'PAID') {
    flag('PAYMENT_NOT_CONFIRMED', `Payment for a ${order.channel} order is not confirmed`);
  }
  const unverified = unverifiedPayment(order);
  if (unverified) flag('PAYMENT_UNVERIFIED', unverified);
  if (order.totalMinor > limits.maxTotalMinor) {
    flag('AMOUNT_OVER_LIMIT', `Order total ${order.totalMinor} exceeds the review limit ${limits.maxTotalMinor}`);
  }
  if (order.quotedMinor != null && order.quotedMinor !== order.totalMinor) {
    flag(
      'PRICE_DIFFERS',
      `The platform charged ${order.totalMinor}; our own prices and promotions come to ${order.quotedMinor}`,
    );
  }
  for (const line of order.lines) {
    if (!knownSkus.has(line.sku)) flag('UNKNOWN_SKU', `Unknown SKU ${line.sku}`);
    if (line.quantity > limits.maxLineQuantity) {
      flag('QUANTITY_OVER_LIMIT', `Quantity ${line.quantity} of ${line.sku} exceeds ${limits.maxLineQuantity}`);
    }
  }
  return reasons;
}

/**
 * What the order's channel needs of its customer (domain/order-input.ts) and the order lacks. A channel this build
 * does not know (an older order's) needs what a web order does. A till sale that names a customer names them.
 */
function missingCustomerDetails(order: ReviewableOrder): string[] {
  const needs = CUSTOMER_DETAILS_NEEDED[order.channel as SalesChannel] ?? CUSTOMER_DETAILS_NEEDED.web;
  const given = (value: string | null) => Boolean(value?.trim());
  const anyGiven = given(order.customerName) || given(order.customerEmail) || given(order.customerPhone);
  const missing: string[] = [];
  if (!given(order.customerName) && (needs.length || anyGiven)) missing.push('name');
  if (needs.includes('email') && !given(order.customerEmail)) missing.push('email');
  if (needs.includes('phone') && !given(order.customerPhone)) missing.push('phone');
  return missing;
}

/**
 * Why a PAID claim does not hold, or undefined when it does: on every channel (a clerk's word is not a payment), the
 * order names a payment the provider confirms it captured, in the order's currency, for at least its total.
 */
export function unverifiedPayment(order: ReviewableOrder): string | undefined {
  if (order.paymentStatus !== 'PAID' || order.paymentLegacy) return undefined;
  const reference = order.paymentReference;
  if (!reference) return 'Marked paid, but names no payment reference';
  const capture = order.capture;
  if (!capture) return `Marked paid, but the payment provider has no payment ${reference}`;
  const currency = order.currency ?? 'CNY';
  if (capture.currency !== currency) return `Payment ${reference} was taken in ${capture.currency}, not ${currency}`;
  const payableMinor = order.totalMinor - (order.pointsMinor ?? 0);
  if (capture.amountMinor < payableMinor) {
    return order.pointsMinor
      ? `Payment ${reference} captured ${capture.amountMinor}, less than the ${payableMinor} left to pay after points`
      : `Payment ${reference} captured ${capture.amountMinor}, less than the order total ${order.totalMinor}`;
  }
  return undefined;
}

/** An optional +, then digits with spaces, dashes or brackets; 6 to 15 digits (E.164's maximum). */
export function isPlausiblePhone(phone: string): boolean {
  if (!/^\+?[\d\s()-]+$/.test(phone.trim())) return false;
  const digits = normalisePhone(phone).length;
  return digits >= 6 && digits <= 15;
}

/** Digits only, so "+86 139-1234" and "86 1391234" compare equal. */
export function normalisePhone(phone: string): string {
  return phone.replace(/\D/g, '');
}

/** A block-list entry for an email address or (without one) a phone number, stored normalised. */
export function blockListEntry(who: { email?: string; phone?: string }): { kind: 'EMAIL' | 'PHONE'; value: string } {
  return who.email
    ? { kind: 'EMAIL', value: normaliseEmail(who.email) ?? '' }
    : { kind: 'PHONE', value: normalisePhone(who.phone!) };
}

function isBlocked(order: ReviewableOrder, blocked: BlockList): boolean {
  // Empty values never match, so a blank entry on the list cannot block every order without a phone.
  const email = normaliseEmail(order.customerEmail);
  if (email && [...blocked.emails].some((entry) => normaliseEmail(entry) === email)) return true;
  const phone = normalisePhone(order.customerPhone ?? '');
  return !!phone && [...blocked.phones].some((entry) => normalisePhone(entry) === phone);
}

/**
 * Automatic order review: pure rules, each returning a reason when it flags the order.
 * A clean order (no reasons) passes on; a flagged one waits for a staff decision.
 */
import type { SalesChannel } from './order-status';
import type { ShippingAddress } from './order-input';

export interface ReviewableOrder {
  channel: SalesChannel | string;
  customerName: string;
  customerEmail: string;
  customerPhone: string;
  shippingAddress: ShippingAddress;
  paymentStatus: string;
  totalMinor: number;
  lines: { sku: string; quantity: number }[];
}

export interface ReviewLimits {
  maxTotalMinor: number;
  maxLineQuantity: number;
}

export const DEFAULT_REVIEW_LIMITS: ReviewLimits = { maxTotalMinor: 5_000_000, maxLineQuantity: 20 };

/** Channels where the customer pays before the shop ships. */
const PREPAID_CHANNELS = new Set(['web', 'marketplace']);

export interface ReviewReason {
  code: string;
  message: string;
}

export function reviewOrder(
  order: ReviewableOrder,
  knownSkus: ReadonlySet<string>,
  limits: ReviewLimits = DEFAULT_REVIEW_LIMITS,
): ReviewReason[] {
  const reasons: ReviewReason[] = [];
  const flag = (code: string, message: string) => reasons.push({ code, message });

  if (!order.customerName.trim() || !order.customerEmail.trim()) {
    flag('MISSING_CUSTOMER', 'Customer name and email are required');
  }
  const address = order.shippingAddress;
  if (!address.line1?.trim() || !address.city?.trim() || !address.postalCode?.trim()) {
    flag('INCOMPLETE_ADDRESS', 'Address needs street, city and postal code');
  } else if (!/\d/.test(`${address.line1} ${address.line2 ?? ''}`)) {
    flag('NO_DOOR_NUMBER', 'Address has no house or door number');
  }
  if (!isPlausiblePhone(order.customerPhone)) {
    flag('BAD_PHONE', `Phone number "${order.customerPhone}" is not in a valid format`);
  }
  if (PREPAID_CHANNELS.has(order.channel) && order.paymentStatus !== 'PAID') {
    flag('PAYMENT_NOT_CONFIRMED', `Payment for a ${order.channel} order is not confirmed`);
  }
  if (order.totalMinor > limits.maxTotalMinor) {
    flag('AMOUNT_OVER_LIMIT', `Order total ${order.totalMinor} exceeds the review limit ${limits.maxTotalMinor}`);
  }
  for (const line of order.lines) {
    if (!knownSkus.has(line.sku)) flag('UNKNOWN_SKU', `Unknown SKU ${line.sku}`);
    if (line.quantity > limits.maxLineQuantity) {
      flag('QUANTITY_OVER_LIMIT', `Quantity ${line.quantity} of ${line.sku} exceeds ${limits.maxLineQuantity}`);
    }
  }
  return reasons;
}

/** An optional +, then digits with spaces, dashes or brackets; 6 to 15 digits (E.164's maximum). */
export function isPlausiblePhone(phone: string): boolean {
  if (!/^\+?[\d\s()-]+$/.test(phone.trim())) return false;
  const digits = phone.replace(/\D/g, '').length;
  return digits >= 6 && digits <= 15;
}

/**
 * Customer data by need: what each role may see of a customer. Clerks take orders on the phone and at the counter,
 * managers decide on reviews and refunds, admins may do anything: they see everything. The warehouse picks and
 * packs: it sees the customer's name, a masked phone, no email, and of the address only the city, region and
 * country. The one exception is the packing slip of a parcel still in the warehouse (api/routes/orders.ts), which
 * carries the whole delivery address for the label. Every answer with customer data passes through here.
 */
import type { Role } from '../access/roles';
import { redactText } from '../lib/redact';

export type CustomerDataView = 'full' | 'masked';

export const customerDataViewOf = (role: Role): CustomerDataView => (role === 'warehouse' ? 'masked' : 'full');

/**
 * The last 11 digits (a Chinese mobile number without +86) shown as `138****1234`; a shorter number keeps only its
 * last four digits: `****4567`. At least four digits are always hidden.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '').slice(-11);
  if (digits.length < 8) return '****';
  return digits.length === 11 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : `****${digits.slice(-4)}`;
}

/** Of an address, where it is roughly: city, region and country; no street, door or postal code. */
export function maskAddress(address: unknown): Record<string, string> | null {
  if (!address || typeof address !== 'object') return null;
  const { city, region, country } = address as Record<string, unknown>;
  const kept = Object.entries({ city, region, country }).filter(([, v]) => typeof v === 'string' && v !== '');
  return Object.fromEntries(kept) as Record<string, string>;
}

interface CustomerFields {
  customerEmail?: string | null;
  customerPhone?: string;
  shippingAddress?: unknown;
}

/**
 * A text (a review reason, a staff note) without the customer's contact details: their phone and email as typed
 * are masked, and so is anything that looks like one.
 */
function withoutContacts(text: string, customer: CustomerFields): string {
  let masked = text;
  if (customer.customerPhone) masked = masked.split(customer.customerPhone).join(maskPhone(customer.customerPhone));
  if (customer.customerEmail) masked = masked.split(customer.customerEmail).join('(email)');
  return redactText(masked);
}

/** An order (a row of the list, or the whole view) as `role` may see it; the same object when it may see it all. */
export function customerDataFor<T extends CustomerFields>(role: Role, order: T): T {
  if (customerDataViewOf(role) === 'full') return order;
  const masked = { ...order } as Record<string, unknown>;
  if ('customerEmail' in order) masked.customerEmail = null;
  if (typeof order.customerPhone === 'string') masked.customerPhone = maskPhone(order.customerPhone);
  if ('shippingAddress' in order) masked.shippingAddress = maskAddress(order.shippingAddress);
  const reasons = (order as { reviewReasons?: unknown }).reviewReasons;
  if (Array.isArray(reasons)) {
    masked.reviewReasons = reasons.map((r: { code: string; message: string }) => ({
      ...r,
      message: withoutContacts(r.message, order),
    }));
  }
  const timeline = (order as { timeline?: unknown }).timeline;
  if (Array.isArray(timeline)) {
    masked.timeline = timeline.map((entry: { reason?: string | null }) =>
      typeof entry.reason === 'string' ? { ...entry, reason: withoutContacts(entry.reason, order) } : entry,
    );
  }
  return masked as T;
}

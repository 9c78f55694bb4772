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

/** An email with its local part hidden but its first letter: `l***@example.cn`, enough to tell two apart in a list. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at > 0 ? `${email[0]}***${email.slice(at)}` : '***';
}

/** A customer record's contact details. */
interface CustomerContacts {
  mobile: string | null;
  email: string | null;
  otherPhone: string | null;
}

/**
 * A customer record as `role` may see it. The profile shows a clerk, a manager or an admin everything; a list shows
 * their phone and email masked (lists are read over shoulders; the profile is a click away). The warehouse sees a
 * masked phone and no email anywhere.
 */
export function customerRecordFor<T extends CustomerContacts>(role: Role, customer: T, shown: 'list' | 'profile'): T {
  const full = customerDataViewOf(role) === 'full';
  if (full && shown === 'profile') return customer;
  const phone = (value: string | null) => (value ? maskPhone(value) : null);
  return {
    ...customer,
    mobile: phone(customer.mobile),
    otherPhone: phone(customer.otherPhone),
    email: full && customer.email ? maskEmail(customer.email) : null,
  };
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
  customerPhone?: string | null;
  shippingAddress?: unknown;
}

/**
 * A text (a review reason, a staff note) without the customer's contact details: their phone and email as typed
 * are masked, and so is anything that looks like one.
 */
export function withoutContacts(text: string, customer: CustomerFields): string {
  let masked = text;
  if (customer.customerPhone) masked = masked.split(customer.customerPhone).join(maskPhone(customer.customerPhone));
  if (customer.customerEmail) masked = masked.split(customer.customerEmail).join('(email)');
  return redactText(masked);
}

/** The fields of an order edit's audit row (activities/order-edits.ts) that hold personal data. */
interface EditDetails {
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

/**
 * An order edit's before and after with the contact details taken out: masked for a role that may not see them, or
 * `erased` (the text given) when the person's data is erased; lines and totals stay, they are the shop's books.
 */
export function editDetailsWithout(details: unknown, erased?: string): unknown {
  if (!details || typeof details !== 'object') return details;
  const scrub = (fields: Record<string, unknown> | undefined) => {
    if (!fields) return fields;
    const out = { ...fields };
    if ('customerEmail' in out) out.customerEmail = null;
    if (typeof out.customerPhone === 'string') out.customerPhone = erased ? null : maskPhone(out.customerPhone);
    if ('shippingAddress' in out) out.shippingAddress = maskAddress(out.shippingAddress);
    if (erased && typeof out.customerName === 'string') out.customerName = erased;
    if (erased && typeof out.note === 'string') out.note = erased;
    return out;
  };
  const { before, after } = details as EditDetails;
  return { ...details, before: scrub(before), after: scrub(after) };
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
    masked.timeline = timeline.map((entry: { reason?: string | null; details?: unknown }) => ({
      ...entry,
      reason: typeof entry.reason === 'string' ? withoutContacts(entry.reason, order) : entry.reason,
      details: editDetailsWithout(entry.details),
    }));
  }
  return masked as T;
}

/**
 * Who a customer is, whatever the channel: one person is one customer, recognised by a mainland mobile number or an
 * email address, each normalised so that "+86 138-0013-8000" and "13800138000", or "Li@Example.CN " and
 * "li@example.cn", are the same person. Landlines, foreign numbers and names recognise nobody: two Zhang Weis are
 * two people. The history's arithmetic (spend net of refunds, average order) lives here too.
 */

/** A mainland China mobile number as 11 digits (1, then 3 to 9, then 9 more), or null for anything else. */
export function normaliseMobile(phone: string | null | undefined): string | null {
  if (!phone) return null;
  // Only separators may surround the digits: "138 0013 8000", "+86-138…", "(0086) 138…".
  if (!/^\+?[\d\s()-]+$/.test(phone.trim())) return null;
  let digits = phone.replace(/\D/g, '');
  if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/** An email address as compared: trimmed, lower case; null when there is none. */
export function normaliseEmail(email: string | null | undefined): string | null {
  const value = email?.trim().toLowerCase();
  return value ? value : null;
}

/** What recognises a customer: their normalised mobile number and email, either or both null. */
export interface CustomerKeys {
  mobile: string | null;
  email: string | null;
}

export const customerKeysOf = (contact: { phone?: string | null; email?: string | null }): CustomerKeys => ({
  mobile: normaliseMobile(contact.phone),
  email: normaliseEmail(contact.email),
});

/** A customer as matching sees one: the keys it is known by (a customer merged into another keeps none). */
export interface KnownCustomer extends CustomerKeys {
  id: number;
}

/**
 * Which known customer an order belongs to. The mobile number decides first (a shop's customers give their number at
 * the till far more often than an email, and a number is harder to share); the email when the number is unknown.
 * Undefined: a new customer.
 */
export function matchCustomer(
  keys: CustomerKeys,
  byMobile: KnownCustomer | null,
  byEmail: KnownCustomer | null,
): KnownCustomer | undefined {
  return (keys.mobile && byMobile) || (keys.email && byEmail) || undefined;
}

/**
 * What a matched customer learns from a new order: a key it did not have yet, unless another customer is known by
 * it (then the two may be the same person, which is for staff to decide by merging, not for intake to guess).
 */
export function keysToLearn(
  customer: CustomerKeys,
  keys: CustomerKeys,
  takenByOther: { mobile: boolean; email: boolean },
): Partial<CustomerKeys> {
  const learned: Partial<CustomerKeys> = {};
  if (!customer.mobile && keys.mobile && !takenByOther.mobile) learned.mobile = keys.mobile;
  if (!customer.email && keys.email && !takenByOther.email) learned.email = keys.email;
  return learned;
}

/** Orders that count towards a customer's purchases: every accepted one, not those rejected or cancelled. */
export const NOT_PURCHASES: ReadonlySet<string> = new Set(['REJECTED', 'CANCELLED']);

export interface PurchaseRecord {
  status: string;
  totalMinor: number;
  createdAt: Date;
  /** Money paid back on the order so far. */
  refundedMinor: number;
}

export interface CustomerStats {
  orderCount: number;
  /** What the customer paid for their orders, less what was refunded. */
  lifetimeSpendMinor: number;
  /** Lifetime spend per counted order, rounded to the fen; 0 without orders. */
  averageOrderMinor: number;
  firstPurchaseAt: Date | null;
  lastPurchaseAt: Date | null;
}

export function customerStats(orders: readonly PurchaseRecord[]): CustomerStats {
  const purchases = orders.filter((o) => !NOT_PURCHASES.has(o.status));
  const spend = purchases.reduce((sum, o) => sum + o.totalMinor - o.refundedMinor, 0);
  const times = purchases.map((o) => o.createdAt.getTime());
  return {
    orderCount: purchases.length,
    lifetimeSpendMinor: spend,
    averageOrderMinor: purchases.length ? Math.round(spend / purchases.length) : 0,
    firstPurchaseAt: times.length ? new Date(Math.min(...times)) : null,
    lastPurchaseAt: times.length ? new Date(Math.max(...times)) : null,
  };
}

/** An address as the address book compares it: each part trimmed, runs of spaces as one, letters in lower case. */
export function addressKey(address: Record<string, string | undefined>): string {
  const part = (value: string | undefined) => (value ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
  return ['line1', 'line2', 'city', 'region', 'postalCode', 'country'].map((k) => part(address[k])).join('|');
}

/** A customer's profile as a merge sees it. */
export interface MergeableProfile extends CustomerKeys {
  birthday: string | null;
  marketingConsent: boolean;
  tags: string[];
  notes: string | null;
}

/**
 * What the customer kept in a merge becomes: its own details first, the other's where it has none (keys, birthday),
 * both sets of tags and both notes. Marketing consent only if both records gave it: neither says which choice is the
 * person's latest, and contacting someone who said no is the worse mistake.
 */
export function mergedProfile(kept: MergeableProfile, other: MergeableProfile): MergeableProfile {
  const notes = [kept.notes, other.notes].filter((n): n is string => Boolean(n?.trim()));
  return {
    mobile: kept.mobile ?? other.mobile,
    email: kept.email ?? other.email,
    birthday: kept.birthday ?? other.birthday,
    marketingConsent: kept.marketingConsent && other.marketingConsent,
    tags: [...new Set([...kept.tags, ...other.tags])],
    notes: notes.length ? notes.join('\n') : null,
  };
}

/** Feedback staff record about a customer. */
export const FEEDBACK_KINDS = ['COMPLAINT', 'PRAISE', 'REMARK'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/**
 * Customers in the database: matched or created at intake (domain/customers.ts says who is whom), listed, searched
 * and shown with their history.
 */
import type { Db, Prisma } from '../db/client';
import {
  addressKey,
  customerKeysOf,
  customerStats,
  keysToLearn,
  matchCustomer,
  mergedProfile,
  type CustomerKeys,
  type FeedbackKind,
} from '../domain/customers';
import { likePatternFor } from './order-list';
import { applyPoints } from './points';
import { lockCustomers } from './customer-lock';

const KEYS = { id: true, mobile: true, email: true } as const;

/** What an order tells about its customer. */
export interface OrderCustomer {
  name: string;
  phone?: string;
  email?: string;
}

/**
 * The id of the customer an order belongs to, created if new; null when the order gives nothing that recognises
 * anyone (no customer, or only a name and a landline). Two orders of a new customer at once both end with the same
 * customer: the loser of the unique key finds the winner's row.
 */
export async function customerIdFor(db: Db, customer: OrderCustomer | undefined): Promise<number | null> {
  if (!customer) return null;
  const keys = customerKeysOf(customer);
  if (!keys.mobile && !keys.email) return null;
  for (let attempt = 0; ; attempt++) {
    const found = await findByKeys(db, keys);
    const match = matchCustomer(keys, found.byMobile, found.byEmail);
    if (match) {
      const learned = keysToLearn(match, keys, {
        mobile: Boolean(found.byMobile && found.byMobile.id !== match.id),
        email: Boolean(found.byEmail && found.byEmail.id !== match.id),
      });
      if (Object.keys(learned).length) {
        // Another order may teach the same key to another customer meanwhile: then this one stays without it.
        await db.customer
          .update({ where: { id: match.id }, data: learned, select: { id: true } })
          .catch((err: unknown) => ignoreUniqueClash(err));
      }
      return match.id;
    }
    try {
      const created = await db.customer.create({
        data: {
          name: customer.name,
          ...keys,
          otherPhone: !keys.mobile && customer.phone ? customer.phone : null,
        },
        select: { id: true },
      });
      return created.id;
    } catch (err) {
      // Created by a concurrent order just now: the next round finds it.
      ignoreUniqueClash(err);
      if (attempt >= 2) throw err;
    }
  }
}

/** The customer an order with this contact would be matched to, without creating one (a quote's member). */
export async function knownCustomerId(
  db: Db,
  contact: { phone?: string | null; email?: string | null },
): Promise<number | null> {
  const keys = customerKeysOf(contact);
  if (!keys.mobile && !keys.email) return null;
  const found = await findByKeys(db, keys);
  return matchCustomer(keys, found.byMobile, found.byEmail)?.id ?? null;
}

async function findByKeys(db: Db, keys: CustomerKeys) {
  const rows = await db.customer.findMany({
    where: {
      OR: [...(keys.mobile ? [{ mobile: keys.mobile }] : []), ...(keys.email ? [{ email: keys.email }] : [])],
    },
    select: KEYS,
  });
  return {
    byMobile: (keys.mobile && rows.find((r) => r.mobile === keys.mobile)) || null,
    byEmail: (keys.email && rows.find((r) => r.email === keys.email)) || null,
  };
}

function ignoreUniqueClash(err: unknown): void {
  if ((err as { code?: string }).code !== 'P2002') throw err;
}

/**
 * Customers whose name, mobile number or email holds `q` (a number's digits match however either was typed); the 50
 * most recently active first, the newest when `q` is empty. Merged-away customers are not listed. Without
 * `contacts` (a role that sees masked phones and no email) only names are searched, so nobody can find out a
 * customer's number or email by guessing it digit by digit.
 */
export async function searchCustomers(db: Db, q: string, { contacts }: { contacts: boolean }) {
  const digits = q.replace(/\D/g, '');
  const text = q.trim();
  const byText: Prisma.CustomerWhereInput[] = LIKE_SPECIAL.test(text)
    ? [{ id: { in: await literalMatches(db, text, contacts) } }]
    : [{ name: { contains: text } }, ...(contacts ? [{ email: { contains: text.toLowerCase() } }] : [])];
  const where: Prisma.CustomerWhereInput = text
    ? {
        OR: [
          ...byText,
          ...(contacts && digits.length >= 3 && PHONE_LIKE.test(text)
            ? [{ mobile: { contains: digits } }, { otherPhone: { contains: digits } }]
            : []),
        ],
      }
    : {};
  const rows = await db.customer.findMany({
    where: { ...where, mergedIntoId: null },
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    take: 50,
    select: { ...LISTED, _count: { select: { orders: true } } },
  });
  return rows.map(({ _count, ...customer }) => ({ ...customer, orderCount: _count.orders }));
}

/** A search typed as a phone number (digits and separators): only such a one looks among the numbers. */
const PHONE_LIKE = /^[\d\s+()-]+$/;

/** `%`, `_` and `\` in a search match themselves, as in the order list (orders/order-list.ts says why). */
const LIKE_SPECIAL = /[\\%_]/;

async function literalMatches(db: Db, text: string, contacts: boolean): Promise<number[]> {
  const name = likePatternFor(text);
  const email = likePatternFor(text.toLowerCase());
  const rows = await db.$queryRaw<{ id: number | bigint }[]>`
    SELECT "id" FROM "Customer"
    WHERE "name" LIKE ${name} ESCAPE '\\'
      OR (CAST(${contacts ? 1 : 0} AS INTEGER) = 1 AND "email" LIKE ${email} ESCAPE '\\')
    ORDER BY "id" DESC LIMIT 1000`;
  return rows.map((r) => Number(r.id));
}

const LISTED = {
  id: true,
  name: true,
  mobile: true,
  email: true,
  otherPhone: true,
  tags: true,
  marketingConsent: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** A customer's profile with their orders (newest first), returns and the figures of domain/customers.ts. */
export async function customerHistory(db: Db, id: number) {
  const found = await db.customer.findUnique({
    where: { id },
    include: {
      addresses: { orderBy: { lastUsedAt: 'desc' }, select: { id: true, address: true, lastUsedAt: true } },
      feedback: { orderBy: { createdAt: 'desc' } },
      events: { orderBy: { at: 'desc' } },
      points: { orderBy: { id: 'desc' }, take: 100 },
    },
  });
  if (!found) return undefined;
  const { addresses, feedback, events, points, ...customer } = found;
  const orders = await db.order.findMany({
    where: { customerId: id },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: {
      orderNumber: true,
      channel: true,
      status: true,
      totalMinor: true,
      currency: true,
      createdAt: true,
      refunds: { select: { amountMinor: true } },
      returns: {
        select: { returnNumber: true, kind: true, status: true, reasonCode: true, createdAt: true },
        orderBy: { createdAt: 'asc' },
      },
    },
  });
  const repairs = await db.repairTicket.findMany({
    where: { customerId: id },
    orderBy: { id: 'desc' },
    select: { ticketNumber: true, serial: true, sku: true, status: true, inWarranty: true, createdAt: true },
  });
  const listed = orders.map(({ refunds, ...order }) => ({
    ...order,
    refundedMinor: refunds.reduce((sum, r) => sum + r.amountMinor, 0),
  }));
  return {
    customer,
    addresses,
    feedback,
    events,
    points,
    stats: customerStats(listed),
    orders: listed.map(({ returns, ...order }) => ({ ...order, returnCount: returns.length })),
    returns: listed.flatMap((o) => o.returns.map((r) => ({ ...r, orderNumber: o.orderNumber }))),
    repairs,
  };
}

/**
 * Links every order that has no customer yet to one, as intake would have (orders from before customers existed).
 * Oldest first, so each customer's name is the one they first ordered under. Answers how many orders it linked.
 */
export async function linkOrdersToCustomers(db: Db): Promise<number> {
  let linked = 0;
  for (let after = 0; ;) {
    const batch = await db.order.findMany({
      where: {
        customerId: null,
        id: { gt: after },
        OR: [{ customerPhone: { not: null } }, { customerEmail: { not: null } }],
      },
      orderBy: { id: 'asc' },
      take: 500,
      select: { id: true, customerName: true, customerPhone: true, customerEmail: true },
    });
    if (!batch.length) return linked;
    for (const order of batch) {
      const customerId = await customerIdFor(db, {
        name: order.customerName ?? '',
        phone: order.customerPhone ?? undefined,
        email: order.customerEmail ?? undefined,
      });
      if (customerId === null) continue;
      // Only if still unlinked: an order linked meanwhile keeps its customer.
      const { count } = await db.order.updateMany({ where: { id: order.id, customerId: null }, data: { customerId } });
      linked += count;
    }
    after = batch[batch.length - 1].id;
  }
}

/** Puts a delivery address in the customer's address book, or marks it used again: one statement. */
export async function rememberAddress(db: Db, customerId: number, address: Record<string, string | undefined>) {
  const key = addressKey(address);
  await db.customerAddress.upsert({
    where: { customerId_key: { customerId, key } },
    create: { customerId, key, address },
    update: { lastUsedAt: new Date() },
    select: { id: true },
  });
}

export class CustomerNotFoundError extends Error {
  constructor(readonly id: number) {
    super(`No customer ${id}`);
  }
}

/** A merge that cannot be: a customer into itself, or one already merged away. */
export class MergeRefusedError extends Error {}

/** The profile fields staff change (PATCH /api/customers/:id). */
export interface ProfileChange {
  name?: string;
  birthday?: string | null;
  marketingConsent?: boolean;
  tags?: string[];
  notes?: string | null;
}

/** Changes a profile and records who changed what, from what, in one transaction. Undefined: no such customer. */
export async function changeProfile(db: Db, id: number, change: ProfileChange, actor: string) {
  return db.$transaction(async (tx) => {
    await lockCustomers(tx, [id]);
    const before = await tx.customer.findUnique({ where: { id } });
    if (!before || before.mergedIntoId !== null || before.erasedAt) return undefined;
    const fields = Object.keys(change) as (keyof ProfileChange)[];
    const changed = fields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(change[f]));
    const after = await tx.customer.update({ where: { id }, data: change });
    if (changed.length) {
      await tx.customerEvent.create({
        data: {
          customerId: id,
          action: 'PROFILE_CHANGED',
          actor,
          details: {
            before: Object.fromEntries(changed.map((f) => [f, before[f]])),
            after: Object.fromEntries(changed.map((f) => [f, after[f]])),
          },
        },
      });
    }
    return after;
  });
}

/**
 * Merges customer `fromId` into `intoId` (staff found them to be one person): its orders, addresses and feedback
 * move over, the kept record takes what it lacked (domain/customers.ts mergedProfile), and the merged-away record
 * keeps its name, no keys, and where it went. Both records say who merged them, in one transaction.
 */
export async function mergeCustomers(db: Db, intoId: number, fromId: number, actor: string): Promise<void> {
  if (intoId === fromId) throw new MergeRefusedError('A customer cannot be merged into itself');
  await db.$transaction(async (tx) => {
    await lockCustomers(tx, [intoId, fromId]);
    const into = await tx.customer.findUnique({ where: { id: intoId } });
    const from = await tx.customer.findUnique({ where: { id: fromId } });
    if (!into) throw new CustomerNotFoundError(intoId);
    if (!from) throw new CustomerNotFoundError(fromId);
    for (const c of [into, from]) {
      if (c.mergedIntoId !== null) throw new MergeRefusedError(`Customer ${c.id} was merged into ${c.mergedIntoId}`);
      if (c.erasedAt) throw new MergeRefusedError(`Customer ${c.id}'s personal data was erased`);
    }
    const profile = (c: typeof into) => ({ ...c, tags: Array.isArray(c.tags) ? (c.tags as string[]) : [] });
    const merged = mergedProfile(profile(into), profile(from));
    // The keys are unique: the merged-away record lets go of them before the kept one takes them.
    await tx.customer.update({
      where: { id: fromId },
      data: { mobile: null, email: null, mergedIntoId: intoId },
      select: { id: true },
    });
    await tx.customer.update({
      where: { id: intoId },
      data: { ...merged, otherPhone: into.otherPhone ?? from.otherPhone },
      select: { id: true },
    });
    const moved = await tx.order.updateMany({ where: { customerId: fromId }, data: { customerId: intoId } });
    await tx.customerFeedback.updateMany({ where: { customerId: fromId }, data: { customerId: intoId } });
    await tx.repairTicket.updateMany({ where: { customerId: fromId }, data: { customerId: intoId } });
    const keptKeys = new Set(
      (await tx.customerAddress.findMany({ where: { customerId: intoId }, select: { key: true } })).map((a) => a.key),
    );
    for (const address of await tx.customerAddress.findMany({ where: { customerId: fromId } })) {
      if (keptKeys.has(address.key)) await tx.customerAddress.delete({ where: { id: address.id } });
      else await tx.customerAddress.update({ where: { id: address.id }, data: { customerId: intoId } });
    }
    const points = from.pointsBalance;
    if (points > 0) {
      // The points go along; they lapse when the last of the merged-away customer's would have.
      const lastLapse = await tx.pointsMovement.aggregate({
        where: { customerId: fromId, points: { gt: 0 } },
        _max: { expiresAt: true },
      });
      const move = { points, actor, reason: `Merged customer ${fromId} into ${intoId}` };
      await applyPoints(tx, {
        ...move,
        key: `merge:${fromId}:away`,
        customerId: fromId,
        kind: 'MERGED_AWAY',
        points: -points,
      });
      await applyPoints(tx, {
        ...move,
        key: `merge:${fromId}:in`,
        customerId: intoId,
        kind: 'MERGED_IN',
        expiresAt: lastLapse._max.expiresAt ?? undefined,
      });
    }
    const details = { into: intoId, from: fromId, fromName: from.name, orders: moved.count, points };
    await tx.customerEvent.createMany({
      data: [
        { customerId: intoId, action: 'MERGED_IN', actor, details },
        { customerId: fromId, action: 'MERGED_AWAY', actor, details },
      ],
    });
  });
}

/** Records a complaint, praise or remark; an order it names must be this customer's. */
export async function addFeedback(
  db: Db,
  customerId: number,
  feedback: { kind: FeedbackKind; text: string; orderNumber?: string },
  actor: string,
) {
  const customer = await db.customer.findUnique({ where: { id: customerId }, select: { id: true } });
  if (!customer) throw new CustomerNotFoundError(customerId);
  if (feedback.orderNumber) {
    const order = await db.order.findUnique({
      where: { orderNumber: feedback.orderNumber },
      select: { customerId: true },
    });
    if (order?.customerId !== customerId) throw new ForeignOrderError(feedback.orderNumber);
  }
  return db.customerFeedback.create({ data: { customerId, ...feedback, actor } });
}

/** Feedback naming an order that is not the customer's (or no order at all). */
export class ForeignOrderError extends Error {
  constructor(readonly orderNumber: string) {
    super(`Order ${orderNumber} is not this customer's`);
  }
}

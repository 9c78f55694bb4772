/**
 * The staff's order list and the day's figures behind the console's Today screen: filters that match what the
 * screens offer (status, channel, location, open delay warning, delivery exception, date, search), newest first,
 * paged by a cursor (the last order number of a page), with the total the filters match.
 */
import type { Db, Prisma } from '../db/client';
import { ORDER_STATUSES, WAITING_STAGES, type OrderStatus, type WaitingStage } from '../domain/order-status';

export interface OrderListFilters {
  status?: OrderStatus;
  channel?: string;
  /** A location's id: orders picked there or collected there. */
  locationId?: number;
  /** A location's id: orders with stock still reserved there, i.e. waiting to be picked there. */
  reservedAtId?: number;
  /** Orders with an open delay warning (in this stage, or any). */
  warning?: WaitingStage | 'any';
  /** Orders with an open delivery exception (a shipment the carrier could not deliver, not yet resolved). */
  exception?: boolean;
  from?: Date;
  to?: Date;
  /** Order number, external id, customer name, email or phone; `%`, `_` and `\` match themselves. */
  q?: string;
  /** Whether `q` also searches emails and phones (not for a role that may not see them: domain/customer-privacy.ts). */
  searchContacts?: boolean;
}

/**
 * A search with a LIKE wildcard in it (`%`, `_`, or PostgreSQL's escape `\`) is matched literally. Prisma's
 * `contains` passes them on as wildcards (it escapes nothing, and SQLite's LIKE has no escape character unless the
 * query names one), so those searches find their order ids in SQL with `ESCAPE`, the newest first, at most this many.
 */
const LITERAL_SEARCH_LIMIT = 5_000;
const LIKE_SPECIAL = /[\\%_]/g;

export const likePatternFor = (q: string): string => `%${q.replace(LIKE_SPECIAL, '\\$&')}%`;

async function literalMatches(db: Db, q: string, contacts: boolean): Promise<number[]> {
  const pattern = likePatternFor(q);
  const rows = await db.$queryRaw<{ id: number | bigint }[]>`
    SELECT "id" FROM "Order"
    WHERE "orderNumber" LIKE ${pattern} ESCAPE '\\' OR "externalId" LIKE ${pattern} ESCAPE '\\'
      OR "customerName" LIKE ${pattern} ESCAPE '\\'
      OR (CAST(${contacts ? 1 : 0} AS INTEGER) = 1
        AND ("customerEmail" LIKE ${pattern} ESCAPE '\\' OR "customerPhone" LIKE ${pattern} ESCAPE '\\'))
    ORDER BY "id" DESC LIMIT ${LITERAL_SEARCH_LIMIT}`;
  return rows.map((r) => Number(r.id));
}

async function searchOf(db: Db, q: string, contacts: boolean): Promise<Prisma.OrderWhereInput> {
  if (new RegExp(LIKE_SPECIAL.source).test(q)) return { id: { in: await literalMatches(db, q, contacts) } };
  const fields = contacts
    ? (['orderNumber', 'externalId', 'customerName', 'customerEmail', 'customerPhone'] as const)
    : (['orderNumber', 'externalId', 'customerName'] as const);
  return { OR: fields.map((field) => ({ [field]: { contains: q } })) };
}

const ORDER_ROW = {
  orderNumber: true,
  channel: true,
  externalId: true,
  status: true,
  customerName: true,
  customerPhone: true,
  totalMinor: true,
  currency: true,
  fulfilment: true,
  urgent: true,
  createdAt: true,
} satisfies Prisma.OrderSelect;

/** Open warnings name their order: the orders with one of `kind` (in `stage`, or any). */
async function ordersWarned(db: Db, kind: 'DELAY' | 'EXCEPTION', stage: WaitingStage | 'any'): Promise<string[]> {
  const warnings = await db.warning.findMany({
    where: { kind, openKey: { not: null }, orderNumber: { not: null }, ...(stage === 'any' ? {} : { stage }) },
    select: { orderNumber: true },
  });
  return [...new Set(warnings.map((w) => w.orderNumber as string))];
}

async function whereOf(db: Db, filters: OrderListFilters): Promise<Prisma.OrderWhereInput> {
  const and: Prisma.OrderWhereInput[] = [];
  if (filters.status) and.push({ status: filters.status });
  if (filters.channel) and.push({ channel: filters.channel });
  if (filters.locationId !== undefined) {
    const at = filters.locationId;
    and.push({ OR: [{ pickupLocationId: at }, { allocations: { some: { locationId: at } } }] });
  }
  if (filters.reservedAtId !== undefined) {
    and.push({ allocations: { some: { locationId: filters.reservedAtId, status: 'RESERVED' } } });
  }
  if (filters.warning) and.push({ orderNumber: { in: await ordersWarned(db, 'DELAY', filters.warning) } });
  if (filters.exception) and.push({ orderNumber: { in: await ordersWarned(db, 'EXCEPTION', 'any') } });
  if (filters.from || filters.to) and.push({ createdAt: { gte: filters.from, lt: filters.to } });
  if (filters.q) and.push(await searchOf(db, filters.q, filters.searchContacts ?? true));
  return { AND: and };
}

export interface OrderPage {
  orders: Prisma.OrderGetPayload<{ select: typeof ORDER_ROW }>[];
  /** How many orders the filters match, on every page. */
  total: number;
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

export async function listOrders(
  db: Db,
  filters: OrderListFilters,
  page: { limit: number; cursor?: string },
): Promise<OrderPage> {
  const where = await whereOf(db, filters);
  const [rows, total] = await Promise.all([
    db.order.findMany({
      where,
      orderBy: { id: 'desc' },
      // One more than asked: whether there is a next page.
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { orderNumber: page.cursor }, skip: 1 } : {}),
      select: ORDER_ROW,
    }),
    db.order.count({ where }),
  ]);
  const orders = rows.slice(0, page.limit);
  return { orders, total, nextCursor: rows.length > page.limit ? orders[orders.length - 1].orderNumber : null };
}

/** Orders cancelled or rejected are not sales. */
const NOT_SALES: OrderStatus[] = ['CANCELLED', 'REJECTED'];

export interface DaySummary {
  byStatus: Record<OrderStatus, number>;
  /** Orders taken since `since` (the start of the shop's day), and what they sold for (fen). */
  since: { orders: number; salesMinor: number };
  /** Open delay warnings by waiting stage. */
  delays: Record<WaitingStage, number>;
  lowStock: number;
  /** Open delivery exceptions (one per shipment). */
  deliveryExceptions: number;
}

export async function daySummary(db: Db, since: Date): Promise<DaySummary> {
  const [statuses, taken, sold, delays, lowStock, deliveryExceptions] = await Promise.all([
    db.order.groupBy({ by: ['status'], _count: { _all: true } }),
    db.order.count({ where: { createdAt: { gte: since } } }),
    db.order.aggregate({
      where: { createdAt: { gte: since }, status: { notIn: NOT_SALES } },
      _sum: { totalMinor: true },
    }),
    db.warning.groupBy({
      by: ['stage'],
      where: { kind: 'DELAY', openKey: { not: null } },
      _count: { _all: true },
    }),
    db.warning.count({ where: { kind: 'LOW_STOCK', openKey: { not: null } } }),
    db.warning.count({ where: { kind: 'EXCEPTION', openKey: { not: null } } }),
  ]);
  const byStatus = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
  for (const row of statuses) byStatus[row.status as OrderStatus] = row._count._all;
  const delayCounts = Object.fromEntries(WAITING_STAGES.map((s) => [s, 0])) as Record<WaitingStage, number>;
  for (const row of delays) if (row.stage) delayCounts[row.stage as WaitingStage] = row._count._all;
  return {
    byStatus,
    since: { orders: taken, salesMinor: sold._sum.totalMinor ?? 0 },
    delays: delayCounts,
    lowStock,
    deliveryExceptions,
  };
}

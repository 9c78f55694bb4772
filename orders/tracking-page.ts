/**
 * The customer's tracking page: each order has an unguessable token (144 random bits, URL-safe), the only key to it;
 * an order stored before tokens existed gets one the first time an email links to it.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/client';

export const TRACKING_TOKEN_PATTERN = /^[A-Za-z0-9_-]{24}$/;

export function newTrackingToken(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/** The order's token, made now if it has none (two emails at once agree: the second reads the first's). */
export async function trackingTokenFor(db: Db, orderNumber: string): Promise<string> {
  const order = await db.order.findUniqueOrThrow({ where: { orderNumber }, select: { trackingToken: true } });
  if (order.trackingToken) return order.trackingToken;
  await db.order.updateMany({
    where: { orderNumber, trackingToken: null },
    data: { trackingToken: newTrackingToken() },
  });
  return (await db.order.findUniqueOrThrow({ where: { orderNumber }, select: { trackingToken: true } })).trackingToken!;
}

/** The order a token opens, with what its page shows; undefined for a token that opens none. */
export async function orderForToken(db: Db, token: string) {
  if (!TRACKING_TOKEN_PATTERN.test(token)) return undefined;
  return (
    (await db.order.findUnique({
      where: { trackingToken: token },
      include: {
        lines: { orderBy: { lineNo: 'asc' } },
        shipments: { orderBy: { seq: 'asc' }, include: { events: { orderBy: { occurredAt: 'asc' } } } },
        returns: { orderBy: { createdAt: 'asc' } },
        refunds: true,
      },
    })) ?? undefined
  );
}

/** The repair ticket a token opens, with its steps; undefined for a token that opens none. */
export async function repairForToken(db: Db, token: string) {
  if (!TRACKING_TOKEN_PATTERN.test(token)) return undefined;
  return (
    (await db.repairTicket.findUnique({
      where: { trackingToken: token },
      include: { events: { orderBy: { id: 'asc' }, select: { status: true, at: true } } },
    })) ?? undefined
  );
}

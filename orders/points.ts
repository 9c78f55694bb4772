/**
 * The points ledger (积分), like the stock ledger: every change of a customer's points is one movement under a key
 * that says what it is for (`earn:<order>`, `redeem:<order>`, …), applied once; the balance on the customer's row
 * is the sum of its movements and never goes below 0 (a debit beyond it is refused, and a CHECK constraint stands
 * behind that). `checkPoints` recomputes every balance from the movements.
 */
import type { Db, Tx } from '../db/client';
import { pointsToExpire } from '../domain/loyalty';
import { lockCustomers } from './customer-lock';

export type PointsKind =
  'EARN' | 'TAKE_BACK' | 'REDEEM' | 'REDEEM_RETURNED' | 'EXPIRE' | 'MERGED_IN' | 'MERGED_AWAY' | 'ADJUST';

export interface PointsMove {
  key: string;
  customerId: number;
  kind: PointsKind;
  /** Signed: above 0 a credit, below a debit. */
  points: number;
  orderNumber?: string;
  moneyMinor?: number;
  expiresAt?: Date;
  actor: string;
  reason?: string;
}

/** A debit the balance does not cover: nothing was written. */
export class InsufficientPointsError extends Error {
  constructor(
    readonly customerId: number,
    readonly balance: number,
    readonly asked: number,
  ) {
    super(`Customer ${customerId} has ${balance} points, fewer than the ${asked} asked for`);
  }
}

export interface PointsResult {
  applied: boolean;
  /** The points actually moved (a partial debit may move fewer than asked). */
  points: number;
  balanceAfter: number;
}

/**
 * Applies one movement inside the caller's transaction, once per key. The customer's row is written first: on
 * PostgreSQL that row lock puts concurrent movements of one customer in a line, on SQLite it takes the write lock.
 * A debit beyond the balance throws InsufficientPointsError, or with `partial` takes what is there (a refund taking
 * back points the customer has already spent: the rest is gone, and the movement's reason says so).
 */
export async function applyPoints(
  tx: Tx,
  move: PointsMove,
  options: { partial?: boolean } = {},
): Promise<PointsResult> {
  await lockCustomers(tx, [move.customerId]);
  const done = await tx.pointsMovement.findUnique({ where: { key: move.key } });
  const customer = await tx.customer.findUniqueOrThrow({
    where: { id: move.customerId },
    select: { pointsBalance: true },
  });
  if (done) return { applied: false, points: done.points, balanceAfter: customer.pointsBalance };
  let points = move.points;
  let reason = move.reason;
  if (customer.pointsBalance + points < 0) {
    if (!options.partial) throw new InsufficientPointsError(move.customerId, customer.pointsBalance, -points);
    reason = `${reason ? `${reason}; ` : ''}${-points - customer.pointsBalance} of ${-points} points were already spent`;
    points = -customer.pointsBalance;
  }
  const balanceAfter = customer.pointsBalance + points;
  await tx.customer.update({
    where: { id: move.customerId },
    data: { pointsBalance: balanceAfter },
    select: { id: true },
  });
  await tx.pointsMovement.create({
    data: {
      key: move.key,
      customerId: move.customerId,
      kind: move.kind,
      points,
      balanceAfter,
      orderNumber: move.orderNumber,
      moneyMinor: move.moneyMinor,
      expiresAt: move.expiresAt,
      actor: move.actor,
      reason,
    },
  });
  return { applied: true, points, balanceAfter };
}

/** One movement in its own transaction; a concurrent twin with the same key loses to the unique key and reads back. */
export async function movePoints(db: Db, move: PointsMove, options: { partial?: boolean } = {}): Promise<PointsResult> {
  try {
    return await db.$transaction((tx) => applyPoints(tx, move, options));
  } catch (err) {
    if ((err as { code?: string }).code !== 'P2002') throw err;
    const done = await db.pointsMovement.findUniqueOrThrow({ where: { key: move.key } });
    return { applied: false, points: done.points, balanceAfter: done.balanceAfter };
  }
}

/**
 * Lapses the points due by `now` (domain/loyalty.ts pointsToExpire), for every customer with a credit that has reached
 * its expiry and not been looked at: one EXPIRE movement each, and those credits marked as looked at, together.
 * Answers how many points lapsed in all.
 */
export async function expireDuePoints(db: Db, now: Date = new Date()): Promise<number> {
  const due = await db.pointsMovement.findMany({
    where: { lapseChecked: false, expiresAt: { lte: now } },
    select: { customerId: true },
    distinct: ['customerId'],
    take: 500,
  });
  let lapsed = 0;
  for (const { customerId } of due) {
    lapsed += await db.$transaction(async (tx) => {
      await lockCustomers(tx, [customerId]);
      const movements = await tx.pointsMovement.findMany({
        where: { customerId },
        select: { id: true, points: true, expiresAt: true, lapseChecked: true },
      });
      const reached = movements.filter((m) => !m.lapseChecked && m.expiresAt && m.expiresAt <= now);
      if (!reached.length) return 0; // another process did it just now
      const points = pointsToExpire(movements, now);
      await tx.pointsMovement.updateMany({
        where: { id: { in: reached.map((m) => m.id) } },
        data: { lapseChecked: true },
      });
      if (points === 0) return 0;
      const lastLot = Math.max(...reached.map((m) => m.id));
      const { points: moved } = await applyPoints(
        tx,
        {
          key: `expire:${customerId}:${lastLot}`,
          customerId,
          kind: 'EXPIRE',
          points: -points,
          actor: 'points expiry',
          reason: 'Points past their expiry date',
        },
        { partial: true },
      );
      return -moved;
    });
  }
  return lapsed;
}

export interface PointsMismatch {
  customerId: number;
  balance: number;
  fromLedger: number;
}

/** Every customer whose balance is not the sum of their movements (an empty list: the ledger holds). */
export async function checkPoints(db: Db): Promise<PointsMismatch[]> {
  const sums = await db.pointsMovement.groupBy({ by: ['customerId'], _sum: { points: true } });
  const fromLedger = new Map(sums.map((s) => [s.customerId, s._sum.points ?? 0]));
  const customers = await db.customer.findMany({ select: { id: true, pointsBalance: true } });
  return customers
    .filter((c) => c.pointsBalance !== (fromLedger.get(c.id) ?? 0))
    .map((c) => ({ customerId: c.id, balance: c.pointsBalance, fromLedger: fromLedger.get(c.id) ?? 0 }));
}

/**
 * Tiers and points as an order goes (the rules are domain/loyalty.ts): the tier is counted and the points earned on
 * delivery, the tier looked at again on completion and after every refund, and a refund takes back its share of the
 * points earned and gives back its share of the points paid with. Every write is keyed, so a retried activity
 * changes nothing twice. Orders without a customer (a walk-in) have none of this.
 */
import type { Db } from '../db/client';
import { NOT_PURCHASES } from '../domain/customers';
import {
  pointsEarned,
  pointsToTakeBack,
  tierByCode,
  tierFor,
  tierSpendMinor,
  type LoyaltyRules,
  type TierRule,
} from '../domain/loyalty';
import { movePoints } from './points';
import { lockCustomers } from './customer-lock';

/** The key of the points a refund gives back of those the order was paid with. */
const redeemReturnedKey = (orderNumber: string, refundKey: string) => `redeem-returned:${orderNumber}:${refundKey}`;

/**
 * Looks at a customer's tier again: their spend over the window decides it. A change is written with a TIER_CHANGED
 * event (from, to, the spend, and why it was looked at), in one transaction that holds the customer's row, so two
 * processes looking at once write one change. Answers the tier the customer is in now.
 */
export async function recomputeTier(
  db: Db,
  customerId: number,
  rules: LoyaltyRules,
  because: string,
  now: Date = new Date(),
): Promise<TierRule> {
  return db.$transaction(async (tx) => {
    await lockCustomers(tx, [customerId]);
    const customer = await tx.customer.findUniqueOrThrow({ where: { id: customerId }, select: { tierCode: true } });
    const orders = await tx.order.findMany({
      where: {
        customerId,
        status: { notIn: [...NOT_PURCHASES] },
        deliveredAt: { gt: new Date(now.getTime() - rules.tierWindowMs) },
      },
      select: { orderNumber: true, totalMinor: true, deliveredAt: true, refunds: { select: { amountMinor: true } } },
    });
    // Points given back on a return are refunded value too: read them with the money.
    const pointsBack = await tx.pointsMovement.aggregate({
      where: { customerId, kind: 'REDEEM_RETURNED', orderNumber: { in: orders.map((o) => o.orderNumber) } },
      _sum: { moneyMinor: true },
    });
    const spendMinor =
      tierSpendMinor(
        orders.map((o) => ({
          totalMinor: o.totalMinor,
          deliveredAt: o.deliveredAt,
          refundedMinor: o.refunds.reduce((sum, r) => sum + r.amountMinor, 0),
        })),
        now,
        rules.tierWindowMs,
      ) - (pointsBack._sum.moneyMinor ?? 0);
    const tier = tierFor(Math.max(0, spendMinor), rules.tiers);
    const before = tierByCode(customer.tierCode, rules.tiers);
    if (tier.code !== customer.tierCode) {
      await tx.customer.update({
        where: { id: customerId },
        data: { tierCode: tier.code, tierSince: now },
        select: { id: true },
      });
      await tx.customerEvent.create({
        data: {
          customerId,
          action: 'TIER_CHANGED',
          actor: 'loyalty',
          details: { from: before.code, to: tier.code, fromName: before.name, toName: tier.name, spendMinor, because },
          at: now,
        },
      });
    }
    return tier;
  });
}

/** The order's goods reached the customer: the tier is counted with it, then the order earns points at that tier. */
export async function settleDelivered(db: Db, orderNumber: string, rules: LoyaltyRules): Promise<void> {
  const order = await db.order.findUniqueOrThrow({
    where: { orderNumber },
    select: { customerId: true, totalMinor: true, pointsMinor: true, refunds: { select: { amountMinor: true } } },
  });
  if (order.customerId === null) return;
  const tier = await recomputeTier(db, order.customerId, rules, `order ${orderNumber} delivered`);
  // Earned on the money paid and kept: not the part paid in points, not what was refunded before delivery.
  const paidMinor = order.totalMinor - order.pointsMinor - order.refunds.reduce((sum, r) => sum + r.amountMinor, 0);
  const points = pointsEarned(paidMinor, tier);
  if (points <= 0) return;
  await movePoints(db, {
    key: `earn:${orderNumber}`,
    customerId: order.customerId,
    kind: 'EARN',
    points,
    orderNumber,
    moneyMinor: paidMinor,
    expiresAt: new Date(Date.now() + rules.pointsLifetimeMs),
    actor: 'loyalty',
    reason: `Order ${orderNumber} delivered (${tier.name})`,
  });
}

/** The order completed: older orders may have left the tier window meanwhile. */
export async function settleCompleted(db: Db, orderNumber: string, rules: LoyaltyRules): Promise<void> {
  const order = await db.order.findUniqueOrThrow({ where: { orderNumber }, select: { customerId: true } });
  if (order.customerId !== null) await recomputeTier(db, order.customerId, rules, `order ${orderNumber} completed`);
}

/**
 * Money refunded on the order (under the refund's own key): its share of the points the order earned goes (what the
 * customer has spent of them already cannot, and the movement says so), and the tier is looked at again.
 */
export async function settleRefund(
  db: Db,
  orderNumber: string,
  refundKey: string,
  refundMinor: number,
  rules: LoyaltyRules,
): Promise<void> {
  const order = await db.order.findUniqueOrThrow({ where: { orderNumber }, select: { customerId: true } });
  if (order.customerId === null) return;
  const movements = await db.pointsMovement.findMany({ where: { orderNumber, kind: { in: ['EARN', 'TAKE_BACK'] } } });
  const earn = movements.find((m) => m.kind === 'EARN');
  const key = `take-back:${orderNumber}:${refundKey}`;
  if (earn && refundMinor > 0 && !movements.some((m) => m.key === key)) {
    const refundedBefore = movements
      .filter((m) => m.kind === 'TAKE_BACK')
      .reduce((sum, m) => sum + (m.moneyMinor ?? 0), 0);
    const points = pointsToTakeBack(
      { points: earn.points, paidMinor: earn.moneyMinor ?? 0 },
      refundedBefore,
      refundMinor,
    );
    if (points > 0) {
      await movePoints(
        db,
        {
          key,
          customerId: order.customerId,
          kind: 'TAKE_BACK',
          points: -points,
          orderNumber,
          moneyMinor: refundMinor,
          actor: 'loyalty',
          reason: `Refund on order ${orderNumber}`,
        },
        { partial: true },
      );
    }
  }
  await recomputeTier(db, order.customerId, rules, `refund on order ${orderNumber}`);
}

/** Points the customer paid with come back (a cancellation, or a return's share of them): keyed by what gives them. */
export async function returnRedeemedPoints(
  db: Db,
  orderNumber: string,
  key: string,
  points: number,
  rules: LoyaltyRules,
): Promise<void> {
  if (points <= 0) return;
  const order = await db.order.findUniqueOrThrow({
    where: { orderNumber },
    select: { customerId: true, pointsRedeemed: true, pointsMinor: true },
  });
  if (order.customerId === null || order.pointsRedeemed <= 0) return;
  await movePoints(db, {
    key: redeemReturnedKey(orderNumber, key),
    customerId: order.customerId,
    kind: 'REDEEM_RETURNED',
    points,
    orderNumber,
    // at what the points were worth on this order, whatever a point is worth today
    moneyMinor: Math.round((points * order.pointsMinor) / order.pointsRedeemed),
    expiresAt: new Date(Date.now() + rules.pointsLifetimeMs),
    actor: 'loyalty',
    reason: `Points paid on order ${orderNumber} given back`,
  });
}

/** Points already given back on an order, but for those of the refund `exceptRefundKey` (the one being worked out). */
export async function redeemedPointsReturned(
  db: Db,
  orderNumber: string,
  exceptRefundKey: string,
): Promise<{ points: number; minor: number }> {
  const sum = await db.pointsMovement.aggregate({
    where: { orderNumber, kind: 'REDEEM_RETURNED', key: { not: redeemReturnedKey(orderNumber, exceptRefundKey) } },
    _sum: { points: true, moneyMinor: true },
  });
  return { points: sum._sum.points ?? 0, minor: sum._sum.moneyMinor ?? 0 };
}

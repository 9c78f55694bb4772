/**
 * Membership tiers and points (积分): the shop's rules as plain arithmetic, for the worker, the API and the tests.
 *
 * When things happen, in this lifecycle: an order's points are earned and its tier counted when the goods reach the
 * customer (DELIVERED, the 确认收货 of the marketplaces), because that is when a return, and so a refund, can still
 * take part of them back; the tier is looked at again when the order completes (older orders may have left the
 * window by then) and whenever a refund lands.
 */
import { z } from 'zod';

export interface TierRule {
  /** Stable code, kept on the customer (STANDARD, SILVER, GOLD, VIP). */
  code: string;
  /** What staff and customers read (普通, 银卡, 金卡, VIP). */
  name: string;
  /** Spend over the tier window (fen) from which a customer is in this tier. */
  fromMinor: number;
  /** Points earned per yuan (100 fen) paid in money. */
  pointsPerYuan: number;
  /** A member discount in percent off list price, for pricing (issue 16's engine applies it). */
  discountPercent: number;
  /** Parcels go express whatever the order is worth. */
  express: boolean;
  /** Backordered orders of a higher priority are served first (domain/loyalty.ts backorderQueue). */
  backorderPriority: number;
}

export const tierRuleSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{0,19}$/, 'a code such as GOLD: capitals, digits and _'),
  name: z.string().min(1).max(20),
  fromMinor: z.number().int().min(0),
  pointsPerYuan: z.number().min(0).max(100),
  discountPercent: z.number().min(0).max(100),
  express: z.boolean(),
  backorderPriority: z.number().int().min(0).max(10),
});

/** A tier list: the first starts at 0, thresholds rise, codes are unique. */
export const tierRulesSchema = z
  .array(tierRuleSchema)
  .min(1)
  .superRefine((tiers, ctx) => {
    if (tiers[0] && tiers[0].fromMinor !== 0) {
      ctx.addIssue({ code: 'custom', path: [0, 'fromMinor'], message: 'the first tier starts at 0' });
    }
    tiers.forEach((tier, i) => {
      if (i > 0 && tier.fromMinor <= tiers[i - 1].fromMinor) {
        ctx.addIssue({ code: 'custom', path: [i, 'fromMinor'], message: 'each tier starts above the one before' });
      }
      if (tiers.findIndex((t) => t.code === tier.code) !== i) {
        ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `tier code ${tier.code} is given twice` });
      }
    });
  });

export const DEFAULT_TIERS: readonly TierRule[] = [
  {
    code: 'STANDARD',
    name: '普通',
    fromMinor: 0,
    pointsPerYuan: 1,
    discountPercent: 0,
    express: false,
    backorderPriority: 0,
  },
  {
    code: 'SILVER',
    name: '银卡',
    fromMinor: 100_000,
    pointsPerYuan: 1,
    discountPercent: 2,
    express: false,
    backorderPriority: 0,
  },
  {
    code: 'GOLD',
    name: '金卡',
    fromMinor: 300_000,
    pointsPerYuan: 1.5,
    discountPercent: 5,
    express: true,
    backorderPriority: 1,
  },
  {
    code: 'VIP',
    name: 'VIP',
    fromMinor: 800_000,
    pointsPerYuan: 2,
    discountPercent: 8,
    express: true,
    backorderPriority: 2,
  },
];

export interface LoyaltyRules {
  tiers: readonly TierRule[];
  /** How far back spend counts for the tier (ms; 12 months by default). */
  tierWindowMs: number;
  /** How long earned points stay (ms). */
  pointsLifetimeMs: number;
  /** What one point is worth at the till (fen). */
  pointValueMinor: number;
}

/** The tier for a spend: the highest whose threshold it reaches. */
export function tierFor(spendMinor: number, tiers: readonly TierRule[]): TierRule {
  let found = tiers[0];
  for (const tier of tiers) if (spendMinor >= tier.fromMinor) found = tier;
  return found;
}

/** A customer's tier rule by code; a code no longer configured counts as the lowest tier. */
export function tierByCode(code: string | null | undefined, tiers: readonly TierRule[]): TierRule {
  return tiers.find((t) => t.code === code) ?? tiers[0];
}

/** One order's part in the tier: what it cost, less what was paid back; only delivered orders count. */
export interface SpendRecord {
  totalMinor: number;
  refundedMinor: number;
  deliveredAt: Date | null;
}

/** Spend within the window ending at `now`: delivered orders, net of refunds, never below 0 per order. */
export function tierSpendMinor(orders: readonly SpendRecord[], now: Date, windowMs: number): number {
  const from = now.getTime() - windowMs;
  return orders
    .filter((o) => o.deliveredAt && o.deliveredAt.getTime() > from)
    .reduce((sum, o) => sum + Math.max(0, o.totalMinor - o.refundedMinor), 0);
}

/** Points an order earns: whole points for the money paid (not the points spent on it), at the tier's rate. */
export function pointsEarned(paidMinor: number, tier: TierRule): number {
  return Math.floor((Math.max(0, paidMinor) / 100) * tier.pointsPerYuan + 1e-9);
}

/**
 * How many of an order's points a refund takes back, given what was refunded of its paid money before (cumulative,
 * so several partial refunds add up to exactly the points earned when everything is refunded).
 */
export function pointsToTakeBack(
  earned: { points: number; paidMinor: number },
  refundedBeforeMinor: number,
  refundMinor: number,
): number {
  if (earned.points <= 0 || earned.paidMinor <= 0) return 0;
  const dueAfter = (refunded: number) =>
    Math.round((earned.points * Math.min(refunded, earned.paidMinor)) / earned.paidMinor);
  return dueAfter(refundedBeforeMinor + refundMinor) - dueAfter(refundedBeforeMinor);
}

/**
 * Of a refund of returned goods worth `valueMinor`, the part the customer paid in points comes back as points, the
 * rest as money. Cumulative over the order's returns, like pointsToTakeBack.
 */
export function splitReturnRefund(
  order: { totalMinor: number; pointsRedeemed: number; pointsMinor: number },
  returnedBeforeMinor: number,
  valueMinor: number,
): { points: number; moneyMinor: number } {
  if (order.pointsRedeemed <= 0 || order.totalMinor <= 0) return { points: 0, moneyMinor: valueMinor };
  const back = (returned: number) =>
    Math.round((order.pointsRedeemed * Math.min(returned, order.totalMinor)) / order.totalMinor);
  const points = back(returnedBeforeMinor + valueMinor) - back(returnedBeforeMinor);
  const pointValue = order.pointsMinor / order.pointsRedeemed;
  return { points, moneyMinor: Math.max(0, valueMinor - Math.round(points * pointValue)) };
}

/** A points movement as expiry sees it. */
export interface PointsMovementRecord {
  points: number;
  /** For credits: when they lapse (null: never). */
  expiresAt: Date | null;
}

/**
 * Points that have lapsed by `now` and are still on the balance. Spending takes the oldest points first, so what
 * lapses is what the credits due by now brought, less everything taken off so far (spent, taken back, lapsed).
 */
export function pointsToExpire(movements: readonly PointsMovementRecord[], now: Date): number {
  const due = movements
    .filter((m) => m.points > 0 && m.expiresAt && m.expiresAt.getTime() <= now.getTime())
    .reduce((sum, m) => sum + m.points, 0);
  const debited = movements.filter((m) => m.points < 0).reduce((sum, m) => sum - m.points, 0);
  return Math.max(0, due - debited);
}

/**
 * The backorder queue's order: a higher tier priority first, then the order that has waited longest. So a VIP's
 * waiting order is served before an ordinary one that waited longer, and within a tier it is first come, first served.
 */
export function backorderQueue<T extends { createdAt: Date; id: number; priority: number }>(
  waiting: readonly T[],
): T[] {
  return [...waiting].sort(
    (a, b) => b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id,
  );
}

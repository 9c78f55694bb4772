/**
 * Promotions and coupons in the database, and a basket priced from it: the one path the quote (POST
 * /api/pricing/quote) and intake both take, so an order costs what its quote said.
 */
import type { Db, Prisma, Tx } from '../db/client';
import { tierByCode, type TierRule } from '../domain/loyalty';
import type { SalesChannel } from '../domain/order-status';
import type { PricingRecord } from '../domain/paid-prices';
import { quoteBasket, type CatalogueEntry, type Quote } from '../domain/pricing';
import type { Promotion, PromotionInput } from '../domain/promotions';
import { availableOf } from '../domain/stock';

type PromotionRow = Prisma.PromotionGetPayload<object>;

/** What a promotion row holds beyond its columns (Promotion.definition). */
type Definition = Pick<PromotionInput, 'rule' | 'channels' | 'locations' | 'tiers' | 'hours'>;

export function promotionOf(row: PromotionRow): Promotion {
  const definition = row.definition as unknown as Definition;
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    rule: definition.rule,
    channels: definition.channels,
    locations: definition.locations,
    tiers: definition.tiers,
    hours: definition.hours,
    startsAt: row.startsAt,
    // Ended by hand: over from then on.
    endsAt: row.endedAt && (!row.endsAt || row.endedAt < row.endsAt) ? row.endedAt : row.endsAt,
    couponRequired: row.couponRequired,
    exclusive: row.exclusive,
    priority: row.priority,
  };
}

/** The columns of a promotion as a manager gave it. */
export function promotionColumns(input: PromotionInput) {
  const { rule, channels, locations, tiers, hours } = input;
  return {
    code: input.code,
    name: input.name,
    kind: rule.kind,
    definition: { rule, channels, locations, tiers, hours } as unknown as Prisma.InputJsonValue,
    startsAt: input.startsAt ?? null,
    endsAt: input.endsAt ?? null,
    couponRequired: input.couponRequired,
    exclusive: input.exclusive,
    priority: input.priority,
  };
}

/** Promotions running at `at` (not ended, within their dates); their hours and conditions are the engine's to judge. */
export async function runningPromotions(db: Db | Tx, at: Date): Promise<Promotion[]> {
  const rows = await db.promotion.findMany({
    where: {
      endedAt: null,
      AND: [
        { OR: [{ startsAt: null }, { startsAt: { lte: at } }] },
        { OR: [{ endsAt: null }, { endsAt: { gt: at } }] },
      ],
    },
  });
  return rows.map(promotionOf);
}

/** A coupon code that cannot be used on this order, and why (the order is refused with it: 422). */
export class CouponRefusedError extends Error {
  constructor(
    readonly code: string,
    readonly reason: 'UNKNOWN' | 'EXPIRED' | 'NOT_YOURS' | 'USED_UP' | 'NOT_APPLICABLE',
    message: string,
  ) {
    super(message);
  }
}

export interface UsableCoupon {
  id: number;
  code: string;
  promotionId: number;
  maxUses: number | null;
  perCustomer: number | null;
}

/**
 * The coupons behind `codes`, each checked for this order: it exists, its promotion runs, it has not expired, it is
 * this customer's (a personal one), and (as far as can be seen before the order's transaction) it has uses left.
 * The uses themselves are taken in the order's transaction (redeemCoupons), where a limit holds under any load.
 */
export async function usableCoupons(
  db: Db,
  codes: readonly string[],
  customerId: number | null,
  at: Date,
): Promise<UsableCoupon[]> {
  const wanted = [...new Set(codes.map((c) => c.trim().toUpperCase()))];
  if (wanted.length === 0) return [];
  const rows = await db.coupon.findMany({ where: { code: { in: wanted } }, include: { promotion: true } });
  return wanted.map((code) => {
    const row = rows.find((r) => r.code === code);
    if (!row) throw new CouponRefusedError(code, 'UNKNOWN', `No coupon ${code}`);
    const promotion = promotionOf(row.promotion);
    const over =
      (row.expiresAt && row.expiresAt <= at) ||
      (promotion.endsAt && promotion.endsAt <= at) ||
      (promotion.startsAt && promotion.startsAt > at);
    if (over) throw new CouponRefusedError(code, 'EXPIRED', `Coupon ${code} is not valid now`);
    if (row.customerId !== null && row.customerId !== customerId) {
      throw new CouponRefusedError(code, 'NOT_YOURS', `Coupon ${code} belongs to another customer`);
    }
    if (row.maxUses !== null && row.used >= row.maxUses) {
      throw new CouponRefusedError(code, 'USED_UP', `Coupon ${code} has been used as often as it may be`);
    }
    return { id: row.id, code, promotionId: row.promotionId, maxUses: row.maxUses, perCustomer: row.perCustomer };
  });
}

/**
 * Takes one use of each coupon for the order, inside its transaction, or throws CouponRefusedError (USED_UP) and the
 * whole order is rolled back. The conditional increment is the count: PostgreSQL locks the coupon's row until the
 * order commits and SQLite has one writer, so concurrent orders take turns and a limit of 5 gives exactly 5. The
 * per-customer count is read after that lock, so it sees every order that took a use before.
 */
export async function redeemCoupons(
  tx: Tx,
  coupons: readonly UsableCoupon[],
  orderNumber: string,
  customerId: number | null,
): Promise<void> {
  for (const coupon of [...coupons].sort((a, b) => a.id - b.id)) {
    const taken = await tx.$executeRaw`
      UPDATE "Coupon" SET "used" = "used" + 1
      WHERE "id" = ${coupon.id} AND ("maxUses" IS NULL OR "used" < "maxUses")`;
    if (taken !== 1) {
      throw new CouponRefusedError(coupon.code, 'USED_UP', `Coupon ${coupon.code} has been used as often as it may be`);
    }
    if (coupon.perCustomer !== null) {
      if (customerId === null) {
        throw new CouponRefusedError(
          coupon.code,
          'NOT_YOURS',
          `Coupon ${coupon.code} is limited per customer: the order must name one (mobile number or email)`,
        );
      }
      const held = await tx.couponRedemption.count({
        where: { couponId: coupon.id, customerId, releasedAt: null },
      });
      if (held >= coupon.perCustomer) {
        throw new CouponRefusedError(
          coupon.code,
          'USED_UP',
          `Coupon ${coupon.code} may be used ${coupon.perCustomer} time(s) per customer`,
        );
      }
    }
    await tx.couponRedemption.create({ data: { couponId: coupon.id, orderNumber, customerId } });
  }
}

/** Gives a cancelled or rejected order's coupon uses back, once (a repeat finds them released). */
export async function releaseCoupons(db: Db, orderNumber: string): Promise<number> {
  const held = await db.couponRedemption.findMany({ where: { orderNumber, releasedAt: null } });
  let released = 0;
  for (const redemption of held) {
    await db.$transaction(async (tx) => {
      const marked = await tx.couponRedemption.updateMany({
        where: { id: redemption.id, releasedAt: null },
        data: { releasedAt: new Date() },
      });
      if (marked.count !== 1) return;
      await tx.$executeRaw`UPDATE "Coupon" SET "used" = "used" - 1 WHERE "id" = ${redemption.couponId} AND "used" > 0`;
      released += 1;
    });
  }
  return released;
}

export interface BasketToPrice {
  lines: readonly { sku: string; quantity: number }[];
  channel: SalesChannel;
  /** The store's location code (a till sale, a pickup). */
  location?: string;
  customerId: number | null;
  couponCodes?: readonly string[];
  points?: number;
  at: Date;
  /** A promotion being set up, priced as if it ran (replacing the one of its code): the editor's live quote. */
  draft?: PromotionInput;
}

/** The id a draft promotion is priced under: no stored promotion has it. */
const DRAFT_ID = -1;

export interface PricedBasket {
  quote: Quote;
  coupons: UsableCoupon[];
  /** Kept with the order (Order.pricing) when a promotion applied. */
  record: PricingRecord | null;
  tier?: TierRule;
}

export class UnknownSkusError extends Error {
  constructor(readonly skus: string[]) {
    super(`Unknown SKU(s): ${skus.join(', ')}`);
  }
}

interface PricingSettings {
  timeZone: string;
  loyalty?: { tiers: readonly TierRule[]; pointValueMinor: number };
}

/**
 * Prices a basket as an order would be: the catalogue's prices, the customer's tier, the running promotions and the
 * coupons given (refused with CouponRefusedError when one does not exist, is not valid, or takes nothing off).
 */
export async function priceBasket(db: Db, settings: PricingSettings, basket: BasketToPrice): Promise<PricedBasket> {
  const [running, customer] = await Promise.all([
    runningPromotions(db, basket.at),
    basket.customerId === null
      ? null
      : db.customer.findUnique({ where: { id: basket.customerId }, select: { tierCode: true } }),
  ]);
  const draft = basket.draft && draftPromotion(basket.draft);
  const promotions = draft ? [...running.filter((p) => p.code !== draft.code), draft] : running;
  const giftSkus = promotions.flatMap((p) => (p.rule.kind === 'THRESHOLD_GIFT' ? [p.rule.giftSku] : []));
  const skus = [...new Set([...basket.lines.map((l) => l.sku), ...giftSkus])];
  const variants = await db.productVariant.findMany({
    where: { sku: { in: skus } },
    select: { sku: true, priceMinor: true, product: { select: { code: true, category: true } } },
  });
  const catalogue = new Map<string, CatalogueEntry>(
    variants.map((v) => [v.sku, { priceMinor: v.priceMinor, product: v.product.code, category: v.product.category }]),
  );
  const unknown = [...new Set(basket.lines.map((l) => l.sku))].filter((sku) => !catalogue.has(sku));
  if (unknown.length > 0) throw new UnknownSkusError(unknown);

  const coupons = await usableCoupons(db, basket.couponCodes ?? [], basket.customerId, basket.at);
  const tiers = settings.loyalty?.tiers;
  const tier = customer && tiers ? tierByCode(customer.tierCode, tiers) : undefined;
  const giftStock = await giftsInStock(db, giftSkus);
  const quote = quoteBasket({
    lines: basket.lines,
    catalogue,
    promotions,
    channel: basket.channel,
    location: basket.location,
    tier: tier && { code: tier.code, name: tier.name, discountPercent: tier.discountPercent },
    couponPromotionIds: new Set([...coupons.map((c) => c.promotionId), ...(draft ? [DRAFT_ID] : [])]),
    at: basket.at,
    timeZone: settings.timeZone,
    giftAvailable: (sku, quantity) => (giftStock.get(sku) ?? 0) >= quantity,
    points: basket.points
      ? { points: basket.points, pointValueMinor: settings.loyalty?.pointValueMinor ?? 1 }
      : undefined,
  });
  const appliedIds = new Set(quote.applied.map((a) => a.promotionId));
  for (const coupon of coupons) {
    if (appliedIds.has(coupon.promotionId)) continue;
    const why = quote.notApplied.find((n) => n.promotionId === coupon.promotionId);
    throw new CouponRefusedError(
      coupon.code,
      'NOT_APPLICABLE',
      why?.reason === 'BELOW_THRESHOLD'
        ? `Coupon ${coupon.code} needs ${why.missingMinor} fen more of the goods it covers`
        : `Coupon ${coupon.code} takes nothing off this order${why ? ` (${why.reason})` : ''}`,
    );
  }
  const record: PricingRecord | null =
    quote.applied.length === 0
      ? null
      : {
          at: basket.at.toISOString(),
          timeZone: settings.timeZone,
          channel: basket.channel,
          location: basket.location,
          tier: tier && { code: tier.code, name: tier.name, discountPercent: tier.discountPercent },
          promotions: quote.promotions.map((p) => ({
            ...p,
            startsAt: p.startsAt?.toISOString() ?? null,
            endsAt: p.endsAt?.toISOString() ?? null,
          })),
          goods: Object.fromEntries(
            [...catalogue].map(([sku, e]) => [sku, { product: e.product, category: e.category }]),
          ),
        };
  return { quote, coupons: coupons.filter((c) => appliedIds.has(c.promotionId)), record, tier };
}

/** A promotion as a manager is setting it up, as the engine sees it (its coupon taken as given). */
function draftPromotion(input: PromotionInput): Promotion {
  const { rule, channels, locations, tiers, hours } = input;
  return {
    id: DRAFT_ID,
    code: input.code,
    name: input.name,
    rule,
    channels,
    locations,
    tiers,
    hours,
    startsAt: input.startsAt ?? null,
    endsAt: input.endsAt ?? null,
    couponRequired: input.couponRequired,
    exclusive: input.exclusive,
    priority: input.priority,
  };
}

/** Units of each gift SKU available anywhere now (a gift is added only when there is one to give). */
async function giftsInStock(db: Db, skus: readonly string[]): Promise<Map<string, number>> {
  if (skus.length === 0) return new Map();
  const levels = await db.stockLevel.findMany({ where: { sku: { in: [...new Set(skus)] } } });
  const stock = new Map<string, number>();
  for (const level of levels) stock.set(level.sku, (stock.get(level.sku) ?? 0) + Math.max(0, availableOf(level)));
  return stock;
}

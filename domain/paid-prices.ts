/**
 * Refunds at the price actually paid. A line's units each carry their share of every discount on it (the line's
 * total, spread over its units by cumulative rounding so the units add up to the line exactly). When a return takes
 * the basket below a 满减 or 满赠 threshold, the shop's policy decides:
 * - KEEP: the customer keeps the discount and the gift; the returned units refund their share.
 * - DEDUCT: what the customer keeps is priced again by the order's own promotions (as they were, at the order's
 *   time); a discount it no longer earns, or a kept gift it no longer qualifies for, is taken off the refund.
 */
import { quoteBasket, type CatalogueEntry, type Quote } from './pricing';
import type { Promotion } from './promotions';
import type { SalesChannel } from './order-status';

export const RETURN_DISCOUNT_POLICIES = ['KEEP', 'DEDUCT'] as const;
export type ReturnDiscountPolicy = (typeof RETURN_DISCOUNT_POLICIES)[number];

/** A line of an order as it was paid for. */
export interface PaidLine {
  lineNo: number;
  sku: string;
  /** Units ordered; those no longer the customer's (cancelled, refunded) are the caller's `returnedBefore`. */
  quantity: number;
  unitPriceMinor: number;
  /** What the line cost after every discount. */
  totalMinor: number;
  gift: boolean;
}

/** How an order was priced, kept with it (Order.pricing) so a return is priced by the same rules. */
export interface PricingRecord {
  at: string;
  timeZone: string;
  channel: SalesChannel;
  location?: string;
  tier?: { code: string; name: string; discountPercent: number };
  /** The promotions that applied, as they were then (JSON: dates as ISO strings). */
  promotions: (Omit<Promotion, 'startsAt' | 'endsAt'> & { startsAt?: string | null; endsAt?: string | null })[];
  /** The product and category of each SKU on the order, as the promotions saw them. */
  goods: Record<string, { product: string; category: string }>;
}

/** A stored order line as paid for: all its units, each with its share of the line's discounts. */
export function paidLineOf(line: {
  lineNo: number;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  discountMinor: number;
  gift: boolean;
}): PaidLine {
  const { lineNo, sku, quantity, unitPriceMinor, discountMinor, gift } = line;
  return { lineNo, sku, quantity, unitPriceMinor, totalMinor: quantity * unitPriceMinor - discountMinor, gift };
}

/** What `units` of a line cost: the line's total spread over its units, cumulative so the units add up exactly. */
export function paidForUnits(line: Pick<PaidLine, 'quantity' | 'totalMinor'>, units: number): number {
  if (line.quantity <= 0) return 0;
  return Math.round((line.totalMinor * Math.min(units, line.quantity)) / line.quantity);
}

/** What the returned units cost, each line's share counted on from the units returned before. */
export function returnedShareMinor(
  lines: readonly PaidLine[],
  returnedBefore: ReadonlyMap<number, number>,
  returning: readonly { lineNo: number; quantity: number }[],
): number {
  const byLine = new Map(lines.map((l) => [l.lineNo, l]));
  return returning.reduce((sum, r) => {
    const line = byLine.get(r.lineNo);
    if (!line) throw new Error(`Line ${r.lineNo} is not a line of this order`);
    const before = returnedBefore.get(r.lineNo) ?? 0;
    return sum + paidForUnits(line, before + r.quantity) - paidForUnits(line, before);
  }, 0);
}

/**
 * Goods priced again by an order's own record: its promotions as they were, its tier, its coupons, its time, at the
 * unit prices given. A return (DEDUCT) and a line edit price what the customer will have this way.
 */
export function quoteByRecord(
  record: PricingRecord,
  lines: readonly { sku: string; quantity: number; unitPriceMinor: number; gift?: boolean }[],
  product?: (sku: string) => { product: string; category: string } | undefined,
): Quote {
  const catalogue = new Map<string, CatalogueEntry>();
  for (const line of lines) {
    const goods = record.goods[line.sku] ?? product?.(line.sku) ?? { product: '', category: '' };
    catalogue.set(line.sku, { priceMinor: line.unitPriceMinor, ...goods });
  }
  const promotions: Promotion[] = record.promotions.map((p) => ({
    ...p,
    startsAt: p.startsAt ? new Date(p.startsAt) : null,
    endsAt: p.endsAt ? new Date(p.endsAt) : null,
  }));
  return quoteBasket({
    // Gifts are the engine's to give: they name their price only, for a gift kept.
    lines: lines.filter((l) => !l.gift && l.quantity > 0).map((l) => ({ sku: l.sku, quantity: l.quantity })),
    catalogue,
    promotions,
    channel: record.channel,
    location: record.location,
    tier: record.tier,
    couponPromotionIds: new Set(promotions.filter((p) => p.couponRequired).map((p) => p.id)),
    at: new Date(record.at),
    timeZone: record.timeZone,
  });
}

/** What the goods still kept after a return would cost under the order's own promotions (DEDUCT). */
export function keptCostMinor(record: PricingRecord, kept: readonly PaidLine[]): number {
  const giftsKept = new Map<string, number>();
  for (const l of kept) if (l.gift && l.quantity > 0) giftsKept.set(l.sku, (giftsKept.get(l.sku) ?? 0) + l.quantity);
  const quote = quoteByRecord(record, kept);
  const unitOf = new Map(kept.map((l) => [l.sku, l.unitPriceMinor]));
  // A kept gift the kept goods no longer earn is paid for at its price.
  let giftsOwedMinor = 0;
  for (const [sku, quantity] of giftsKept) {
    const given = quote.lines.filter((l) => l.gift && l.sku === sku).reduce((s, l) => s + l.quantity, 0);
    const unit = unitOf.get(sku) ?? 0;
    giftsOwedMinor += Math.max(0, quantity - given) * unit;
  }
  return quote.lines.filter((l) => !l.gift).reduce((s, l) => s + l.totalMinor, 0) + giftsOwedMinor;
}

/**
 * The refund for a return, in fen: never negative, never more than the returned units' share of what was paid.
 * Under DEDUCT, a discount the kept goods no longer earn comes off it (without a record, nothing is re-priced).
 */
export function returnRefundMinor(input: {
  lines: readonly PaidLine[];
  returnedBefore: ReadonlyMap<number, number>;
  returning: readonly { lineNo: number; quantity: number }[];
  policy: ReturnDiscountPolicy;
  record: PricingRecord | null;
}): number {
  const { lines, returnedBefore, returning, policy, record } = input;
  const share = returnedShareMinor(lines, returnedBefore, returning);
  if (policy === 'KEEP' || !record) return share;
  const returningNow = new Map<number, number>();
  for (const r of returning) returningNow.set(r.lineNo, (returningNow.get(r.lineNo) ?? 0) + r.quantity);
  const held = lines.map((l) => {
    const before = returnedBefore.get(l.lineNo) ?? 0;
    const after = Math.min(l.quantity, before + (returningNow.get(l.lineNo) ?? 0));
    return { line: l, before, after };
  });
  // What the customer holds now at the prices paid, less what what they keep would cost on its own.
  const heldMinor = held.reduce((s, h) => s + h.line.totalMinor - paidForUnits(h.line, h.before), 0);
  const kept = held.map(({ line, after }) => ({ ...line, quantity: line.quantity - after }));
  const due = heldMinor - keptCostMinor(record, kept);
  return Math.max(0, Math.min(share, due));
}

/**
 * The pricing engine: pure functions from a basket, a customer's tier, a channel and a time to the price of every
 * line and of the order, with the reason for every fen taken off. The API's quote, intake and refunds all call it.
 *
 * The rules, in the order they apply (docs/promotions.md):
 * - Money is in fen (integers). A percentage is rounded to the fen, half up, on each line it applies to.
 * - Stages: PRICE (price lists, then the member price or else the tier's member discount) → ITEM (percent and amount
 *   off, buy N get M, on each line) → ORDER (满减 and order coupons, spread over the lines they cover) → GIFT (满赠,
 *   judged on what the eligible goods cost after the order stage). Each stage works on what the one before left.
 * - Within a stage promotions apply in priority order (higher first, then the older one). An exclusive promotion does
 *   not combine with others of its stage: the engine prices it alone and the combinable ones together, per line in
 *   the ITEM stage and per basket in the ORDER stage, and takes whichever costs the customer less.
 * - An order-level discount is spread over the lines it covers in proportion to what they cost, by largest
 *   remainder, so the lines add up to the total exactly and no line goes below zero.
 * - Points are a payment, not a discount: they come off what is left to pay (payableMinor), not off the lines.
 */
import type { SalesChannel } from './order-status';
import { STAGE_OF, type Promotion, type PromotionTarget } from './promotions';

/** Prices come from the catalogue, never from the client; all money in integer minor units. */
export interface PricedLine {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

export function orderTotalMinor(lines: readonly PricedLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
}

export interface CatalogueEntry {
  priceMinor: number;
  /** The product's code and category, for promotions aimed at them. */
  product: string;
  category: string;
}

export interface QuoteRequest {
  lines: readonly { sku: string; quantity: number }[];
  /** Every SKU of the basket, and the gift SKUs of the promotions (a gift missing here is not given). */
  catalogue: ReadonlyMap<string, CatalogueEntry>;
  promotions: readonly Promotion[];
  channel: SalesChannel;
  /** The store's location code (a till sale or pickup), for price lists and promotions of one store. */
  location?: string;
  /** The customer's membership tier, if the order names a member. */
  tier?: { code: string; name: string; discountPercent: number };
  /** Promotions unlocked by the coupon codes the order gives (already checked as usable by the caller). */
  couponPromotionIds?: ReadonlySet<number>;
  at: Date;
  /** The shop's time zone, for promotions that run on some days or hours. */
  timeZone: string;
  /** Whether a gift can be given (stock permitting); omitted: always. */
  giftAvailable?: (sku: string, quantity: number) => boolean;
  /** Points the customer pays with, and what one is worth. */
  points?: { points: number; pointValueMinor: number };
}

/** One reason a line costs less than its list price. */
export interface Adjustment {
  /** The promotion's code; MEMBER:<tier> for a tier's member discount. */
  code: string;
  name: string;
  /** null: the tier's member discount, which is no promotion of its own. */
  promotionId: number | null;
  amountMinor: number;
}

export interface QuotedLine {
  /** The basket's order, then the gifts. */
  lineNo: number;
  sku: string;
  quantity: number;
  /** The catalogue's unit price. */
  unitPriceMinor: number;
  /** quantity × unitPriceMinor. */
  listMinor: number;
  /** Everything taken off this line; listMinor − discountMinor is what it costs. */
  discountMinor: number;
  totalMinor: number;
  /** A 满赠 gift: its whole price is taken off. */
  gift: boolean;
  adjustments: Adjustment[];
}

export interface AppliedPromotion {
  code: string;
  name: string;
  promotionId: number | null;
  amountMinor: number;
  /** The gift it added (满赠). */
  gift?: { sku: string; quantity: number };
}

export const NOT_APPLIED_REASONS = [
  'NO_ELIGIBLE_GOODS',
  'BELOW_THRESHOLD',
  'NOT_COMBINABLE',
  'GIFT_OUT_OF_STOCK',
  'GIFT_UNKNOWN',
] as const;
export type NotAppliedReason = (typeof NOT_APPLIED_REASONS)[number];

/** A promotion that was open to this basket but took nothing off, and why (to tell the customer what is missing). */
export interface NotApplied {
  code: string;
  name: string;
  promotionId: number;
  reason: NotAppliedReason;
  /** BELOW_THRESHOLD: how much more of the eligible goods would reach the first step. */
  missingMinor?: number;
}

export interface Quote {
  lines: QuotedLine[];
  listMinor: number;
  discountMinor: number;
  /** What the order costs: the sum of the lines. */
  totalMinor: number;
  applied: AppliedPromotion[];
  notApplied: NotApplied[];
  /** Promotions that applied, as they were: kept with the order, so a return is priced by the same rules. */
  promotions: Promotion[];
  pointsMinor: number;
  /** What is left to pay after points. */
  payableMinor: number;
}

/** Percent of an amount in fen, rounded half up (percent has at most two decimals). */
export function percentOf(amountMinor: number, percent: number): number {
  return Math.round((amountMinor * Math.round(percent * 100)) / 10_000);
}

/**
 * Splits `amountMinor` over `weights` in proportion, by largest remainder (ties to the earlier weight): the parts add
 * up to amountMinor exactly, and none exceeds its weight when amountMinor is at most their sum.
 */
export function spreadByWeight(amountMinor: number, weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (total <= 0) return weights.map(() => 0);
  const big = BigInt(amountMinor);
  const bigTotal = BigInt(total);
  const parts = weights.map((w) => Number((big * BigInt(w)) / bigTotal));
  const remainders = weights.map((w, i) => ({ i, r: (big * BigInt(w)) % bigTotal }));
  let left = amountMinor - parts.reduce((s, p) => s + p, 0);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left <= 0) break;
    parts[i] += 1;
    left -= 1;
  }
  return parts;
}

interface WorkLine {
  lineNo: number;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  amountMinor: number;
  product: string;
  category: string;
  adjustments: Adjustment[];
}

function targets(target: PromotionTarget | undefined, line: WorkLine): boolean {
  if (!target) return true;
  const { skus, products, categories } = target;
  if (!skus?.length && !products?.length && !categories?.length) return true;
  return Boolean(skus?.includes(line.sku) || products?.includes(line.product) || categories?.includes(line.category));
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** ISO weekday (1 = Monday) and "HH:MM" of an instant in a time zone. */
function localClock(at: Date, timeZone: string): { weekday: number; time: string } {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday) + 1;
  return { weekday, time: `${parts.hour}:${parts.minute}` };
}

/** Whether a promotion is open to this order at all: its channel, store, tier, dates, hours and coupon. */
export function promotionOpen(
  promotion: Promotion,
  request: Pick<QuoteRequest, 'channel' | 'location' | 'tier' | 'couponPromotionIds' | 'at'>,
  clock: { weekday: number; time: string },
): boolean {
  const { channels, locations, tiers, startsAt, endsAt, hours } = promotion;
  if (channels && !channels.includes(request.channel)) return false;
  if (locations && !(request.location && locations.includes(request.location))) return false;
  if (tiers && !(request.tier && tiers.includes(request.tier.code))) return false;
  const at = request.at.getTime();
  if (startsAt && at < startsAt.getTime()) return false;
  if (endsAt && at >= endsAt.getTime()) return false;
  if (hours) {
    if (hours.weekdays && !hours.weekdays.includes(clock.weekday)) return false;
    if (hours.from && clock.time < hours.from) return false;
    if (hours.until && clock.time >= hours.until) return false;
  }
  if (promotion.couponRequired && !request.couponPromotionIds?.has(promotion.id)) return false;
  return true;
}

const byPriority = (a: Promotion, b: Promotion) => b.priority - a.priority || a.id - b.id;

/** What one ITEM promotion takes off a line of `amountMinor` (never more than the amount). */
function itemDiscount(promotion: Promotion, line: WorkLine, amountMinor: number): number {
  const rule = promotion.rule;
  switch (rule.kind) {
    case 'PERCENT_OFF':
      return percentOf(amountMinor, rule.percent);
    case 'AMOUNT_OFF':
      return Math.min(amountMinor, rule.amountMinor * line.quantity);
    case 'BUY_N_GET_M': {
      const free = Math.floor(line.quantity / (rule.buy + rule.free)) * rule.free;
      return Math.min(amountMinor, Math.round((amountMinor * free) / line.quantity));
    }
    default:
      return 0;
  }
}

function adjustment(promotion: Promotion, amountMinor: number): Adjustment {
  return { code: promotion.code, name: promotion.name, promotionId: promotion.id, amountMinor };
}

function applyPriceStage(line: WorkLine, open: readonly Promotion[], tier: QuoteRequest['tier']): void {
  let unit = line.unitPriceMinor;
  let listed: Promotion | undefined;
  for (const promotion of open) {
    if (promotion.rule.kind !== 'PRICE_LIST') continue;
    const price = promotion.rule.prices.find((p) => p.sku === line.sku)?.priceMinor;
    if (price !== undefined && price < unit) [unit, listed] = [price, promotion];
  }
  if (listed) line.adjustments.push(adjustment(listed, (line.unitPriceMinor - unit) * line.quantity));
  if (tier) applyMemberPrice(line, open, tier, unit);
  line.amountMinor = line.unitPriceMinor * line.quantity - line.adjustments.reduce((s, a) => s + a.amountMinor, 0);
}

/** The member price of the line's SKU for the tier, or else the tier's member discount, on the unit price reached. */
function applyMemberPrice(
  line: WorkLine,
  open: readonly Promotion[],
  tier: NonNullable<QuoteRequest['tier']>,
  unit: number,
): void {
  let memberUnit: number | undefined;
  let member: Promotion | undefined;
  for (const promotion of open) {
    if (promotion.rule.kind !== 'MEMBER_PRICE') continue;
    const price = promotion.rule.prices.find((p) => p.sku === line.sku && p.tiers.includes(tier.code))?.priceMinor;
    if (price !== undefined && (memberUnit === undefined || price < memberUnit))
      [memberUnit, member] = [price, promotion];
  }
  // A member price replaces the tier's member discount on that SKU, and never raises the price.
  if (member && memberUnit !== undefined) {
    if (memberUnit < unit) line.adjustments.push(adjustment(member, (unit - memberUnit) * line.quantity));
  } else if (tier.discountPercent > 0) {
    const off = percentOf(unit * line.quantity, tier.discountPercent);
    if (off > 0) {
      line.adjustments.push({
        code: `MEMBER:${tier.code}`,
        name: `${tier.name} ${tier.discountPercent}%`,
        promotionId: null,
        amountMinor: off,
      });
    }
  }
}

/** The ITEM stage on one line: the combinable promotions together, or an exclusive one alone, whichever is cheaper. */
function applyItemStage(line: WorkLine, open: readonly Promotion[], lost: Set<number>): Set<number> {
  const candidates = open.filter((p) => STAGE_OF[p.rule.kind] === 'ITEM' && targets(ruleTarget(p), line));
  if (candidates.length === 0) return new Set();
  const run = (set: readonly Promotion[]) => {
    let amount = line.amountMinor;
    const taken: Adjustment[] = [];
    for (const promotion of set) {
      const off = itemDiscount(promotion, line, amount);
      if (off > 0) {
        taken.push(adjustment(promotion, off));
        amount -= off;
      }
    }
    return { amount, taken };
  };
  let best = run(candidates.filter((p) => !p.exclusive));
  for (const promotion of candidates.filter((p) => p.exclusive)) {
    const alone = run([promotion]);
    if (alone.amount < best.amount) best = alone;
  }
  const used = new Set(best.taken.map((a) => a.promotionId!));
  for (const p of candidates) if (!used.has(p.id) && itemDiscount(p, line, line.amountMinor) > 0) lost.add(p.id);
  line.adjustments.push(...best.taken);
  line.amountMinor = best.amount;
  return used;
}

function ruleTarget(promotion: Promotion): PromotionTarget | undefined {
  return 'target' in promotion.rule ? promotion.rule.target : undefined;
}

interface OrderStageResult {
  amounts: number[];
  taken: { promotion: Promotion; parts: number[] }[];
}

/** The ORDER stage's promotions in `set`, in order, on the basket: each judged on the stage's starting amounts. */
function runOrderStage(lines: readonly WorkLine[], set: readonly Promotion[]): OrderStageResult {
  const amounts = lines.map((l) => l.amountMinor);
  const taken: OrderStageResult['taken'] = [];
  for (const promotion of set) {
    const rule = promotion.rule;
    const eligible = lines.map((l) => targets(ruleTarget(promotion), l));
    const judged = lines.reduce((s, l, i) => s + (eligible[i] ? l.amountMinor : 0), 0);
    const running = amounts.map((a, i) => (eligible[i] ? a : 0));
    const left = running.reduce((s, a) => s + a, 0);
    let off = 0;
    if (rule.kind === 'THRESHOLD_OFF') {
      const step = [...rule.steps].reverse().find((s) => judged >= s.fromMinor);
      off = step ? Math.min(step.offMinor, left) : 0;
    } else if (rule.kind === 'ORDER_PERCENT_OFF' && judged >= rule.fromMinor && judged > 0) {
      off = percentOf(left, rule.percent);
    }
    if (off <= 0) continue;
    const parts = spreadByWeight(off, running);
    parts.forEach((p, i) => (amounts[i] -= p));
    taken.push({ promotion, parts });
  }
  return { amounts, taken };
}

function firstStepMinor(promotion: Promotion): number {
  const rule = promotion.rule;
  if (rule.kind === 'THRESHOLD_OFF') return rule.steps[0].fromMinor;
  if (rule.kind === 'ORDER_PERCENT_OFF' || rule.kind === 'THRESHOLD_GIFT') return rule.fromMinor;
  return 0;
}

/** Prices a basket. Every SKU of request.lines must be in request.catalogue (the caller refuses unknown SKUs). */
export function quoteBasket(request: QuoteRequest): Quote {
  const clock = localClock(request.at, request.timeZone);
  const open = request.promotions.filter((p) => promotionOpen(p, request, clock)).sort(byPriority);
  const lines: WorkLine[] = request.lines.map((l, i) => {
    const entry = request.catalogue.get(l.sku);
    if (!entry) throw new Error(`SKU ${l.sku} is not in the catalogue given to the quote`);
    return {
      lineNo: i + 1,
      sku: l.sku,
      quantity: l.quantity,
      unitPriceMinor: entry.priceMinor,
      amountMinor: entry.priceMinor * l.quantity,
      product: entry.product,
      category: entry.category,
      adjustments: [],
    };
  });
  const notApplied: NotApplied[] = [];
  const miss = (p: Promotion, reason: NotAppliedReason, missingMinor?: number) =>
    notApplied.push({
      code: p.code,
      name: p.name,
      promotionId: p.id,
      reason,
      ...(missingMinor ? { missingMinor } : {}),
    });

  for (const line of lines) applyPriceStage(line, open, request.tier);

  const itemUsed = new Set<number>();
  const itemLost = new Set<number>();
  for (const line of lines) for (const id of applyItemStage(line, open, itemLost)) itemUsed.add(id);
  for (const p of open) {
    if (STAGE_OF[p.rule.kind] !== 'ITEM' || itemUsed.has(p.id)) continue;
    miss(p, itemLost.has(p.id) ? 'NOT_COMBINABLE' : 'NO_ELIGIBLE_GOODS');
  }

  const orderPromotions = open.filter((p) => STAGE_OF[p.rule.kind] === 'ORDER');
  const total = (r: OrderStageResult) => r.amounts.reduce((s, a) => s + a, 0);
  let best = runOrderStage(
    lines,
    orderPromotions.filter((p) => !p.exclusive),
  );
  for (const promotion of orderPromotions.filter((p) => p.exclusive)) {
    const alone = runOrderStage(lines, [promotion]);
    if (total(alone) < total(best)) best = alone;
  }
  const orderUsed = new Set(best.taken.map((t) => t.promotion.id));
  for (const p of orderPromotions) {
    if (orderUsed.has(p.id)) continue;
    const judged = eligibleAmount(lines, p);
    if (runOrderStage(lines, [p]).taken.length > 0) miss(p, 'NOT_COMBINABLE');
    else if (judged === 0) miss(p, 'NO_ELIGIBLE_GOODS');
    else miss(p, 'BELOW_THRESHOLD', firstStepMinor(p) - judged);
  }
  for (const { promotion, parts } of best.taken) {
    parts.forEach((part, i) => part > 0 && lines[i].adjustments.push(adjustment(promotion, part)));
  }
  best.amounts.forEach((a, i) => (lines[i].amountMinor = a));

  const gifts = giftStage(lines, open, request, miss);
  const quoted: QuotedLine[] = [...lines, ...gifts.lines].map((l) => {
    const listMinor = l.unitPriceMinor * l.quantity;
    const discountMinor = l.adjustments.reduce((s, a) => s + a.amountMinor, 0);
    return {
      lineNo: l.lineNo,
      sku: l.sku,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
      listMinor,
      discountMinor,
      totalMinor: listMinor - discountMinor,
      gift: gifts.lines.includes(l),
      adjustments: l.adjustments,
    };
  });
  const applied = new Map<string, AppliedPromotion>();
  for (const line of quoted) {
    for (const a of line.adjustments) {
      const entry = applied.get(a.code) ?? { code: a.code, name: a.name, promotionId: a.promotionId, amountMinor: 0 };
      entry.amountMinor += a.amountMinor;
      if (line.gift) entry.gift = { sku: line.sku, quantity: line.quantity };
      applied.set(a.code, entry);
    }
  }
  const listMinor = quoted.reduce((s, l) => s + l.listMinor, 0);
  const discountMinor = quoted.reduce((s, l) => s + l.discountMinor, 0);
  const totalMinor = listMinor - discountMinor;
  const pointsMinor = request.points ? request.points.points * request.points.pointValueMinor : 0;
  const usedIds = new Set([...applied.values()].map((a) => a.promotionId));
  return {
    lines: quoted,
    listMinor,
    discountMinor,
    totalMinor,
    applied: [...applied.values()],
    notApplied,
    promotions: open.filter((p) => usedIds.has(p.id)),
    pointsMinor,
    payableMinor: Math.max(0, totalMinor - pointsMinor),
  };
}

function eligibleAmount(lines: readonly WorkLine[], promotion: Promotion): number {
  return lines.reduce((s, l) => s + (targets(ruleTarget(promotion), l) ? l.amountMinor : 0), 0);
}

/** 满赠 on what the eligible goods cost now: combinable gifts together, or the most valuable exclusive one alone. */
function giftStage(
  lines: readonly WorkLine[],
  open: readonly Promotion[],
  request: QuoteRequest,
  miss: (p: Promotion, reason: NotAppliedReason, missingMinor?: number) => void,
): { lines: WorkLine[] } {
  const reached: { promotion: Promotion; line: WorkLine }[] = [];
  for (const promotion of open) {
    const rule = promotion.rule;
    if (rule.kind !== 'THRESHOLD_GIFT') continue;
    const judged = eligibleAmount(lines, promotion);
    const entry = request.catalogue.get(rule.giftSku);
    if (judged === 0) miss(promotion, 'NO_ELIGIBLE_GOODS');
    else if (judged < rule.fromMinor) miss(promotion, 'BELOW_THRESHOLD', rule.fromMinor - judged);
    else if (!entry) miss(promotion, 'GIFT_UNKNOWN');
    else if (request.giftAvailable && !request.giftAvailable(rule.giftSku, rule.giftQuantity)) {
      miss(promotion, 'GIFT_OUT_OF_STOCK');
    } else {
      const listMinor = entry.priceMinor * rule.giftQuantity;
      reached.push({
        promotion,
        line: {
          lineNo: 0,
          sku: rule.giftSku,
          quantity: rule.giftQuantity,
          unitPriceMinor: entry.priceMinor,
          amountMinor: 0,
          product: entry.product,
          category: entry.category,
          adjustments: [adjustment(promotion, listMinor)],
        },
      });
    }
  }
  const value = (set: typeof reached) => set.reduce((s, r) => s + r.line.unitPriceMinor * r.line.quantity, 0);
  let best = reached.filter((r) => !r.promotion.exclusive);
  for (const r of reached.filter((x) => x.promotion.exclusive)) if (value([r]) > value(best)) best = [r];
  for (const r of reached) if (!best.includes(r)) miss(r.promotion, 'NOT_COMBINABLE');
  return { lines: best.map((r, i) => ({ ...r.line, lineNo: lines.length + i + 1 })) };
}

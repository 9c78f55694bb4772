/**
 * Promotions as data: what a manager sets up (折扣, 满减, 满赠, member prices, buy N get M, coupons) and the zod
 * schema the API checks them with. domain/pricing.ts applies them; nothing here touches a database.
 */
import { z } from 'zod';
import { SALES_CHANNELS, type SalesChannel } from './order-status';

/** Which goods a promotion is about: any SKU, product code or category listed; nothing listed means everything. */
export interface PromotionTarget {
  skus?: string[];
  products?: string[];
  categories?: string[];
}

/** One step of a stepped 满减: from this much (fen) of eligible goods, this much off. */
export interface ThresholdStep {
  fromMinor: number;
  offMinor: number;
}

export type PromotionRule =
  /** A price list (a channel's or a store's own prices): the unit price of each SKU listed, when lower. */
  | { kind: 'PRICE_LIST'; prices: { sku: string; priceMinor: number }[] }
  /** Member prices (会员价): a unit price per SKU for the tiers named, replacing the tier's member discount there. */
  | { kind: 'MEMBER_PRICE'; prices: { sku: string; tiers: string[]; priceMinor: number }[] }
  /** Percent off the target goods (8.5 = 8.5 % off, i.e. 91.5折). */
  | { kind: 'PERCENT_OFF'; percent: number; target?: PromotionTarget }
  /** A fixed amount off each target unit, never below zero. */
  | { kind: 'AMOUNT_OFF'; amountMinor: number; target?: PromotionTarget }
  /** Buy N get M free (买N送M) of the same SKU: of every N+M units on a line, M are free. */
  | { kind: 'BUY_N_GET_M'; buy: number; free: number; target?: PromotionTarget }
  /** 满减: the highest step the eligible goods reach (after item discounts), spread over them. */
  | { kind: 'THRESHOLD_OFF'; steps: ThresholdStep[]; target?: PromotionTarget }
  /** Percent off the whole eligible basket from a minimum (a 9折 coupon); spread over the lines. */
  | { kind: 'ORDER_PERCENT_OFF'; percent: number; fromMinor: number; target?: PromotionTarget }
  /** 满赠: from fromMinor of eligible goods, giftQuantity of giftSku as a zero-price line, stock permitting. */
  | { kind: 'THRESHOLD_GIFT'; fromMinor: number; giftSku: string; giftQuantity: number; target?: PromotionTarget };

export type PromotionKind = PromotionRule['kind'];

/** When in the week and day a promotion runs, in the shop's time zone. */
export interface PromotionHours {
  /** ISO weekdays, 1 = Monday … 7 = Sunday; omitted: every day. */
  weekdays?: number[];
  /** "HH:MM" from (inclusive) and until (exclusive); omitted: all day. */
  from?: string;
  until?: string;
}

/** A promotion as the pricing engine sees it. */
export interface Promotion {
  id: number;
  /** The manager's short name for it, unique: MJ300 */
  code: string;
  name: string;
  rule: PromotionRule;
  /** Only for these channels / stores (location codes) / tiers; omitted: all. */
  channels?: SalesChannel[];
  locations?: string[];
  tiers?: string[];
  startsAt?: Date | null;
  endsAt?: Date | null;
  hours?: PromotionHours;
  /** Applies only when the order gives one of its coupon codes. */
  couponRequired: boolean;
  /** Does not combine with other promotions of its stage: the engine takes it alone or the others, whichever is cheaper. */
  exclusive: boolean;
  /** Within a stage, higher first (then the older promotion). */
  priority: number;
}

/** The stage each kind applies in, in this order. A stage works on what the stages before it left. */
export const PRICING_STAGES = ['PRICE', 'ITEM', 'ORDER', 'GIFT'] as const;
export type PricingStage = (typeof PRICING_STAGES)[number];

export const STAGE_OF: Record<PromotionKind, PricingStage> = {
  PRICE_LIST: 'PRICE',
  MEMBER_PRICE: 'PRICE',
  PERCENT_OFF: 'ITEM',
  AMOUNT_OFF: 'ITEM',
  BUY_N_GET_M: 'ITEM',
  THRESHOLD_OFF: 'ORDER',
  ORDER_PERCENT_OFF: 'ORDER',
  THRESHOLD_GIFT: 'GIFT',
};

const sku = z.string().min(1).max(64);
const fen = z.number().int().min(0).max(100_000_000);
const positiveFen = z.number().int().min(1).max(100_000_000);
const percent = z
  .number()
  .gt(0)
  .max(100)
  .refine((p) => Math.round(p * 100) === p * 100, 'at most two decimals, e.g. 8.5');
const tierCode = z.string().regex(/^[A-Z][A-Z0-9_]{0,19}$/, 'a tier code such as GOLD');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, e.g. 18:30');

const targetSchema = z
  .object({
    skus: z.array(sku).max(500).optional(),
    products: z.array(z.string().min(1).max(64)).max(500).optional(),
    categories: z.array(z.string().min(1).max(100)).max(100).optional(),
  })
  .strict()
  .describe('Which goods: any SKU, product code or category listed. Omitted or empty: everything.');

export const promotionRuleSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('PRICE_LIST'),
      prices: z
        .array(z.object({ sku, priceMinor: fen }).strict())
        .min(1)
        .max(5000),
    })
    .strict(),
  z
    .object({
      kind: z.literal('MEMBER_PRICE'),
      prices: z
        .array(z.object({ sku, tiers: z.array(tierCode).min(1).max(20), priceMinor: fen }).strict())
        .min(1)
        .max(5000),
    })
    .strict(),
  z.object({ kind: z.literal('PERCENT_OFF'), percent, target: targetSchema.optional() }).strict(),
  z.object({ kind: z.literal('AMOUNT_OFF'), amountMinor: positiveFen, target: targetSchema.optional() }).strict(),
  z
    .object({
      kind: z.literal('BUY_N_GET_M'),
      buy: z.number().int().min(1).max(100),
      free: z.number().int().min(1).max(100),
      target: targetSchema.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('THRESHOLD_OFF'),
      steps: z
        .array(z.object({ fromMinor: positiveFen, offMinor: positiveFen }).strict())
        .min(1)
        .max(20)
        .superRefine((steps, ctx) => {
          steps.forEach((step, i) => {
            if (step.offMinor >= step.fromMinor) {
              ctx.addIssue({
                code: 'custom',
                path: [i, 'offMinor'],
                message: 'less than the threshold it is taken off',
              });
            }
            if (i > 0 && (step.fromMinor <= steps[i - 1].fromMinor || step.offMinor < steps[i - 1].offMinor)) {
              ctx.addIssue({
                code: 'custom',
                path: [i, 'fromMinor'],
                message: 'steps rise: each threshold above the one before, taking off at least as much',
              });
            }
          });
        }),
      target: targetSchema.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('ORDER_PERCENT_OFF'),
      percent,
      fromMinor: fen.default(0),
      target: targetSchema.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('THRESHOLD_GIFT'),
      fromMinor: positiveFen,
      giftSku: sku,
      giftQuantity: z.number().int().min(1).max(100).default(1),
      target: targetSchema.optional(),
    })
    .strict(),
]);

const hoursSchema = z
  .object({
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
    from: clock.optional(),
    until: clock.optional(),
  })
  .strict()
  .refine((h) => !h.from || !h.until || h.from < h.until, { message: 'from comes before until', path: ['until'] });

const promotionFields = {
  code: z.string().regex(/^[A-Z0-9][A-Z0-9_-]{1,31}$/, '2 to 32 capitals, digits, _ and -, e.g. MJ300'),
  name: z.string().trim().min(1).max(100),
  rule: promotionRuleSchema,
  channels: z.array(z.enum(SALES_CHANNELS)).min(1),
  locations: z.array(z.string().min(1).max(32)).min(1).max(200),
  tiers: z.array(tierCode).min(1).max(20),
  startsAt: z.coerce.date(),
  endsAt: z.coerce.date(),
  hours: hoursSchema,
  couponRequired: z.boolean(),
  exclusive: z.boolean(),
  priority: z.number().int().min(0).max(1000),
};

const windowInOrder = (p: { startsAt?: Date | null; endsAt?: Date | null }) =>
  !p.startsAt || !p.endsAt || p.startsAt < p.endsAt;

/** What a manager sends to create a promotion. */
export const promotionInputSchema = z
  .object({
    code: promotionFields.code,
    name: promotionFields.name,
    rule: promotionFields.rule,
    channels: promotionFields.channels.optional(),
    locations: promotionFields.locations.optional(),
    tiers: promotionFields.tiers.optional(),
    startsAt: promotionFields.startsAt.optional(),
    endsAt: promotionFields.endsAt.optional(),
    hours: promotionFields.hours.optional(),
    couponRequired: promotionFields.couponRequired.default(false),
    exclusive: promotionFields.exclusive.default(false),
    priority: promotionFields.priority.default(0),
  })
  .strict()
  .refine(windowInOrder, { message: 'endsAt comes after startsAt', path: ['endsAt'] });
export type PromotionInput = z.infer<typeof promotionInputSchema>;

/** A change to a promotion: any field but its code; null takes an optional one away (an end date, a channel list). */
export const promotionChangeSchema = z
  .object({
    name: promotionFields.name.optional(),
    rule: promotionFields.rule.optional(),
    channels: promotionFields.channels.nullable().optional(),
    locations: promotionFields.locations.nullable().optional(),
    tiers: promotionFields.tiers.nullable().optional(),
    startsAt: promotionFields.startsAt.nullable().optional(),
    endsAt: promotionFields.endsAt.nullable().optional(),
    hours: promotionFields.hours.nullable().optional(),
    couponRequired: promotionFields.couponRequired.optional(),
    exclusive: promotionFields.exclusive.optional(),
    priority: promotionFields.priority.optional(),
  })
  .strict();

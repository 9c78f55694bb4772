/** POST /api/pricing/quote: what a basket will cost before the order exists, priced exactly as intake prices it. */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { SALES_CHANNELS } from '../../domain/order-status';
import { promotionInputSchema } from '../../domain/promotions';
import { text } from '../../domain/text';
import type { Config } from '../../lib/config';
import { knownCustomerId } from '../../orders/customers';
import { CouponRefusedError, priceBasket, UnknownSkusError } from '../../orders/promotions';
import { HttpError } from '../errors';
import { locationByCode } from '../lookups';
import { apiGroup, route } from '../operations';
import { parseBody } from '../validate';

const quoteSchema = z
  .object({
    channel: z.enum(SALES_CHANNELS),
    lines: z
      .array(z.object({ sku: text(64), quantity: z.number().int().min(1).max(10_000) }).strict())
      .min(1)
      .max(100),
    customerId: z.number().int().min(1).optional().describe('The member buying: their tier and personal coupons'),
    customer: z
      .object({ phone: text(40).optional(), email: z.email().max(254).optional() })
      .strict()
      .optional()
      .describe('Or their contact as the order will give it: matched as intake matches it, nobody created'),
    pickupStore: text(32).optional().describe('The store of a till sale: its own prices and promotions'),
    couponCodes: z.array(text(40)).min(1).max(5).optional(),
    pointsToRedeem: z.number().int().min(1).max(100_000_000).optional(),
    at: z.coerce.date().optional().describe('Price as at this time (a promotion set up for later); now when omitted'),
    draft: promotionInputSchema
      .optional()
      .describe(
        'A promotion being set up, priced as if it ran (in place of the one with its code, its coupon taken as given): the editor’s live quote',
      ),
  })
  .strict();

/** A coupon refusal as the API answers it: used up is a conflict of the moment, the rest are the order's fault. */
export function couponRefusal(err: CouponRefusedError): HttpError {
  return new HttpError(err.reason === 'USED_UP' ? 409 : 422, `COUPON_${err.reason}`, err.message, {
    coupon: err.code,
  });
}

export const pricingApi = apiGroup({
  mount: '/api/pricing',
  tag: 'Pricing',
  description:
    'The pricing engine (docs/promotions.md): list prices, price lists, member prices and tier discounts, item discounts, 满减, coupons and 满赠, in stages, every discount spread over the lines it covers so they add up exactly.',
  operations: {
    quotePrice: {
      method: 'post',
      path: '/quote',
      summary: 'Price a basket: the lines, the promotions that apply and those that nearly did',
      description:
        'The same engine and data intake uses, so an order placed now costs what this says. `lines[].adjustments` give the reason for every fen taken off; gifts (满赠) come as lines with `gift: true`; `notApplied` names promotions open to this basket that took nothing, and why (`BELOW_THRESHOLD` with `missingMinor`, `NOT_COMBINABLE`, `GIFT_OUT_OF_STOCK`, …). Points are a payment: `payableMinor` is what is left after them. Nothing is written.',
      permission: 'pricing.quote',
      body: quoteSchema,
      responses: {
        200: '`{lines, listMinor, discountMinor, totalMinor, applied, notApplied, pointsMinor, payableMinor, tier}`',
      },
      errors: {
        404: '`CUSTOMER_NOT_FOUND`',
        409: '`COUPON_USED_UP`',
        422: '`UNKNOWN_SKU`, `UNKNOWN_LOCATION`, `COUPON_UNKNOWN`, `COUPON_EXPIRED`, `COUPON_NOT_YOURS`, `COUPON_NOT_APPLICABLE`',
      },
    },
  },
});

export function pricingRoutes(db: Db, config: Config): Router {
  const router = Router();
  route(router, pricingApi.operations.quotePrice, async (req, res) => {
    const input = parseBody(quoteSchema, req.body);
    if (input.pickupStore) await locationByCode(db, input.pickupStore);
    if (input.customerId !== undefined) {
      const found = await db.customer.findUnique({ where: { id: input.customerId }, select: { id: true } });
      if (!found) throw new HttpError(404, 'CUSTOMER_NOT_FOUND', `No customer ${input.customerId}`);
    }
    try {
      const { quote, tier } = await priceBasket(db, config, {
        lines: input.lines,
        channel: input.channel,
        location: input.channel === 'pos' ? input.pickupStore : undefined,
        customerId: input.customerId ?? (input.customer ? await knownCustomerId(db, input.customer) : null),
        couponCodes: input.couponCodes,
        points: input.pointsToRedeem,
        at: input.at ?? new Date(),
        draft: input.draft,
      });
      const { promotions: _kept, ...answer } = quote;
      res.json({ ...answer, tier: tier ? { code: tier.code, name: tier.name } : null });
    } catch (err) {
      if (err instanceof UnknownSkusError) throw new HttpError(422, 'UNKNOWN_SKU', err.message, { skus: err.skus });
      if (err instanceof CouponRefusedError) throw couponRefusal(err);
      throw err;
    }
  });
  return router;
}

/** /api/promotions: managers set up, change and end promotions, and issue their coupon codes. */
import crypto from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { promotionChangeSchema, promotionInputSchema, type PromotionInput } from '../../domain/promotions';
import { promotionColumns, promotionOf } from '../../orders/promotions';
import { actorOf } from '../auth';
import { HttpError } from '../errors';
import { apiGroup, emptyBody, route } from '../operations';
import { parseBody, parseQuery } from '../validate';

const listQuery = z.object({
  status: z.enum(['running', 'scheduled', 'ended', 'all']).default('all'),
});

const couponCode = z.string().regex(/^[A-Z0-9][A-Z0-9_-]{3,39}$/, '4 to 40 capitals, digits, _ and -');

const couponLimits = {
  maxUses: z.number().int().min(1).max(1_000_000).optional().describe('Orders each code may serve; none: no limit'),
  perCustomer: z.number().int().min(1).max(1000).optional(),
  expiresAt: z.coerce.date().optional(),
  customerId: z.number().int().min(1).optional().describe('A personal code: only this customer may use it'),
};

/** Codes of the manager's own (printed on a flyer), or this many random ones. */
const couponsSchema = z.union([
  z.object({ codes: z.array(couponCode).min(1).max(1000), ...couponLimits }).strict(),
  z
    .object({
      count: z.number().int().min(1).max(1000),
      prefix: z
        .string()
        .regex(/^[A-Z0-9]{0,10}$/, 'up to 10 capitals and digits')
        .default('')
        .describe('Put in front of each random code'),
      ...couponLimits,
    })
    .strict(),
]);

export const promotionApi = apiGroup({
  mount: '/api/promotions',
  tag: 'Promotions',
  description:
    'Promotions as data (docs/promotions.md): price lists per channel or store, member prices, percent and amount off SKUs, products or categories, buy N get M, stepped 满减, order coupons and 满赠 gifts, each with its channels, stores, tiers, dates and hours, whether it needs a coupon, whether it combines with others, and its priority. Orders keep the promotions that priced them, so a change or an end never reprices an order taken before.',
  operations: {
    listPromotions: {
      method: 'get',
      path: '/',
      summary: 'Promotions, newest first, with their coupons’ use',
      permission: 'promotions.manage',
      query: listQuery,
      responses: { 200: '`{promotions}`' },
    },
    createPromotion: {
      method: 'post',
      path: '/',
      summary: 'Set up a promotion',
      permission: 'promotions.manage',
      body: promotionInputSchema,
      responses: { 201: 'The promotion' },
      errors: { 409: '`PROMOTION_CODE_TAKEN`' },
    },
    getPromotion: {
      method: 'get',
      path: '/:code',
      summary: 'One promotion, with what it has taken off so far',
      permission: 'promotions.manage',
      responses: { 200: 'The promotion with `orders`, `discountMinor` and `coupons`' },
      errors: { 404: '`PROMOTION_NOT_FOUND`' },
    },
    changePromotion: {
      method: 'patch',
      path: '/:code',
      summary: 'Change a promotion that has not ended',
      description:
        'Any field of the promotion except its code; the result is checked as a whole. Orders already taken keep the promotion as it priced them.',
      permission: 'promotions.manage',
      body: promotionChangeSchema,
      responses: { 200: 'The promotion as changed' },
      errors: { 404: '`PROMOTION_NOT_FOUND`', 409: '`WRONG_STATE`: it has ended' },
    },
    endPromotion: {
      method: 'post',
      path: '/:code/end',
      summary: 'End a promotion now',
      permission: 'promotions.manage',
      body: emptyBody,
      responses: { 200: 'The promotion, ended' },
      errors: { 404: '`PROMOTION_NOT_FOUND`', 409: '`WRONG_STATE`: it has ended already' },
    },
    createCoupons: {
      method: 'post',
      path: '/:code/coupons',
      summary: 'Issue coupon codes for a coupon promotion',
      permission: 'promotions.manage',
      body: couponsSchema,
      responses: { 201: '`{coupons}`' },
      errors: {
        404: '`PROMOTION_NOT_FOUND`, `CUSTOMER_NOT_FOUND`',
        409: '`WRONG_STATE`: the promotion has ended, or runs without coupons; `COUPON_CODE_TAKEN`',
      },
    },
    listCoupons: {
      method: 'get',
      path: '/:code/coupons',
      summary: 'The promotion’s coupon codes and their use',
      permission: 'promotions.manage',
      responses: { 200: '`{coupons}`' },
      errors: { 404: '`PROMOTION_NOT_FOUND`' },
    },
  },
});

/** Unambiguous letters and digits for random codes (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const randomCode = (prefix: string) =>
  prefix + Array.from({ length: 8 }, () => CODE_ALPHABET[crypto.randomInt(CODE_ALPHABET.length)]).join('');

export function promotionRoutes(db: Db): Router {
  const router = Router();
  const ops = promotionApi.operations;

  async function requirePromotion(code: string) {
    const row = await db.promotion.findUnique({ where: { code } });
    if (!row) throw new HttpError(404, 'PROMOTION_NOT_FOUND', `No promotion ${code}`);
    return row;
  }

  /** A promotion as the API answers it: the rule and conditions unfolded, and where it stands. */
  function view(row: Awaited<ReturnType<typeof requirePromotion>>, now = new Date()) {
    const promotion = promotionOf(row);
    const status = row.endedAt
      ? 'ENDED'
      : promotion.endsAt && promotion.endsAt <= now
        ? 'ENDED'
        : promotion.startsAt && promotion.startsAt > now
          ? 'SCHEDULED'
          : 'RUNNING';
    const { definition: _definition, ...columns } = row;
    return { ...columns, ...promotion, status };
  }

  route(router, ops.listPromotions, async (req, res) => {
    const { status } = parseQuery(listQuery, req.query);
    const rows = await db.promotion.findMany({ orderBy: { id: 'desc' }, take: 500 });
    const now = new Date();
    const views = rows.map((row) => view(row, now));
    res.json({ promotions: status === 'all' ? views : views.filter((p) => p.status === status.toUpperCase()) });
  });

  route(router, ops.createPromotion, async (req, res) => {
    const input = parseBody(promotionInputSchema, req.body);
    try {
      const row = await db.promotion.create({
        data: { ...promotionColumns(input), createdBy: actorOf(req).name },
      });
      res.status(201).json(view(row));
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') {
        throw new HttpError(409, 'PROMOTION_CODE_TAKEN', `A promotion ${input.code} exists already`);
      }
      throw err;
    }
  });

  route(router, ops.getPromotion, async (req, res) => {
    const row = await requirePromotion(String(req.params.code));
    const [given, coupons] = await Promise.all([
      db.orderDiscount.aggregate({ where: { promotionId: row.id }, _sum: { amountMinor: true }, _count: true }),
      db.coupon.aggregate({ where: { promotionId: row.id }, _sum: { used: true }, _count: true }),
    ]);
    res.json({
      ...view(row),
      orders: given._count,
      discountMinor: given._sum.amountMinor ?? 0,
      coupons: { codes: coupons._count, used: coupons._sum.used ?? 0 },
    });
  });

  route(router, ops.changePromotion, async (req, res) => {
    const row = await requirePromotion(String(req.params.code));
    const change = parseBody(promotionChangeSchema, req.body);
    if (row.endedAt) throw new HttpError(409, 'WRONG_STATE', `Promotion ${row.code} has ended`);
    const current = promotionOf(row);
    const before: Record<string, unknown> = {
      code: row.code,
      name: row.name,
      rule: current.rule,
      channels: current.channels,
      locations: current.locations,
      tiers: current.tiers,
      hours: current.hours,
      startsAt: row.startsAt ?? undefined,
      endsAt: row.endsAt ?? undefined,
      couponRequired: row.couponRequired,
      exclusive: row.exclusive,
      priority: row.priority,
    };
    // A field sent as null is taken away (an end date, a channel list).
    const merged = Object.fromEntries(
      Object.entries({ ...before, ...change }).filter(([, v]) => v !== null && v !== undefined),
    );
    const input: PromotionInput = parseBody(promotionInputSchema, merged);
    const updated = await db.promotion.update({ where: { id: row.id }, data: promotionColumns(input) });
    res.json(view(updated));
  });

  route(router, ops.endPromotion, async (req, res) => {
    const row = await requirePromotion(String(req.params.code));
    parseBody(emptyBody, req.body ?? {});
    const ended = await db.promotion.updateMany({
      where: { id: row.id, endedAt: null },
      data: { endedAt: new Date() },
    });
    if (ended.count !== 1) throw new HttpError(409, 'WRONG_STATE', `Promotion ${row.code} has ended already`);
    res.json(view(await requirePromotion(row.code)));
  });

  route(router, ops.createCoupons, async (req, res) => {
    const row = await requirePromotion(String(req.params.code));
    const input = parseBody(couponsSchema, req.body);
    if (row.endedAt) throw new HttpError(409, 'WRONG_STATE', `Promotion ${row.code} has ended`);
    if (!row.couponRequired) {
      throw new HttpError(409, 'WRONG_STATE', `Promotion ${row.code} runs without coupons: set couponRequired first`);
    }
    if (input.customerId !== undefined) {
      const found = await db.customer.findUnique({ where: { id: input.customerId }, select: { id: true } });
      if (!found) throw new HttpError(404, 'CUSTOMER_NOT_FOUND', `No customer ${input.customerId}`);
    }
    const codes = 'codes' in input ? input.codes : Array.from({ length: input.count }, () => randomCode(input.prefix));
    const shared = {
      promotionId: row.id,
      maxUses: input.maxUses ?? null,
      perCustomer: input.perCustomer ?? null,
      expiresAt: input.expiresAt ?? null,
      customerId: input.customerId ?? null,
      createdBy: actorOf(req).name,
    };
    try {
      const coupons = await db.coupon.createManyAndReturn({ data: codes.map((code) => ({ ...shared, code })) });
      res.status(201).json({ coupons });
    } catch (err) {
      // All or none: one code taken (by another promotion, or twice in the list) writes no code at all.
      if ((err as { code?: string }).code === 'P2002') {
        throw new HttpError(409, 'COUPON_CODE_TAKEN', 'A coupon code given exists already, or is given twice');
      }
      throw err;
    }
  });

  route(router, ops.listCoupons, async (req, res) => {
    const row = await requirePromotion(String(req.params.code));
    const coupons = await db.coupon.findMany({ where: { promotionId: row.id }, orderBy: { id: 'asc' }, take: 5000 });
    res.json({ coupons });
  });

  return router;
}

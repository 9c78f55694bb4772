/** /api/reports: figures for managers. The arithmetic is domain/*-report.ts; these routes choose the orders. */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { reportOnPromotion } from '../../orders/promotion-report';
import { HttpError } from '../errors';
import { apiGroup, route } from '../operations';
import { parseQuery } from '../validate';

const promotionQuery = z.object({
  code: z.string().min(1).max(32).optional().describe('One promotion; all of them (the 50 newest) when omitted'),
});

export const reportApi = apiGroup({
  mount: '/api/reports',
  tag: 'Reports',
  description:
    'Figures for managers. Revenue is what the orders cost after their discounts, less what was refunded; cancelled and rejected orders are no sales.',
  operations: {
    promotionReport: {
      method: 'get',
      path: '/promotions',
      summary: 'How a promotion did: its period against the same length of time just before it',
      description:
        'For each promotion: `periods` (while it ran, from its start until it ended or now, and the same length before), and for each period the shop’s `orders`, `revenueMinor`, `discountMinor` (what this promotion took off), `averageBasketMinor` and `unitsPerOrder` (gifts not counted), limited to the promotion’s channels; `withPromotion`, the same for the orders that took it; `change` in percent (null with nothing before).',
      permission: 'reports.read',
      query: promotionQuery,
      responses: { 200: '`{reports}`' },
      errors: { 404: '`PROMOTION_NOT_FOUND`' },
    },
  },
});

export function reportRoutes(db: Db): Router {
  const router = Router();
  route(router, reportApi.operations.promotionReport, async (req, res) => {
    const { code } = parseQuery(promotionQuery, req.query);
    const codes = code
      ? [code]
      : (await db.promotion.findMany({ orderBy: { id: 'desc' }, take: 50, select: { code: true } })).map((p) => p.code);
    const reports = [];
    for (const c of codes) {
      const report = await reportOnPromotion(db, c);
      if (!report) throw new HttpError(404, 'PROMOTION_NOT_FOUND', `No promotion ${c}`);
      reports.push(report);
    }
    res.json({ reports });
  });
  return router;
}

import { Router } from 'express';
import type { Db } from '../../db/client';

export function catalogueRoutes(db: Db): Router {
  const router = Router();

  router.get('/products', async (_req, res) => {
    const products = await db.product.findMany({
      include: { variants: { orderBy: { sku: 'asc' } } },
      orderBy: { code: 'asc' },
    });
    res.json({ products });
  });

  /** Stock per SKU and location; `?sku=` and `?location=` (location code) filter. */
  router.get('/inventory', async (req, res) => {
    const sku = typeof req.query.sku === 'string' ? req.query.sku : undefined;
    const locationCode = typeof req.query.location === 'string' ? req.query.location : undefined;
    const locations = await db.location.findMany();
    const byId = new Map(locations.map((l) => [l.id, l]));
    const levels = await db.stockLevel.findMany({
      where: {
        ...(sku ? { sku } : {}),
        ...(locationCode ? { locationId: locations.find((l) => l.code === locationCode)?.id ?? -1 } : {}),
      },
      orderBy: [{ sku: 'asc' }, { locationId: 'asc' }],
    });
    res.json({
      levels: levels.map((l) => ({
        sku: l.sku,
        location: byId.get(l.locationId)?.code,
        onHand: l.onHand,
        reserved: l.reserved,
        available: l.onHand - l.reserved,
        safetyStock: l.safetyStock,
      })),
    });
  });

  return router;
}

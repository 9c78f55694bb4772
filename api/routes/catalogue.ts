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

  return router;
}

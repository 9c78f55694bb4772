import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { checkStockAgainstLedger } from '../../inventory/check';
import { CountBelowReservedError, recordCount } from '../../inventory/counts';
import { applyMovements } from '../../inventory/ledger';
import { reviewLowStock, type NotifyManager } from '../../inventory/low-stock';
import { requireRole } from '../auth';
import { HttpError } from '../errors';
import { parseBody } from '../validate';
import { locationByCode, requireKnownSkus } from '../lookups';

const receiptSchema = z
  .object({
    location: z.string().trim().min(1).max(64),
    /** The supplier's delivery note: posting the same one twice receives it once. */
    reference: z.string().trim().min(1).max(100),
    lines: z
      .array(
        z.object({ sku: z.string().trim().min(1).max(64), quantity: z.number().int().min(1).max(1_000_000) }).strict(),
      )
      .min(1)
      .max(500),
  })
  .strict();

const countSchema = z
  .object({
    location: z.string().trim().min(1).max(64),
    /** The count sheet's reference: posting the same sheet twice adjusts once. */
    reference: z.string().trim().min(1).max(100),
    reason: z.string().trim().min(1).max(200).optional(),
    lines: z
      .array(
        z.object({ sku: z.string().trim().min(1).max(64), counted: z.number().int().min(0).max(1_000_000) }).strict(),
      )
      .min(1)
      .max(1_000),
  })
  .strict();

const query = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

export function inventoryRoutes(db: Db, notifyManager: NotifyManager): Router {
  const router = Router();

  router.get('/locations', async (_req, res) => {
    res.json({ locations: await db.location.findMany({ orderBy: [{ priority: 'asc' }, { id: 'asc' }] }) });
  });

  /** Stock per SKU and location; `?sku=`, `?location=` (code) and `?low=true` (below safety stock) filter. */
  router.get('/inventory', async (req, res) => {
    const sku = query(req.query.sku);
    const locationCode = query(req.query.location);
    const locations = await db.location.findMany();
    const byId = new Map(locations.map((l) => [l.id, l]));
    const levels = await db.stockLevel.findMany({
      where: {
        ...(sku ? { sku } : {}),
        ...(locationCode ? { locationId: locations.find((l) => l.code === locationCode)?.id ?? -1 } : {}),
      },
      orderBy: [{ sku: 'asc' }, { locationId: 'asc' }],
    });
    const rows = levels.map((l) => ({
      sku: l.sku,
      location: byId.get(l.locationId)?.code,
      onHand: l.onHand,
      reserved: l.reserved,
      available: l.onHand - l.reserved,
      safetyStock: l.safetyStock,
    }));
    res.json({ levels: req.query.low === 'true' ? rows.filter((r) => r.available < r.safetyStock) : rows });
  });

  router.get('/inventory/movements', async (req, res) => {
    const sku = query(req.query.sku);
    const locationCode = query(req.query.location);
    const limit = Math.min(Math.max(Number(req.query.limit ?? 100) || 100, 1), 1_000);
    const location = locationCode ? await locationByCode(db, locationCode) : undefined;
    const movements = await db.stockMovement.findMany({
      where: { ...(sku ? { sku } : {}), ...(location ? { locationId: location.id } : {}) },
      orderBy: { id: 'desc' },
      take: limit,
    });
    res.json({ movements });
  });

  /** Managers: recompute every level from the ledger. */
  router.get('/inventory/check', requireRole('manager'), async (_req, res) => {
    const differences = await checkStockAgainstLedger(db);
    res.json({ consistent: differences.length === 0, differences });
  });

  /** A supplier delivery received at a location. */
  router.post('/inventory/receipts', requireRole('warehouse', 'manager'), async (req, res) => {
    const receipt = parseBody(receiptSchema, req.body);
    const location = await locationByCode(db, receipt.location);
    await requireKnownSkus(
      db,
      receipt.lines.map((l) => l.sku),
    );

    const result = await applyMovements(
      db,
      receipt.lines.map((line, i) => ({
        key: `receipt:${location.id}:${receipt.reference}:${i + 1}`,
        kind: 'RECEIPT' as const,
        sku: line.sku,
        locationId: location.id,
        onHandDelta: line.quantity,
        reference: receipt.reference,
        actor: req.actor!.name,
      })),
    );
    await reviewLowStock(
      db,
      notifyManager,
      receipt.lines.map((l) => ({ sku: l.sku, locationId: location.id })),
    );
    res.status(result === 'applied' ? 201 : 200).json({ received: result === 'applied', reference: receipt.reference });
  });

  /** A stock count: counted quantities in, adjustments out. */
  router.post('/inventory/counts', requireRole('warehouse', 'manager'), async (req, res) => {
    const count = parseBody(countSchema, req.body);
    const location = await locationByCode(db, count.location);
    await requireKnownSkus(
      db,
      count.lines.map((l) => l.sku),
    );
    try {
      const adjustments = await recordCount(db, { ...count, locationId: location.id, actor: req.actor!.name });
      await reviewLowStock(
        db,
        notifyManager,
        count.lines.map((l) => ({ sku: l.sku, locationId: location.id })),
      );
      res.status(201).json({ reference: count.reference, adjustments });
    } catch (err) {
      if (err instanceof CountBelowReservedError) {
        throw new HttpError(409, 'COUNT_BELOW_RESERVED', err.message, {
          sku: err.sku,
          counted: err.counted,
          reserved: err.reserved,
        });
      }
      throw err;
    }
  });

  /** Open warnings for managers (low stock now; order delays come with the full lifecycle). */
  router.get('/warnings', async (_req, res) => {
    const warnings = await db.warning.findMany({ where: { openKey: { not: null } }, orderBy: { openedAt: 'asc' } });
    res.json({ warnings });
  });

  return router;
}

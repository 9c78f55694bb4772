import { Router } from 'express';
import { z } from 'zod';
import { multilineText, text } from '../../domain/text';
import { availableOf } from '../../domain/stock';
import type { Db } from '../../db/client';
import { checkSerialUnits, checkStockAgainstLedger } from '../../inventory/check';
import { CountBelowReservedError, CountNeedsManagerError, recordCount } from '../../inventory/counts';
import { receiveDelivery } from '../../inventory/receipts';
import { listStockLevels, setSafetyStock } from '../../inventory/levels';
import { writeOff } from '../../inventory/write-offs';
import { SerialError } from '../../inventory/serials';
import { reviewLowStock, type NotifyManager } from '../../inventory/low-stock';
import { actorOf } from '../auth';
import { mayDo } from '../permissions';
import { noteSecurityEvent } from '../security-events';
import { HttpError } from '../errors';
import { apiGroup, route } from '../operations';
import { parseBody, parseQuery } from '../validate';
import { locationByCode, requireKnownSkus } from '../lookups';

/** Goods at a location under a reference (delivery note, write-off slip); the reference makes it happen once. */
const stockDocument = {
  location: text(64),
  reference: text(100),
  lines: z
    .array(
      z
        .object({
          sku: text(64),
          quantity: z.number().int().min(1).max(1_000_000),
          /** Serialised goods: one serial number (IMEI) per unit. */
          serials: z.array(text(64)).max(10_000).optional(),
        })
        .strict(),
    )
    .min(1)
    .max(500),
};
const receiptSchema = z.object(stockDocument).strict();
const writeOffSchema = z.object({ ...stockDocument, reason: text(200) }).strict();

const countSchema = z
  .object({
    location: text(64),
    /** The count sheet's reference: posting the same sheet twice adjusts once. */
    reference: text(100),
    reason: multilineText(200).optional(),
    lines: z
      .array(z.object({ sku: text(64), counted: z.number().int().min(0).max(1_000_000) }).strict())
      .min(1)
      .max(1_000)
      .refine((lines) => new Set(lines.map((l) => l.sku)).size === lines.length, {
        message: 'Each SKU is counted on one line of the sheet',
      }),
  })
  .strict();

const safetyStockSchema = z.object({ safetyStock: z.number().int().min(0).max(1_000_000) }).strict();

/**
 * Query filters are lenient, as they always were: an empty, repeated or (for `limit`) non-numeric parameter counts
 * as not given rather than a 422.
 */
const filter = z.string().min(1).optional().catch(undefined);
const levelsQuery = z.object({
  sku: filter,
  location: filter,
  /** `true`: only levels below their safety stock; anything else lists them all. */
  low: z
    .literal('true')
    .optional()
    .catch(undefined)
    .transform((v) => v === 'true'),
});
const movementsQuery = z.object({
  sku: filter,
  location: filter,
  /** 100 when missing, 0 or not a number; otherwise held to 1..1,000. */
  limit: z.coerce
    .number()
    .catch(100)
    .transform((n) => Math.min(Math.max(n || 100, 1), 1_000)),
});

/** Serial-number mistakes (a missing, malformed or repeated IMEI) are the request's fault: 422. */
async function refuseSerialMistakes<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof SerialError) throw new HttpError(422, 'SERIAL_NUMBERS', err.message);
    throw err;
  }
}

const UNKNOWN_STOCK = '`UNKNOWN_LOCATION`, `UNKNOWN_SKU`, `SERIAL_NUMBERS` (a missing, malformed or repeated serial)';

export const inventoryApi = apiGroup({
  mount: '/api',
  tag: 'Inventory',
  description:
    'Stock levels and the ledger of every change: receipts, write-offs, counts, safety stock, serialised units, and open warnings. A delivery note, write-off slip or count sheet is applied once per `reference`.',
  operations: {
    listStockLevels: {
      method: 'get',
      path: '/inventory',
      summary: 'Stock per SKU and location',
      description:
        'Filters are lenient: an empty, repeated or malformed one counts as not given. `low=true`: only levels below their safety stock.',
      permission: 'inventory.read',
      query: levelsQuery,
      responses: { 200: '`{levels}`: on hand, reserved, available and safety stock' },
    },
    listStockMovements: {
      method: 'get',
      path: '/inventory/movements',
      summary: 'The ledger, newest first',
      description: '`limit`: 100 when missing, 0 or not a number; otherwise held to 1 to 1,000.',
      permission: 'inventory.read',
      query: movementsQuery,
      responses: { 200: '`{movements}`' },
      errors: { 422: '`UNKNOWN_LOCATION`' },
    },
    checkStock: {
      method: 'get',
      path: '/inventory/check',
      summary: 'Recompute every level from the ledger',
      description: 'Also serialised units against on hand. The same as `npm run check:stock`.',
      permission: 'inventory.check',
      responses: { 200: '`{consistent, differences, serialDifferences}`' },
    },
    receiveStock: {
      method: 'post',
      path: '/inventory/receipts',
      summary: 'A supplier delivery received at a location',
      description: 'Serialised goods give one serial (IMEI) per unit.',
      permission: 'inventory.receive',
      body: receiptSchema,
      responses: {
        201: '`{received: true, reference}`',
        200: '`{received: false, reference}`: that reference was received before',
      },
      errors: { 422: UNKNOWN_STOCK },
    },
    writeOffStock: {
      method: 'post',
      path: '/inventory/write-offs',
      summary: 'Stock that can no longer be sold leaves the books',
      permission: 'inventory.write-off',
      body: writeOffSchema,
      responses: {
        201: '`{writtenOff: true, reference}`',
        200: '`{writtenOff: false, reference}`: written off before',
      },
      errors: { 409: '`INSUFFICIENT_STOCK`', 422: UNKNOWN_STOCK },
    },
    countStock: {
      method: 'post',
      path: '/inventory/counts',
      summary: 'A stock count: counted quantities in, adjustments out',
      description:
        "Serialised goods are counted by serial, not by quantity. The sheet is recorded whole or not at all. Without the `inventory.write-off` permission (a manager's), counts may lower one SKU at one location by at most `OMS_COUNT_LOWER_LIMIT` units a day in total: past it the sheet is refused (403, audited) and a manager records it or writes the stock off.",
      permission: 'inventory.count',
      body: countSchema,
      responses: { 201: '`{reference, adjustments}`' },
      errors: {
        403: '`COUNT_NEEDS_MANAGER`: lowers stock past the limit (`details.limit`, `details.lines`); nothing recorded',
        409: '`COUNT_BELOW_RESERVED`',
        422: UNKNOWN_STOCK,
      },
    },
    setSafetyStock: {
      method: 'put',
      path: '/inventory/levels/:sku/:location',
      summary: 'Set the safety stock of a SKU at a location',
      description: 'Below it, the level raises a `LOW_STOCK` warning.',
      permission: 'inventory.adjust',
      body: safetyStockSchema,
      responses: { 200: 'The level, with its location code and `available`' },
      errors: { 422: '`UNKNOWN_LOCATION`, `UNKNOWN_SKU`' },
    },
    getSerial: {
      method: 'get',
      path: '/serials/:serial',
      summary: 'One serialised unit (a phone, by IMEI) and its history',
      permission: 'inventory.read',
      responses: { 200: 'The unit and its `events`: receipt, sale, return, transfers' },
      errors: { 404: '`SERIAL_NOT_FOUND`' },
    },
    listWarnings: {
      method: 'get',
      path: '/warnings',
      summary: 'Open warnings',
      description: '`LOW_STOCK`, order `DELAY` (with its `stage`) and delivery `EXCEPTION`.',
      permission: 'warnings.read',
      responses: { 200: '`{warnings}`' },
    },
  },
});

export function inventoryRoutes(db: Db, notifyManager: NotifyManager, countLowerLimit: number): Router {
  const router = Router();
  const { operations } = inventoryApi;

  /** Stock per SKU and location; `?sku=`, `?location=` (code) and `?low=true` (below safety stock) filter. */
  route(router, operations.listStockLevels, async (req, res) => {
    const { sku, location, low } = parseQuery(levelsQuery, req.query);
    res.json({ levels: await listStockLevels(db, { sku, locationCode: location, low }) });
  });

  route(router, operations.listStockMovements, async (req, res) => {
    const { sku, location: locationCode, limit } = parseQuery(movementsQuery, req.query);
    const location = locationCode ? await locationByCode(db, locationCode) : undefined;
    const movements = await db.stockMovement.findMany({
      where: { ...(sku ? { sku } : {}), ...(location ? { locationId: location.id } : {}) },
      orderBy: { id: 'desc' },
      take: limit,
    });
    res.json({ movements });
  });

  /** Managers: recompute every level from the ledger. */
  route(router, operations.checkStock, async (_req, res) => {
    const [differences, serialDifferences] = await Promise.all([checkStockAgainstLedger(db), checkSerialUnits(db)]);
    res.json({
      consistent: differences.length === 0 && serialDifferences.length === 0,
      differences,
      serialDifferences,
    });
  });

  /** A supplier delivery received at a location. */
  route(router, operations.receiveStock, async (req, res) => {
    const receipt = parseBody(receiptSchema, req.body);
    const location = await locationByCode(db, receipt.location);
    await requireKnownSkus(
      db,
      receipt.lines.map((l) => l.sku),
    );

    const received = await refuseSerialMistakes(() =>
      receiveDelivery(db, { ...receipt, locationId: location.id, actor: actorOf(req).name }),
    );
    await reviewLowStock(
      db,
      notifyManager,
      receipt.lines.map((l) => ({ sku: l.sku, locationId: location.id })),
    );
    res.status(received ? 201 : 200).json({ received, reference: receipt.reference });
  });

  /** Stock that can no longer be sold leaves the books, with who and why. */
  route(router, operations.writeOffStock, async (req, res) => {
    const input = parseBody(writeOffSchema, req.body);
    const location = await locationByCode(db, input.location);
    await requireKnownSkus(
      db,
      input.lines.map((l) => l.sku),
    );
    const result = await refuseSerialMistakes(() =>
      writeOff(db, { ...input, locationId: location.id, actor: actorOf(req).name }),
    );
    if (result === 'insufficient') {
      throw new HttpError(409, 'INSUFFICIENT_STOCK', `${location.code} does not have that much available to write off`);
    }
    await reviewLowStock(
      db,
      notifyManager,
      input.lines.map((l) => ({ sku: l.sku, locationId: location.id })),
    );
    res.status(result === 'applied' ? 201 : 200).json({ writtenOff: result === 'applied', reference: input.reference });
  });

  /** A stock count: counted quantities in, adjustments out. */
  route(router, operations.countStock, async (req, res) => {
    const count = parseBody(countSchema, req.body);
    const location = await locationByCode(db, count.location);
    await requireKnownSkus(
      db,
      count.lines.map((l) => l.sku),
    );
    // Who may write stock off may count it down; anyone else only by a few units (domain/stock-count.ts).
    const actor = req.actor!;
    const lowerLimit = mayDo(actor.role, 'inventory.write-off') ? undefined : countLowerLimit;
    try {
      const adjustments = await refuseSerialMistakes(() =>
        recordCount(db, { ...count, locationId: location.id, actor: actorOf(req).name }, lowerLimit),
      );
      await reviewLowStock(
        db,
        notifyManager,
        count.lines.map((l) => ({ sku: l.sku, locationId: location.id })),
      );
      res.status(201).json({ reference: count.reference, adjustments });
    } catch (err) {
      if (err instanceof CountNeedsManagerError) {
        const skus = err.lines.map((l) => l.sku).join(', ');
        noteSecurityEvent(res, {
          kind: 'FORBIDDEN',
          keyId: actor.keyId,
          keyPrefix: actor.prefix,
          detail: `inventory.count: ${count.reference} at ${location.code} lowers ${skus} past ${err.limit} a day`,
        });
        throw new HttpError(403, 'COUNT_NEEDS_MANAGER', err.message, { limit: err.limit, lines: err.lines });
      }
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

  /** Managers set the safety stock below which a location's stock of a SKU raises a warning. */
  route(router, operations.setSafetyStock, async (req, res) => {
    const { safetyStock } = parseBody(safetyStockSchema, req.body);
    const sku = String(req.params.sku);
    const location = await locationByCode(db, String(req.params.location));
    await requireKnownSkus(db, [sku]);
    await setSafetyStock(db, sku, location.id, safetyStock);
    await reviewLowStock(db, notifyManager, [{ sku, locationId: location.id }]);
    const level = await db.stockLevel.findUniqueOrThrow({
      where: { sku_locationId: { sku, locationId: location.id } },
    });
    res.json({ ...level, location: location.code, available: availableOf(level) });
  });

  /** One serialised unit and its history. */
  route(router, operations.getSerial, async (req, res) => {
    const unit = await db.serialUnit.findUnique({
      where: { serial: String(req.params.serial) },
      include: { events: { orderBy: { id: 'asc' } } },
    });
    if (!unit) throw new HttpError(404, 'SERIAL_NOT_FOUND', `No unit with serial ${String(req.params.serial)}`);
    res.json(unit);
  });

  /** Open warnings for managers (low stock now; order delays come with the full lifecycle). */
  route(router, operations.listWarnings, async (_req, res) => {
    const warnings = await db.warning.findMany({ where: { openKey: { not: null } }, orderBy: { openedAt: 'asc' } });
    res.json({ warnings });
  });

  return router;
}

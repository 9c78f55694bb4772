/**
 * Stock counts (盘点): staff count what is on the shelf; each difference from the recorded on-hand becomes an ADJUST
 * movement with who and why. The whole sheet applies or none of it: its adjustments are one batch, applied only if
 * every level still holds what was read; if one has moved, the sheet is compared again with the new figures. A count
 * by anyone but a manager may lower stock only so far (domain/stock-count.ts); past it, nothing is recorded.
 */
import type { Db, Tx } from '../db/client';
import { COUNT_LOWERING_WINDOW_MS, loweringsPastLimit, type CountLowering } from '../domain/stock-count';
import { applyMovements, type Movement } from './ledger';
import { SerialError, serialisedSkus } from './serials';

export interface CountLine {
  sku: string;
  counted: number;
}

export interface CountAdjustment {
  sku: string;
  recorded: number;
  counted: number;
  delta: number;
}

export class CountBelowReservedError extends Error {
  constructor(
    readonly sku: string,
    readonly counted: number,
    readonly reserved: number,
  ) {
    super(
      `${sku}: counted ${counted}, but ${reserved} are reserved for orders; release them before recording the count`,
    );
  }
}

/** The count lowers stock past what a non-manager may (nothing was recorded). */
export class CountNeedsManagerError extends Error {
  constructor(
    readonly limit: number,
    readonly lines: CountLowering[],
  ) {
    super(
      `${lines.map((l) => `${l.sku}: counted ${l.counted} of ${l.recorded}`).join('; ')}: a count may lower a ` +
        `SKU's stock here by ${limit} units a day without a manager (this one would make it ` +
        `${Math.max(...lines.map((l) => l.loweredInWindow))}); a manager records this count or writes the stock off`,
    );
  }
}

const MAX_ATTEMPTS = 5;
const keyPrefix = (locationId: number) => `count:${locationId}:`;

/** Units counts have lowered this SKU at this location by within the window (read inside the count's transaction). */
async function loweredRecently(tx: Tx, sku: string, locationId: number): Promise<number> {
  const { _sum } = await tx.stockMovement.aggregate({
    where: {
      kind: 'ADJUST',
      sku,
      locationId,
      key: { startsWith: keyPrefix(locationId) },
      onHandDelta: { lt: 0 },
      createdAt: { gte: new Date(Date.now() - COUNT_LOWERING_WINDOW_MS) },
    },
    _sum: { onHandDelta: true },
  });
  return -(_sum.onHandDelta ?? 0);
}

/**
 * Records the count; answers the adjustments made ([] for a sheet recorded before). `lowerLimit`: how far the
 * counter may lower a SKU here in a day (undefined: a manager, no limit); past it, CountNeedsManagerError.
 */
export async function recordCount(
  db: Db,
  count: { locationId: number; reference: string; actor: string; reason?: string; lines: CountLine[] },
  lowerLimit?: number,
): Promise<CountAdjustment[]> {
  const serialised = [
    ...(await serialisedSkus(
      db,
      count.lines.map((l) => l.sku),
    )),
  ];
  if (serialised.length) {
    throw new SerialError(
      `serialised goods are counted by scanning each unit, not by quantity: ${serialised.join(', ')}`,
    );
  }
  for (let attempt = 1; ; attempt++) {
    const levels = await db.stockLevel.findMany({
      where: { locationId: count.locationId, sku: { in: count.lines.map((l) => l.sku) } },
    });
    const adjustments: CountAdjustment[] = [];
    const movements: Movement[] = [];
    for (const [i, line] of count.lines.entries()) {
      const level = levels.find((l) => l.sku === line.sku);
      const recorded = level?.onHand ?? 0;
      if (line.counted < (level?.reserved ?? 0))
        throw new CountBelowReservedError(line.sku, line.counted, level!.reserved);
      const delta = line.counted - recorded;
      if (delta === 0) continue;
      adjustments.push({ sku: line.sku, recorded, counted: line.counted, delta });
      movements.push({
        key: `${keyPrefix(count.locationId)}${count.reference}:${i + 1}`,
        kind: 'ADJUST',
        sku: line.sku,
        locationId: count.locationId,
        onHandDelta: delta,
        expectedOnHand: recorded,
        reference: count.reference,
        actor: count.actor,
        reason: count.reason ?? 'stock count',
      });
    }
    if (movements.length === 0) return [];
    // Checked after the levels' rows are updated (so locked): two counts at once cannot both slip under the limit.
    const withinLimit = async (tx: Tx) => {
      if (lowerLimit === undefined) return;
      const lowerings: CountLowering[] = [];
      for (const a of adjustments.filter((a) => a.delta < 0)) {
        const loweredInWindow = await loweredRecently(tx, a.sku, count.locationId);
        lowerings.push({ sku: a.sku, recorded: a.recorded, counted: a.counted, loweredInWindow });
      }
      const past = loweringsPastLimit(lowerings, lowerLimit);
      if (past.length) throw new CountNeedsManagerError(lowerLimit, past);
    };
    const result = await applyMovements(db, movements, withinLimit);
    if (result === 'applied') return adjustments;
    if (result === 'already-applied') return [];
    if (attempt === MAX_ATTEMPTS)
      throw new Error(`stock at this location keeps changing while the count is recorded; try again`);
  }
}

/**
 * Stock counts (盘点): staff count what is on the shelf; each difference from the recorded on-hand
 * becomes an ADJUST movement with who and why. The adjustment applies only if on hand has not moved
 * since it was read; if it has, the count is compared again with the new figure.
 */
import type { Db } from '../db/client';
import { applyMovements } from './ledger';
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

const MAX_ATTEMPTS = 5;

export async function recordCount(
  db: Db,
  count: { locationId: number; reference: string; actor: string; reason?: string; lines: CountLine[] },
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
  const adjustments: CountAdjustment[] = [];
  for (const [i, line] of count.lines.entries()) {
    for (let attempt = 1; ; attempt++) {
      const level = await db.stockLevel.findUnique({
        where: { sku_locationId: { sku: line.sku, locationId: count.locationId } },
      });
      const recorded = level?.onHand ?? 0;
      if (line.counted < (level?.reserved ?? 0))
        throw new CountBelowReservedError(line.sku, line.counted, level!.reserved);
      const delta = line.counted - recorded;
      if (delta === 0) break;
      const result = await applyMovements(db, [
        {
          key: `count:${count.locationId}:${count.reference}:${i + 1}`,
          kind: 'ADJUST',
          sku: line.sku,
          locationId: count.locationId,
          onHandDelta: delta,
          expectedOnHand: recorded,
          reference: count.reference,
          actor: count.actor,
          reason: count.reason ?? 'stock count',
        },
      ]);
      if (result === 'applied') adjustments.push({ sku: line.sku, recorded, counted: line.counted, delta });
      if (result !== 'insufficient') break;
      if (attempt === MAX_ATTEMPTS)
        throw new Error(`${line.sku} keeps changing while the count is recorded; try again`);
    }
  }
  return adjustments;
}

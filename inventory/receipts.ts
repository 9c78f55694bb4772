/** Receiving a supplier delivery at a location; the delivery note's reference makes it happen once. */
import type { Db } from '../db/client';
import { applyMovements } from './ledger';
import { receiveUnits, requireSerialPerUnit, serialisedSkus } from './serials';

export interface DeliveryLine {
  sku: string;
  quantity: number;
  serials?: string[];
}

/** Returns false when this delivery note was received before. */
export async function receiveDelivery(
  db: Db,
  delivery: { locationId: number; reference: string; actor: string; lines: DeliveryLine[] },
): Promise<boolean> {
  const serialised = await serialisedSkus(
    db,
    delivery.lines.map((l) => l.sku),
  );
  requireSerialPerUnit(delivery.lines, serialised, 'received');
  const result = await applyMovements(
    db,
    delivery.lines.map((line, i) => ({
      key: `receipt:${delivery.locationId}:${delivery.reference}:${i + 1}`,
      kind: 'RECEIPT' as const,
      sku: line.sku,
      locationId: delivery.locationId,
      onHandDelta: line.quantity,
      reference: delivery.reference,
      actor: delivery.actor,
    })),
    async (tx) => {
      for (const line of delivery.lines.filter((l) => serialised.has(l.sku))) {
        await receiveUnits(tx, line.sku, delivery.locationId, line.serials!, delivery.reference);
      }
    },
  );
  return result === 'applied';
}

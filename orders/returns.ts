/**
 * A return's goods received back, checked before its workflow is told (the workflow cannot read the database):
 * against the lines the return was opened for, and the serialised units the order sold.
 */
import type { Db } from '../db/client';
import { checkReceivedLine, type ReceivedReturnLine, type ReturnedLine } from '../domain/after-sales';
import { serialisedSkus } from '../inventory/serials';

export class ReturnReceiptError extends Error {
  constructor(
    readonly code: 'UNKNOWN_LINE' | 'INVALID_CONTENT' | 'SERIAL_NOT_SOLD_HERE',
    message: string,
    readonly details?: { serials: string[] },
  ) {
    super(message);
  }
}

/**
 * Throws a ReturnReceiptError for the first received line (in the order given) that is not on the return, whose
 * serial numbers are not one per returned unit of a serialised SKU, or that names units not sold on this order.
 */
export async function checkReturnReceipt(
  db: Db,
  request: { returnNumber: string; lines: unknown; order: { orderNumber: string } },
  received: readonly ReceivedReturnLine[],
): Promise<void> {
  const returned = request.lines as ReturnedLine[]; // the JSON the return was opened with
  const { orderNumber } = request.order;
  const serialised = await serialisedSkus(
    db,
    returned.map((l) => l.sku),
  );
  for (const line of received) {
    const checked = checkReceivedLine(line, returned, serialised, request.returnNumber);
    if ('problem' in checked) throw new ReturnReceiptError(checked.problem.code, checked.problem.message);
    if (!line.serials) continue;
    const { sku } = checked.returned;
    const units = await db.serialUnit.findMany({ where: { serial: { in: [...line.serials] } } });
    const foreign = line.serials.filter(
      (s) => !units.some((u) => u.serial === s && u.sku === sku && u.status === 'SOLD' && u.reference === orderNumber),
    );
    if (foreign.length) {
      throw new ReturnReceiptError('SERIAL_NOT_SOLD_HERE', `Not units sold on ${orderNumber}: ${foreign.join(', ')}`, {
        serials: foreign,
      });
    }
  }
}

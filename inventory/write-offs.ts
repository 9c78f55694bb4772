/** Writing off stock that can no longer be sold (damaged, expired, stolen), with who and why. */
import type { Db } from '../db/client';
import { applyMovements } from './ledger';
import { requireSerialPerUnit, serialisedSkus, writeOffUnits } from './serials';

export interface WriteOffLine {
  sku: string;
  quantity: number;
  serials?: string[];
}

/** Returns 'applied', 'already-applied' (the same reference again) or 'insufficient' (not that much available). */
export async function writeOff(
  db: Db,
  writeOff: { locationId: number; reference: string; reason: string; actor: string; lines: WriteOffLine[] },
) {
  const serialised = await serialisedSkus(
    db,
    writeOff.lines.map((l) => l.sku),
  );
  requireSerialPerUnit(writeOff.lines, serialised, 'written off');
  return applyMovements(
    db,
    writeOff.lines.map((line, i) => ({
      key: `write-off:${writeOff.locationId}:${writeOff.reference}:${i + 1}`,
      kind: 'WRITE_OFF' as const,
      sku: line.sku,
      locationId: writeOff.locationId,
      onHandDelta: -line.quantity,
      reference: writeOff.reference,
      actor: writeOff.actor,
      reason: writeOff.reason,
    })),
    async (tx) => {
      for (const line of writeOff.lines.filter((l) => serialised.has(l.sku))) {
        await writeOffUnits(tx, line.sku, writeOff.locationId, line.serials!, writeOff.reference);
      }
    },
  );
}

/**
 * Serialised goods: each unit (a phone, by IMEI) is followed from receipt to sale to return.
 * These run inside the same transaction as the ledger movement they belong to, so for a serialised
 * SKU the units IN_STOCK at a location always number its on-hand stock there.
 */
import type { Db, Tx } from '../db/client';
import { isValidImei } from '../domain/imei';

export class SerialError extends Error {}

/** The IMEI rule itself is in domain/imei.ts; here too for the callers that follow units. */
export { isValidImei, withImeiCheckDigit } from '../domain/imei';

/** Which of these SKUs are serialised. */
export async function serialisedSkus(db: Db | Tx, skus: string[]): Promise<Set<string>> {
  const variants = await db.productVariant.findMany({
    where: { sku: { in: [...new Set(skus)] }, product: { serialised: true } },
    select: { sku: true },
  });
  return new Set(variants.map((v) => v.sku));
}

/** Serialised lines must name each unit: one serial per piece. */
export function requireSerialPerUnit(
  lines: { sku: string; quantity: number; serials?: string[] }[],
  serialised: Set<string>,
  action: string,
): void {
  for (const line of lines) {
    if (serialised.has(line.sku) && line.serials?.length !== line.quantity) {
      throw new SerialError(`${line.sku} is serialised: give one serial number per unit ${action} (${line.quantity})`);
    }
    if (!serialised.has(line.sku) && line.serials)
      throw new SerialError(`${line.sku} is not serialised: send no serials`);
  }
}

async function record(tx: Tx, serials: string[], kind: string, locationId: number | null, reference?: string) {
  await tx.serialEvent.createMany({ data: serials.map((serial) => ({ serial, kind, locationId, reference })) });
}

/** New units arrive on the shelf. Each serial must be a valid IMEI and new to the shop. */
export async function receiveUnits(tx: Tx, sku: string, locationId: number, serials: string[], reference: string) {
  const invalid = serials.filter((s) => !isValidImei(s));
  if (invalid.length) throw new SerialError(`not valid IMEIs: ${invalid.join(', ')}`);
  if (new Set(serials).size !== serials.length) throw new SerialError(`the same serial is listed twice for ${sku}`);
  const known = await tx.serialUnit.findMany({ where: { serial: { in: serials } }, select: { serial: true } });
  if (known.length) throw new SerialError(`already received before: ${known.map((k) => k.serial).join(', ')}`);
  await tx.serialUnit.createMany({
    data: serials.map((serial) => ({ serial, sku, locationId, status: 'IN_STOCK', reference })),
  });
  await record(tx, serials, 'RECEIPT', locationId, reference);
}

/** Up to `quantity` units of a SKU on a location's shelf, oldest first: first in, first out. */
export function oldestInStock(db: Db | Tx, sku: string, locationId: number, quantity: number) {
  return db.serialUnit.findMany({
    where: { sku, locationId, status: 'IN_STOCK' },
    orderBy: [{ receivedAt: 'asc' }, { serial: 'asc' }],
    take: quantity,
  });
}

/** The oldest units on the shelf leave: sold to an order, or put in transit. Returns their serials. */
export async function takeOldestUnits(
  tx: Tx,
  move: { sku: string; locationId: number; quantity: number; reference: string; to: 'SOLD' | 'IN_TRANSIT' },
): Promise<string[]> {
  const units = await oldestInStock(tx, move.sku, move.locationId, move.quantity);
  if (units.length < move.quantity) {
    throw new SerialError(
      `${move.sku}: ${move.quantity} units needed at location ${move.locationId}, ${units.length} on the shelf`,
    );
  }
  const serials = units.map((u) => u.serial);
  await tx.serialUnit.updateMany({
    where: { serial: { in: serials } },
    data: { status: move.to, reference: move.reference, locationId: move.to === 'SOLD' ? null : move.locationId },
  });
  await record(tx, serials, move.to === 'SOLD' ? 'SALE' : 'TRANSFER_OUT', move.locationId, move.reference);
  return serials;
}

/** Sold units come back onto a shelf. */
export async function returnUnits(tx: Tx, sku: string, locationId: number, serials: string[], reference: string) {
  const sold = await tx.serialUnit.findMany({ where: { serial: { in: serials }, sku, status: 'SOLD' } });
  const missing = serials.filter((s) => !sold.some((u) => u.serial === s));
  if (missing.length) throw new SerialError(`not sold units of ${sku}: ${missing.join(', ')}`);
  await tx.serialUnit.updateMany({
    where: { serial: { in: serials } },
    data: { status: 'IN_STOCK', locationId, reference },
  });
  await record(tx, serials, 'RETURN', locationId, reference);
}

/** Units on a shelf that can no longer be sold. */
export async function writeOffUnits(tx: Tx, sku: string, locationId: number, serials: string[], reference: string) {
  const onShelf = await tx.serialUnit.findMany({
    where: { serial: { in: serials }, sku, locationId, status: 'IN_STOCK' },
  });
  const missing = serials.filter((s) => !onShelf.some((u) => u.serial === s));
  if (missing.length) throw new SerialError(`not on the shelf here: ${missing.join(', ')}`);
  await tx.serialUnit.updateMany({
    where: { serial: { in: serials } },
    data: { status: 'WRITTEN_OFF', locationId: null, reference },
  });
  await record(tx, serials, 'WRITE_OFF', locationId, reference);
}

/** Units carried by a transfer arrive: the first `received` onto the destination's shelf, the rest are lost. */
export async function arriveUnits(tx: Tx, sku: string, transferNumber: string, toLocationId: number, received: number) {
  const carried = await tx.serialUnit.findMany({
    where: { sku, status: 'IN_TRANSIT', reference: transferNumber },
    orderBy: { serial: 'asc' },
  });
  const arrived = carried.slice(0, received).map((u) => u.serial);
  const lost = carried.slice(received).map((u) => u.serial);
  await tx.serialUnit.updateMany({
    where: { serial: { in: arrived } },
    data: { status: 'IN_STOCK', locationId: toLocationId },
  });
  await tx.serialUnit.updateMany({ where: { serial: { in: lost } }, data: { status: 'LOST', locationId: null } });
  await record(tx, arrived, 'TRANSFER_IN', toLocationId, transferNumber);
  await record(tx, lost, 'LOST', null, transferNumber);
}

/** The units staff scanned at picking leave the shelf, sold to an order. */
export async function sellUnits(tx: Tx, sku: string, locationId: number, serials: string[], reference: string) {
  const onShelf = await tx.serialUnit.findMany({
    where: { serial: { in: serials }, sku, locationId, status: 'IN_STOCK' },
  });
  const missing = serials.filter((s) => !onShelf.some((u) => u.serial === s));
  if (missing.length)
    throw new SerialError(`${sku}: not on the shelf at location ${locationId}: ${missing.join(', ')}`);
  await tx.serialUnit.updateMany({
    where: { serial: { in: serials } },
    data: { status: 'SOLD', locationId: null, reference },
  });
  await record(tx, serials, 'SALE', locationId, reference);
}

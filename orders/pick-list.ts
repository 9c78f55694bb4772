/**
 * Picking against the shelf, from the order workflow's live state (the workflow cannot read the database): what
 * to pick per shipment, and whether the serial numbers scanned for a pick are units on the shipment's shelf.
 */
import type { Db } from '../db/client';
import { namedShipment, type ScannedUnit } from '../domain/picking';
import { oldestInStock } from '../inventory/serials';
import type { PickLine, ShipmentState } from '../workflows/definitions';

/** The shipments of an order, as the workflow holds them (the first version's state may have none). */
interface LiveShipments {
  shipments?: readonly ShipmentState[];
}

export interface PickListShipment {
  seq: number;
  location: string;
  locationName?: string;
  purpose: ShipmentState['purpose'];
  phase: ShipmentState['phase'];
  pickup: boolean;
  lines: (PickLine & { suggestedSerials: string[] })[];
}

/** What to pick, per shipment; serialised goods suggest the oldest units on the shelf (first in, first out). */
export async function buildPickList(db: Db, state: LiveShipments): Promise<PickListShipment[]> {
  const locations = new Map((await db.location.findMany()).map((l) => [l.id, l]));
  const shipments: PickListShipment[] = [];
  for (const s of state.shipments ?? []) {
    const lines = [];
    for (const line of s.lines) {
      const suggestedSerials = line.serialised
        ? (await oldestInStock(db, line.sku, s.locationId, line.quantity)).map((u) => u.serial)
        : [];
      lines.push({ ...line, suggestedSerials });
    }
    shipments.push({
      seq: s.seq,
      location: s.locationCode,
      locationName: locations.get(s.locationId)?.name,
      purpose: s.purpose,
      phase: s.phase,
      pickup: s.pickup,
      lines,
    });
  }
  return shipments;
}

/**
 * The scanned serial numbers of a pick that are not on the shelf, one message each: every serial must be a unit of
 * its barcode's SKU in stock at the shipment's location. [] when there is nothing to check here (no serials, no
 * such shipment being picked, a barcode not on it): the workflow's pick Update answers those.
 */
export async function unavailableSerials(
  db: Db,
  state: LiveShipments,
  seq: number | undefined,
  scans: readonly ScannedUnit[],
): Promise<string[]> {
  const serials = scans.filter((s) => s.serial);
  if (serials.length === 0) return [];
  const shipment = namedShipment(
    (state.shipments ?? []).filter((s) => s.phase === 'PICKING'),
    seq,
  );
  if (!shipment) return [];
  const skuOf = new Map(shipment.lines.map((l) => [l.barcode, l.sku]));
  const units = await db.serialUnit.findMany({ where: { serial: { in: serials.map((s) => s.serial!) } } });
  return serials.flatMap((scan) => {
    const unit = units.find((u) => u.serial === scan.serial);
    const sku = skuOf.get(scan.barcode);
    if (!sku) return []; // the workflow names barcodes that are not on the shipment
    if (!unit || unit.sku !== sku || unit.status !== 'IN_STOCK' || unit.locationId !== shipment.locationId) {
      return [`${scan.serial} is not a ${sku} in stock at ${shipment.locationCode}`];
    }
    return [];
  });
}

/**
 * The reservation interface the order workflow allocates through: reserve an order's lines at one
 * location (all or nothing), release them, turn them into a shipment, take goods back into stock.
 * Each is a batch of ledger movements keyed by order line, so a retried activity changes nothing twice.
 */
import type { Db } from '../db/client';
import { planAllocation, type Availability, type PlanLine } from '../domain/routing';
import type { ShipmentPlan, ShipmentPurpose } from '../domain/shipment';
import { availableOf } from '../domain/stock';
import { applyMovements } from './ledger';
import { requireSerialPerUnit, returnUnits, sellUnits, serialisedSkus, takeOldestUnits } from './serials';

/** What is available now for these SKUs, per location (a hint for routing, not a promise). */
async function availabilityFor(db: Db, skus: string[]): Promise<Availability> {
  const levels = await db.stockLevel.findMany({ where: { sku: { in: skus } } });
  const byLocation = new Map<number, Map<string, number>>();
  for (const level of levels) {
    const stock = byLocation.get(level.locationId) ?? new Map<string, number>();
    stock.set(level.sku, availableOf(level));
    byLocation.set(level.locationId, stock);
  }
  return byLocation;
}

/** What the order workflow asks for: the order's lines, or explicit lines for a reshipment or exchange. */
export interface AllocationRequest {
  orderNumber: string;
  /** The first shipment number these reservations go out under; the same request is answered the same way. */
  seqFrom: number;
  purpose: ShipmentPurpose;
  lines?: PlanLine[];
  /** Reserve what is there (staff chose to ship a backorder partially). */
  partial?: boolean;
  /** Wait behind older backordered orders that want the same SKUs (first come, first served). */
  queue?: boolean;
  /** Reserve only while the order still has this status (the backorder sweep races a cancellation). */
  onlyIfStatus?: string;
  /** One location or nothing, as the first version did (no splitting). */
  singleLocation?: boolean;
}

export type AllocationResult =
  { allocated: true; shipments: ShipmentPlan[] } | { allocated: false; short: { sku: string; quantity: number }[] };

class StatusChanged extends Error {}

/**
 * Reserves stock for an order by the routing rules (its own store for pickup orders; else one location
 * that has everything; else a split by priority), all or nothing unless `partial`. A request whose
 * reservations exist already returns them: the activity may retry, and the backorder sweep may have
 * reserved for the order before its workflow asks.
 */
export async function allocateOrder(db: Db, request: AllocationRequest): Promise<AllocationResult> {
  const { orderNumber, seqFrom, purpose } = request;
  const order = await db.order.findUniqueOrThrow({
    where: { orderNumber },
    include: { lines: true, allocations: true },
  });
  const held = order.allocations.filter((a) => a.status !== 'RELEASED' && (a.shipmentSeq ?? 1) >= seqFrom);
  if (held.length > 0) return { allocated: true, shipments: await describeShipments(db, order, held, purpose) };

  const lines =
    request.lines ??
    order.lines
      .map((l) => ({ lineNo: l.lineNo, sku: l.sku, quantity: l.quantity - l.cancelledQuantity }))
      .filter((l) => l.quantity > 0);
  const skus = [...new Set(lines.map((l) => l.sku))];
  if (request.queue) {
    const older = await db.order.count({
      where: {
        status: 'BACKORDERED',
        createdAt: { lt: order.createdAt },
        lines: { some: { sku: { in: skus } } },
      },
    });
    if (older > 0) return { allocated: false, short: lines.map(({ sku, quantity }) => ({ sku, quantity })) };
  }

  const locations = await db.location.findMany();
  const onlyLocationId = order.fulfilment === 'PICKUP' ? (order.pickupLocationId ?? undefined) : undefined;
  // Availability can change between the read and the reservation: plan again when it did.
  for (let attempt = 0; attempt < 5; attempt++) {
    const available = await availabilityFor(db, skus);
    let plan = planAllocation(lines, locations, available, { onlyLocationId, partial: request.partial });
    if (plan && request.singleLocation && plan.length > 1) plan = null;
    if (!plan) return { allocated: false, short: shortfall(lines, available) };
    if (plan.length === 0) return { allocated: true, shipments: [] };

    const lineIds = new Map(order.lines.map((l) => [l.lineNo, l.id]));
    const rows = plan.flatMap((shipment, i) =>
      shipment.lines.map((line) => ({ ...line, locationId: shipment.locationId, seq: seqFrom + i })),
    );
    try {
      const result = await applyMovements(
        db,
        rows.map((row) => ({
          key: `reserve:${orderNumber}:s${row.seq}:${row.lineNo}`,
          kind: 'RESERVE' as const,
          sku: row.sku,
          locationId: row.locationId,
          reservedDelta: row.quantity,
          reference: orderNumber,
        })),
        async (tx) => {
          if (request.onlyIfStatus) {
            const still = await tx.order.updateMany({
              where: { id: order.id, status: request.onlyIfStatus },
              data: { updatedAt: new Date() },
            });
            if (still.count === 0) throw new StatusChanged();
          }
          await tx.allocation.createMany({
            data: rows.map((row) => ({
              orderId: order.id,
              orderLineId: lineIds.get(row.lineNo)!,
              locationId: row.locationId,
              sku: row.sku,
              quantity: row.quantity,
              shipmentSeq: row.seq,
              status: 'RESERVED',
            })),
          });
        },
      );
      if (result === 'insufficient') continue;
      // What this call reserved is what the order holds now (it held nothing from seqFrom on): described as it was
      // written, without reading the order back. An earlier attempt's reservation is read back as it was stored.
      if (result === 'applied') {
        const held = rows.map((row) => ({
          shipmentSeq: row.seq,
          locationId: row.locationId,
          orderLineId: lineIds.get(row.lineNo)!,
          sku: row.sku,
          quantity: row.quantity,
        }));
        return { allocated: true, shipments: await describeShipments(db, order, held, purpose, locations) };
      }
    } catch (err) {
      if (err instanceof StatusChanged) return { allocated: false, short: [] };
      throw err;
    }
    return allocateOrder(db, { ...request, queue: false });
  }
  return { allocated: false, short: lines.map(({ sku, quantity }) => ({ sku, quantity })) };
}

function shortfall(lines: PlanLine[], available: Availability): { sku: string; quantity: number }[] {
  const needed = new Map<string, number>();
  for (const line of lines) needed.set(line.sku, (needed.get(line.sku) ?? 0) + line.quantity);
  const short: { sku: string; quantity: number }[] = [];
  for (const [sku, quantity] of needed) {
    let total = 0;
    for (const stock of available.values()) total += Math.max(0, stock.get(sku) ?? 0);
    if (total < quantity) short.push({ sku, quantity: quantity - total });
  }
  return short.length > 0 ? short : [...needed].map(([sku, quantity]) => ({ sku, quantity }));
}

async function describeShipments(
  db: Db,
  order: { fulfilment: string; lines: { id: number; lineNo: number }[] },
  allocations: { shipmentSeq: number | null; locationId: number; orderLineId: number; sku: string; quantity: number }[],
  purpose: ShipmentPurpose,
  /** The locations, when the caller has just read them. */
  knownLocations?: { id: number; code: string }[],
): Promise<ShipmentPlan[]> {
  const variants = await db.productVariant.findMany({
    where: { sku: { in: [...new Set(allocations.map((a) => a.sku))] } },
    select: { sku: true, barcode: true, product: { select: { serialised: true } } },
  });
  const variant = new Map(variants.map((v) => [v.sku, v]));
  const locations = new Map((knownLocations ?? (await db.location.findMany())).map((l) => [l.id, l.code]));
  const lineNo = new Map(order.lines.map((l) => [l.id, l.lineNo]));
  const bySeq = new Map<number, ShipmentPlan>();
  for (const a of allocations) {
    const seq = a.shipmentSeq ?? 1;
    const shipment = bySeq.get(seq) ?? {
      seq,
      locationId: a.locationId,
      locationCode: locations.get(a.locationId) ?? String(a.locationId),
      purpose,
      pickup: order.fulfilment === 'PICKUP',
      lines: [],
    };
    shipment.lines.push({
      lineNo: lineNo.get(a.orderLineId)!,
      sku: a.sku,
      barcode: variant.get(a.sku)?.barcode ?? a.sku,
      quantity: a.quantity,
      serialised: variant.get(a.sku)?.product.serialised ?? false,
    });
    bySeq.set(seq, shipment);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * Reserves every line of an order at one location, all or nothing (the first version's rule, kept for
 * orders it started). Returns false when stock is short; true when the order holds its reservation.
 */
export async function reserveOrder(db: Db, orderNumber: string): Promise<boolean> {
  const result = await allocateOrder(db, { orderNumber, seqFrom: 1, purpose: 'ORDER', singleLocation: true });
  return result.allocated;
}

type AllocationStatus = 'RESERVED' | 'SHIPPED' | 'RELEASED';

/** Moves each of the order's allocations in `from` state to `to`, with its ledger movement. */
async function settleAllocations(
  db: Db,
  orderNumber: string,
  from: AllocationStatus,
  to: AllocationStatus,
  movement: { kind: 'RELEASE' | 'SHIP'; onHandSign: number },
  shipmentSeq?: number,
): Promise<void> {
  const all = await db.allocation.findMany({ where: { order: { orderNumber }, status: from } });
  const allocations = shipmentSeq === undefined ? all : all.filter((a) => (a.shipmentSeq ?? 1) === shipmentSeq);
  const serialised = await serialisedSkus(
    db,
    allocations.map((a) => a.sku),
  );
  for (const allocation of allocations) {
    const result = await applyMovements(
      db,
      [
        {
          key: `${movement.kind.toLowerCase()}:${orderNumber}:${allocation.id}`,
          kind: movement.kind,
          sku: allocation.sku,
          locationId: allocation.locationId,
          onHandDelta: movement.onHandSign * allocation.quantity,
          reservedDelta: -allocation.quantity,
          reference: orderNumber,
        },
      ],
      async (tx) => {
        await tx.allocation.update({ where: { id: allocation.id }, data: { status: to } });
        if (movement.kind === 'SHIP' && serialised.has(allocation.sku)) {
          // The units scanned at picking; the oldest on the shelf when none were recorded (first version).
          const scanned = allocation.serials as string[] | null;
          if (scanned?.length) await sellUnits(tx, allocation.sku, allocation.locationId, scanned, orderNumber);
          else await takeOldestUnits(tx, { ...allocation, reference: orderNumber, to: 'SOLD' });
        }
      },
    );
    if (result === 'insufficient') {
      throw new Error(`Allocation ${allocation.id} of ${orderNumber} no longer matches the stock it reserved`);
    }
  }
}

/** Turns reservations into shipped stock: on hand and reserved both drop. */
export function shipReservations(db: Db, orderNumber: string): Promise<void> {
  return settleAllocations(db, orderNumber, 'RESERVED', 'SHIPPED', { kind: 'SHIP', onHandSign: -1 });
}

/** One shipment's reservations leave the shelf (booked with the carrier, or handed over in store). */
export function shipShipment(db: Db, orderNumber: string, shipmentSeq: number): Promise<void> {
  return settleAllocations(db, orderNumber, 'RESERVED', 'SHIPPED', { kind: 'SHIP', onHandSign: -1 }, shipmentSeq);
}

/** Records the serial numbers scanned for a shipment on its allocations, shared out per SKU. */
export async function recordPickedSerials(
  db: Db,
  orderNumber: string,
  shipmentSeq: number,
  serials: Record<string, string[]>,
): Promise<void> {
  const allocations = await db.allocation.findMany({
    where: { order: { orderNumber }, status: 'RESERVED', shipmentSeq },
    orderBy: { id: 'asc' },
  });
  const left = Object.fromEntries(Object.entries(serials).map(([sku, list]) => [sku, [...list]]));
  for (const allocation of allocations) {
    const mine = left[allocation.sku]?.splice(0, allocation.quantity);
    if (mine?.length) await db.allocation.update({ where: { id: allocation.id }, data: { serials: mine } });
  }
}

/** Gives reserved stock back (cancellation): reserved drops, on hand stays. */
export function releaseReservations(db: Db, orderNumber: string): Promise<void> {
  return settleAllocations(db, orderNumber, 'RESERVED', 'RELEASED', { kind: 'RELEASE', onHandSign: 0 });
}

/**
 * Puts returned goods back on the shelf at a location; `returnId` keys the movement. Serialised goods
 * name their units (`serials`, one per piece).
 */
export async function returnToStock(
  db: Db,
  returnId: string,
  lines: { sku: string; quantity: number; locationId: number; serials?: string[] }[],
  actor?: string,
): Promise<void> {
  const serialised = await serialisedSkus(
    db,
    lines.map((l) => l.sku),
  );
  requireSerialPerUnit(lines, serialised, 'returned');
  await applyMovements(
    db,
    lines.map((line, i) => ({
      key: `return:${returnId}:${i + 1}`,
      kind: 'RETURN' as const,
      sku: line.sku,
      locationId: line.locationId,
      onHandDelta: line.quantity,
      reference: returnId,
      actor,
    })),
    async (tx) => {
      for (const line of lines) {
        if (serialised.has(line.sku)) await returnUnits(tx, line.sku, line.locationId, line.serials!, returnId);
      }
    },
  );
}

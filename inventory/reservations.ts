/**
 * The reservation interface the order workflow allocates through: reserve an order's lines at one
 * location (all or nothing), release them, turn them into a shipment, take goods back into stock.
 * Each is a batch of ledger movements keyed by order line, so a retried activity changes nothing twice.
 */
import type { Db } from '../db/client';
import { chooseSingleLocation, type Availability } from '../domain/routing';
import { applyMovements } from './ledger';
import { requireSerialPerUnit, returnUnits, serialisedSkus, takeOldestUnits } from './serials';

/** What is available now for these SKUs, per location (a hint for routing, not a promise). */
async function availabilityFor(db: Db, skus: string[]): Promise<Availability> {
  const levels = await db.stockLevel.findMany({ where: { sku: { in: skus } } });
  const byLocation = new Map<number, Map<string, number>>();
  for (const level of levels) {
    const stock = byLocation.get(level.locationId) ?? new Map<string, number>();
    stock.set(level.sku, level.onHand - level.reserved);
    byLocation.set(level.locationId, stock);
  }
  return byLocation;
}

/**
 * Reserves every line of an order at one location, all or nothing. Returns false when stock is short.
 * An order that already holds its reservation returns true without reserving again.
 */
export async function reserveOrder(db: Db, orderNumber: string): Promise<boolean> {
  const order = await db.order.findUniqueOrThrow({
    where: { orderNumber },
    include: { lines: true, allocations: true },
  });
  if (order.allocations.some((a) => a.status !== 'RELEASED')) return true;
  // A released order reserving again is a new round of movements, with keys of its own.
  const round = order.allocations.length + 1;

  const remaining = await db.location.findMany();
  // Availability can change between the read and the reservation; try the next location if it did.
  while (remaining.length > 0) {
    const available = await availabilityFor(db, [...new Set(order.lines.map((l) => l.sku))]);
    const locationId = chooseSingleLocation(order.lines, remaining, available);
    if (locationId === null) return false;
    const result = await applyMovements(
      db,
      order.lines.map((line) => ({
        key: `reserve:${orderNumber}:${line.lineNo}:${locationId}:${round}`,
        kind: 'RESERVE' as const,
        sku: line.sku,
        locationId,
        reservedDelta: line.quantity,
        reference: orderNumber,
      })),
      async (tx) => {
        await tx.allocation.createMany({
          data: order.lines.map((line) => ({
            orderId: order.id,
            orderLineId: line.id,
            locationId,
            sku: line.sku,
            quantity: line.quantity,
            status: 'RESERVED',
          })),
        });
      },
    );
    if (result !== 'insufficient') return true;
    remaining.splice(
      remaining.findIndex((l) => l.id === locationId),
      1,
    );
  }
  return false;
}

type AllocationStatus = 'RESERVED' | 'SHIPPED' | 'RELEASED';

/** Moves each of the order's allocations in `from` state to `to`, with its ledger movement. */
async function settleAllocations(
  db: Db,
  orderNumber: string,
  from: AllocationStatus,
  to: AllocationStatus,
  movement: { kind: 'RELEASE' | 'SHIP'; onHandSign: number },
): Promise<void> {
  const allocations = await db.allocation.findMany({ where: { order: { orderNumber }, status: from } });
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
          // Oldest units first; picking by scanned serial number comes with the full order lifecycle.
          await takeOldestUnits(tx, { ...allocation, reference: orderNumber, to: 'SOLD' });
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

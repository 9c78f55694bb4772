/**
 * The reservation interface the order workflow allocates through. Every change is a conditional
 * update (never read-then-write) plus a ledger row whose unique key makes it idempotent per order line.
 */
import type { Db } from '../db/client';
import { chooseSingleLocation, type Availability } from '../domain/routing';

class ShortStock extends Error {}

interface ReservableLine {
  id: number;
  lineNo: number;
  sku: string;
  quantity: number;
}

/** Reads what is available now for these SKUs, per location (a hint for routing, not a promise). */
export async function availabilityFor(db: Db, skus: string[]): Promise<Availability> {
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
 * Safe to repeat: an order that already holds its reservation returns true without reserving again.
 */
export async function reserveOrder(db: Db, orderNumber: string): Promise<boolean> {
  const order = await db.order.findUniqueOrThrow({
    where: { orderNumber },
    include: { lines: true, allocations: true },
  });
  if (order.allocations.some((a) => a.status !== 'RELEASED')) return true;

  const locations = await db.location.findMany();
  const remaining = [...locations];
  // Availability can change between the read and the reservation; try the next location if it did.
  while (remaining.length > 0) {
    const available = await availabilityFor(db, [...new Set(order.lines.map((l) => l.sku))]);
    const locationId = chooseSingleLocation(order.lines, remaining, available);
    if (locationId === null) return false;
    if (await reserveLinesAt(db, order.id, orderNumber, order.lines, locationId)) return true;
    remaining.splice(
      remaining.findIndex((l) => l.id === locationId),
      1,
    );
  }
  return false;
}

async function reserveLinesAt(
  db: Db,
  orderId: number,
  orderNumber: string,
  lines: ReservableLine[],
  locationId: number,
): Promise<boolean> {
  // A fixed order of updates keeps concurrent PostgreSQL transactions from deadlocking.
  const sorted = [...lines].sort((a, b) => a.sku.localeCompare(b.sku) || a.lineNo - b.lineNo);
  try {
    await db.$transaction(async (tx) => {
      for (const line of sorted) {
        const updated = await tx.$executeRaw`
          UPDATE "StockLevel" SET "reserved" = "reserved" + ${line.quantity}
          WHERE "sku" = ${line.sku} AND "locationId" = ${locationId}
            AND "onHand" - "reserved" >= ${line.quantity}`;
        if (updated !== 1) throw new ShortStock();
        await tx.stockMovement.create({
          data: {
            key: `reserve:${orderNumber}:${line.lineNo}:${locationId}`,
            kind: 'RESERVE',
            sku: line.sku,
            locationId,
            reservedDelta: line.quantity,
            reference: orderNumber,
          },
        });
        await tx.allocation.create({
          data: {
            orderId,
            orderLineId: line.id,
            locationId,
            sku: line.sku,
            quantity: line.quantity,
            status: 'RESERVED',
          },
        });
      }
    });
    return true;
  } catch (err) {
    if (err instanceof ShortStock) return false;
    throw err;
  }
}

/** Turns an order's reservations into shipped stock: on hand and reserved both drop. Idempotent. */
export async function shipReservations(db: Db, orderNumber: string): Promise<void> {
  const allocations = await db.allocation.findMany({ where: { order: { orderNumber }, status: 'RESERVED' } });
  for (const allocation of allocations) {
    await db.$transaction(async (tx) => {
      const claimed = await tx.allocation.updateMany({
        where: { id: allocation.id, status: 'RESERVED' },
        data: { status: 'SHIPPED' },
      });
      if (claimed.count === 0) return; // shipped by an earlier attempt
      const updated = await tx.$executeRaw`
        UPDATE "StockLevel" SET "onHand" = "onHand" - ${allocation.quantity}, "reserved" = "reserved" - ${allocation.quantity}
        WHERE "sku" = ${allocation.sku} AND "locationId" = ${allocation.locationId}
          AND "reserved" >= ${allocation.quantity}`;
      if (updated !== 1)
        throw new Error(`Reservation ${allocation.id} no longer matches stock at location ${allocation.locationId}`);
      await tx.stockMovement.create({
        data: {
          key: `ship:${orderNumber}:${allocation.id}`,
          kind: 'SHIP',
          sku: allocation.sku,
          locationId: allocation.locationId,
          onHandDelta: -allocation.quantity,
          reservedDelta: -allocation.quantity,
          reference: orderNumber,
        },
      });
    });
  }
}

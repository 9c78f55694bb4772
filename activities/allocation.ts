/** Stock for an order: reserve by the routing rules, substitute, cut back to what is there, release, ship. */
import type { ActivityDeps } from './deps';
import {
  allocateOrder,
  recordPickedSerials,
  releaseReservations,
  shipShipment,
  type AllocationRequest,
  type AllocationResult,
} from '../inventory/reservations';
import { reviewLowStock } from '../inventory/low-stock';
import { lowStockMailer } from '../mail/manager';
import { refundGoods } from './refunds';
import { paidForUnits, paidLineOf } from '../domain/paid-prices';

export type { AllocationRequest, AllocationResult };

export function createAllocationActivities({ db, mailer, config, payments }: ActivityDeps) {
  const notifyManager = lowStockMailer(db, mailer, config.mailFrom, config.managerEmail);
  return {
    async allocateStock(request: AllocationRequest): Promise<AllocationResult> {
      const result = await allocateOrder(db, request);
      if (result.allocated) {
        const touched = result.shipments.flatMap((s) => s.lines.map((l) => ({ sku: l.sku, locationId: s.locationId })));
        await reviewLowStock(db, notifyManager, touched);
      }
      return result;
    },

    /** Staff replaced a backordered line's SKU (same quantity and price); skipped if stock was reserved meanwhile. */
    async substituteLine({ orderNumber, lineNo, sku }: { orderNumber: string; lineNo: number; sku: string }) {
      const order = await db.order.findUniqueOrThrow({
        where: { orderNumber },
        include: { lines: true, allocations: { where: { status: { not: 'RELEASED' } } } },
      });
      const line = order.lines.find((l) => l.lineNo === lineNo);
      if (!line || order.allocations.length > 0 || line.sku === sku) return;
      await db.orderLine.update({
        where: { id: line.id },
        data: { sku, substitutedFrom: line.substitutedFrom ?? line.sku },
      });
    },

    /** After "ship what is there": the units not reserved are cancelled, and refunded if the order was paid. */
    async cancelUnallocated(
      orderNumber: string,
    ): Promise<{ items: { sku: string; quantity: number }[]; refundMinor: number }> {
      const order = await db.order.findUniqueOrThrow({
        where: { orderNumber },
        include: { lines: { include: { allocations: { where: { status: 'RESERVED' } } } } },
      });
      const items: { sku: string; quantity: number }[] = [];
      let value = 0;
      for (const line of order.lines) {
        const reserved = line.allocations.reduce((sum, a) => sum + a.quantity, 0);
        const dropped = line.quantity - reserved;
        if (dropped <= 0) continue;
        items.push({ sku: line.sku, quantity: dropped });
        // The units dropped are the line's first in the count a return goes on from (returnedBefore).
        value += paidForUnits(paidLineOf(line), dropped);
        if (line.cancelledQuantity !== dropped) {
          await db.orderLine.update({ where: { id: line.id }, data: { cancelledQuantity: dropped } });
        }
      }
      const refundMinor = await refundGoods(db, payments, config.loyalty, {
        orderNumber,
        key: 'partial',
        valueMinor: value,
        reason: 'Out of stock',
      });
      return { items, refundMinor };
    },

    async releaseOrderStock(orderNumber: string): Promise<void> {
      await releaseReservations(db, orderNumber);
      const released = await db.allocation.findMany({ where: { order: { orderNumber }, status: 'RELEASED' } });
      await reviewLowStock(db, notifyManager, released);
    },

    async recordPicked({
      orderNumber,
      seq,
      serials,
    }: {
      orderNumber: string;
      seq: number;
      serials: Record<string, string[]>;
    }) {
      await recordPickedSerials(db, orderNumber, seq, serials);
    },

    /** The shipment's goods leave the shelf (booked with the carrier, or handed over in store). */
    async shipStock({ orderNumber, seq }: { orderNumber: string; seq: number }): Promise<void> {
      await shipShipment(db, orderNumber, seq);
    },
  };
}

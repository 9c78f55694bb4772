import type { ActivityDeps } from '.';
import type { ShippingAddress } from '../domain/order-input';
import { orderWorkflowId } from '../domain/order-number';
import { shipReservations } from '../inventory/reservations';

export function createShippingActivities({ db, carrier }: ActivityDeps) {
  return {
    /** Books the order's shipment once; a retry returns the tracking number already booked. */
    async bookShipment(orderNumber: string): Promise<string> {
      const order = await db.order.findUniqueOrThrow({
        where: { orderNumber },
        include: { shipments: true, allocations: { where: { status: { not: 'RELEASED' } } }, lines: true },
      });
      const booked = order.shipments.find((s) => s.seq === 1);
      if (booked) return booked.trackingNumber;

      const booking = await carrier.book({
        idempotencyKey: `${orderWorkflowId(orderNumber)}-shipment-1`,
        reference: orderNumber,
        service: 'standard',
        recipient: {
          name: order.customerName,
          phone: order.customerPhone,
          address: order.shippingAddress as ShippingAddress,
        },
        parcels: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      });
      await db.shipment.upsert({
        where: { orderId_seq: { orderId: order.id, seq: 1 } },
        create: {
          orderId: order.id,
          seq: 1,
          locationId: order.allocations[0].locationId,
          carrier: carrier.name,
          service: booking.service,
          trackingNumber: booking.trackingNumber,
          labelUrl: booking.labelUrl,
          status: 'BOOKED',
        },
        update: {},
      });
      return booking.trackingNumber;
    },

    async shipReservedStock(orderNumber: string): Promise<void> {
      await shipReservations(db, orderNumber);
    },

    async recordDelivery(orderNumber: string): Promise<void> {
      await db.shipment.updateMany({
        where: { order: { orderNumber }, status: { not: 'DELIVERED' } },
        data: { status: 'DELIVERED', deliveredAt: new Date() },
      });
    },
  };
}

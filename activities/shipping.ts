import type { ActivityDeps } from './deps';
import type { ShippingAddress } from '../domain/order-input';
import { orderWorkflowId } from '../domain/order-number';
import type { ShipmentPurpose } from '../domain/shipment';
import { chooseService } from '../domain/shipping-rules';
import { tierByCode } from '../domain/loyalty';
import { returnToStock, shipReservations } from '../inventory/reservations';
import type { ExceptionAction, ShipmentOutcome } from '../domain/shipment';
import { refundGoods, valueOfLines } from './refunds';

export function createShippingActivities({ db, carrier, payments, config }: ActivityDeps) {
  return {
    /** Books shipment `seq` once; a retry returns the tracking number already booked. */
    async bookShipment(orderNumber: string, seq = 1, purpose: ShipmentPurpose = 'ORDER'): Promise<string> {
      const order = await db.order.findUniqueOrThrow({
        where: { orderNumber },
        include: {
          shipments: true,
          allocations: { where: { status: { not: 'RELEASED' } } },
          lines: true,
          customer: { select: { tierCode: true } },
        },
      });
      const booked = order.shipments.find((s) => s.seq === seq);
      if (booked) return booked.trackingNumber;

      // The first version booked the whole order as shipment 1, before allocations had shipment numbers.
      const goods = order.allocations.filter((a) => (a.shipmentSeq ?? 1) === seq);
      const lineNo = new Map(order.lines.map((l) => [l.id, l.lineNo]));
      // A tier that carries express (domain/loyalty.ts) ships every parcel of its members express.
      const memberExpress = order.customer ? tierByCode(order.customer.tierCode, config.loyalty.tiers).express : false;
      const { service } = chooseService(
        { ...order, memberExpress },
        {
          carrier: carrier.name,
          expressFromMinor: config.expressFromMinor,
        },
      );
      const booking = await carrier.book({
        idempotencyKey: `${orderWorkflowId(orderNumber)}-shipment-${seq}`,
        reference: orderNumber,
        service,
        recipient: {
          // Every shipping channel needs both (domain/order-input.ts); only a till sale, collected, may lack them.
          name: order.customerName ?? '',
          phone: order.customerPhone ?? '',
          address: order.shippingAddress as ShippingAddress,
        },
        parcels: goods.map((a) => ({ sku: a.sku, quantity: a.quantity })),
      });
      // One INSERT (an upsert is a transaction of five statements). A row there already for this seq is an earlier
      // attempt's record of this same booking: the carrier answers a repeated idempotency key with the same parcel.
      // Any other clash (a tracking number another shipment has) is an error.
      await db.shipment
        .create({
          data: {
            orderId: order.id,
            seq,
            locationId: goods[0]?.locationId ?? order.allocations[0].locationId,
            carrier: carrier.name,
            service: booking.service,
            trackingNumber: booking.trackingNumber,
            labelUrl: booking.labelUrl,
            status: 'BOOKED',
            purpose,
            lines: goods.map((a) => ({ lineNo: lineNo.get(a.orderLineId), sku: a.sku, quantity: a.quantity })),
          },
          select: { id: true },
        })
        .catch(async (err: unknown) => {
          const recorded =
            (err as { code?: string }).code === 'P2002' &&
            (await db.shipment.findUnique({
              where: { orderId_seq: { orderId: order.id, seq } },
              select: { id: true },
            }));
          if (!recorded) throw err;
        });
      return booking.trackingNumber;
    },

    /** (First version.) */
    async shipReservedStock(orderNumber: string): Promise<void> {
      await shipReservations(db, orderNumber);
    },

    /** (First version.) */
    async recordDelivery(orderNumber: string): Promise<void> {
      await db.shipment.updateMany({
        where: { order: { orderNumber }, status: { not: 'DELIVERED' } },
        data: { status: 'DELIVERED', deliveredAt: new Date() },
      });
    },

    async recordShipmentOutcome({
      orderNumber,
      seq,
      outcome,
    }: {
      orderNumber: string;
      seq: number;
      outcome: ShipmentOutcome;
    }) {
      await db.shipment.updateMany({
        where: { order: { orderNumber }, seq },
        data:
          outcome.status === 'DELIVERED'
            ? { status: 'DELIVERED', deliveredAt: new Date() }
            : { status: 'EXCEPTION', exception: outcome.detail },
      });
    },

    /**
     * Staff decided on a delivery exception. RESHIP: the parcel is written off as lost with the carrier (the
     * workflow reserves and sends the goods again). REFUND: the customer gets the parcel's value back.
     * RETURN_TO_STOCK: the parcel came back; its goods go on the shelf and the customer is refunded.
     */
    async resolveShipmentException({
      orderNumber,
      seq,
      action,
    }: {
      orderNumber: string;
      seq: number;
      action: ExceptionAction;
    }): Promise<{ refundMinor: number }> {
      const order = await db.order.findUniqueOrThrow({
        where: { orderNumber },
        include: {
          shipments: { where: { seq } },
          allocations: { where: { shipmentSeq: seq, status: 'SHIPPED' } },
          lines: true,
        },
      });
      const shipment = order.shipments[0];
      await carrier.cancel(shipment.trackingNumber);
      const lineNo = new Map(order.lines.map((l) => [l.id, l.lineNo]));
      if (action === 'RETURN_TO_STOCK') {
        await returnToStock(
          db,
          `${orderNumber}-S${seq}`,
          order.allocations.map((a) => ({
            sku: a.sku,
            quantity: a.quantity,
            locationId: a.locationId,
            serials: (a.serials as string[] | null) ?? undefined,
          })),
          'carrier return',
        );
      }
      let refundMinor = 0;
      if (action !== 'RESHIP') {
        const value = await valueOfLines(
          db,
          orderNumber,
          order.allocations.map((a) => ({ lineNo: lineNo.get(a.orderLineId)!, quantity: a.quantity })),
        );
        refundMinor = await refundGoods(db, payments, config.loyalty, {
          orderNumber,
          key: `shipment-${seq}`,
          valueMinor: value,
          reason: `Delivery exception (${shipment.exception ?? 'unknown'}): ${action === 'REFUND' ? 'refunded' : 'returned to stock'}`,
        });
      }
      await db.shipment.update({
        where: { id: shipment.id },
        data: { resolution: action, ...(action === 'RETURN_TO_STOCK' ? { status: 'RETURNED' } : {}) },
      });
      return { refundMinor };
    },
  };
}

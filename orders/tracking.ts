/** Carrier tracking events on an order's shipments: each recorded once, and the shipment's status follows it. */
import type { Db } from '../db/client';

/**
 * Records a carrier's event for a shipment and sets the shipment's status from it, unless this carrier sent that
 * event before. Returns whether it was such a repeat (then nothing changes).
 */
export async function recordTrackingEvent(
  db: Db,
  shipmentId: number,
  carrier: string,
  event: { eventId: string; status: string; occurredAt: string },
): Promise<{ duplicate: boolean }> {
  const duplicate = await db.trackingEvent.findUnique({
    where: { carrier_eventId: { carrier, eventId: event.eventId } },
  });
  if (!duplicate) {
    await db.$transaction([
      db.trackingEvent.create({
        data: {
          shipmentId,
          carrier,
          eventId: event.eventId,
          status: event.status,
          occurredAt: new Date(event.occurredAt),
        },
      }),
      db.shipment.update({ where: { id: shipmentId }, data: { status: event.status } }),
    ]);
  }
  return { duplicate: Boolean(duplicate) };
}

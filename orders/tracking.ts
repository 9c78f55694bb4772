/** Carrier tracking events on an order's shipments: each recorded once, and the shipment's status follows it. */
import type { Db } from '../db/client';
import type { TrackingIgnoredReason } from '../domain/tracking';

/** What was recorded before under this carrier's event id, if anything. */
export async function recordedTrackingEvent(
  db: Db,
  carrier: string,
  eventId: string,
): Promise<{ ignoredReason: string | null } | null> {
  return db.trackingEvent.findUnique({
    where: { carrier_eventId: { carrier, eventId } },
    select: { ignoredReason: true },
  });
}

/**
 * Records a carrier's event for a shipment and, unless `ignored` says why not (domain/tracking.ts), sets the
 * shipment's status from it: only while the shipment is still in `fromStatus`, the status the event was judged
 * against. Unless this carrier sent that event before: returns whether it was such a repeat (then nothing changes).
 * The caller has looked for a repeat already (it answers one without signalling); one arriving meanwhile is caught
 * by the event's unique key, which rolls the transaction back.
 */
export async function recordTrackingEvent(
  db: Db,
  shipment: { id: number; status: string },
  carrier: string,
  event: { eventId: string; status: string; occurredAt: string },
  ignored?: TrackingIgnoredReason,
): Promise<{ duplicate: boolean }> {
  const row = db.trackingEvent.create({
    select: { id: true },
    data: {
      shipmentId: shipment.id,
      carrier,
      eventId: event.eventId,
      status: event.status,
      occurredAt: new Date(event.occurredAt),
      ignoredReason: ignored ?? null,
    },
  });
  try {
    if (ignored) await row;
    else {
      await db.$transaction([
        row,
        db.shipment.updateMany({ where: { id: shipment.id, status: shipment.status }, data: { status: event.status } }),
      ]);
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') return { duplicate: true };
    throw err;
  }
  return { duplicate: false };
}

/**
 * Which carrier tracking events a shipment takes. A parcel only moves forward (in transit, out for delivery,
 * delivered), an exception may end it at any point before it ends, and nothing moves it once it has ended. The event's
 * time must fall between the booking and now, give or take a little clock skew. An event that fails is still
 * recorded (with the reason), but it changes neither the shipment nor the order.
 */

/** How far the carrier's clock may be off from ours, either way. */
export const TRACKING_CLOCK_SKEW_MS = 5 * 60_000;

/** Where each status lies on the way to the door; a shipment never goes back to a lower one. */
const FORWARD_ORDER: Record<string, number> = { BOOKED: 0, IN_TRANSIT: 1, OUT_FOR_DELIVERY: 2, DELIVERED: 3 };

/** Statuses after which no carrier event changes a shipment. */
const ENDED = new Set(['DELIVERED', 'EXCEPTION', 'CANCELLED', 'RETURNED']);

export type TrackingIgnoredReason =
  /** The shipment has ended (delivered, exception, cancelled, returned). */
  | 'SHIPMENT_ENDED'
  /** The event would move the shipment back (an out-for-delivery scan after it was delivered). */
  | 'BACKWARDS'
  /** The event happened before the parcel was booked. */
  | 'BEFORE_BOOKING'
  /** The event is dated in the future. */
  | 'IN_FUTURE';

export type TrackingVerdict = { apply: true } | { apply: false; reason: TrackingIgnoredReason };

/**
 * Whether `event` may move a shipment that is now in `shipment.status` and was booked at `shipment.bookedAt`, at
 * `now`. Pure; `now` is the API's clock.
 */
export function judgeTrackingEvent(
  event: { status: string; occurredAt: Date },
  shipment: { status: string; bookedAt: Date },
  now: Date,
): TrackingVerdict {
  const at = event.occurredAt.getTime();
  if (at < shipment.bookedAt.getTime() - TRACKING_CLOCK_SKEW_MS) return { apply: false, reason: 'BEFORE_BOOKING' };
  if (at > now.getTime() + TRACKING_CLOCK_SKEW_MS) return { apply: false, reason: 'IN_FUTURE' };
  if (ENDED.has(shipment.status)) return { apply: false, reason: 'SHIPMENT_ENDED' };
  if (event.status === 'EXCEPTION') return { apply: true };
  const from = FORWARD_ORDER[shipment.status];
  const to = FORWARD_ORDER[event.status];
  if (from === undefined || to === undefined || to < from) return { apply: false, reason: 'BACKWARDS' };
  return { apply: true };
}

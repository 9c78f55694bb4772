/** What Shop OMS needs from any carrier. The local carrier service is one implementation; real carriers plug in here. */
export interface BookingRequest {
  /** Same key, same booking: a retried activity never books twice. */
  idempotencyKey: string;
  reference: string;
  service: string;
  recipient: {
    name: string;
    phone: string;
    address: { line1: string; line2?: string; city: string; region?: string; postalCode: string; country: string };
  };
  parcels: { sku: string; quantity: number }[];
}

export interface Booking {
  trackingNumber: string;
  labelUrl: string;
  service: string;
}

export interface TrackingEventRecord {
  eventId: string;
  status: TrackingStatus;
  occurredAt: string;
  detail?: string;
}

export interface CarrierAdapter {
  readonly name: string;
  book(request: BookingRequest): Promise<Booking>;
  /** Calls the parcel off (lost, refused, reshipped): no more events follow. Cancelling twice is fine. */
  cancel(trackingNumber: string): Promise<void>;
  /** The events the carrier has for a parcel so far (for staff, and to catch up on missed webhooks). */
  track(trackingNumber: string): Promise<TrackingEventRecord[]>;
}

export const TRACKING_STATUSES = ['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED', 'EXCEPTION'] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

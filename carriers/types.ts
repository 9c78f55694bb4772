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

export interface CarrierAdapter {
  readonly name: string;
  book(request: BookingRequest): Promise<Booking>;
}

export const TRACKING_STATUSES = ['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED', 'EXCEPTION'] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

/** Adapter for the local carrier service (local-carrier/), spoken to over HTTP like a real carrier's API. */
import type { Booking, BookingRequest, CarrierAdapter, TrackingEventRecord } from './types';

const REQUEST_TIMEOUT_MS = 10_000;

export class LocalCarrierAdapter implements CarrierAdapter {
  readonly name = 'local';

  constructor(private readonly baseUrl: string) {}

  async book(request: BookingRequest): Promise<Booking> {
    const response = await fetch(`${this.baseUrl}/v1/shipments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': request.idempotencyKey },
      body: JSON.stringify({
        reference: request.reference,
        service: request.service,
        recipient: request.recipient,
        parcels: request.parcels,
      }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!response.ok) {
      throw new Error(
        `local carrier refused booking ${request.idempotencyKey}: ${response.status} ${await response.text()}`,
      );
    }
    const body = (await response.json()) as Booking;
    return { trackingNumber: body.trackingNumber, labelUrl: body.labelUrl, service: body.service };
  }

  async cancel(trackingNumber: string): Promise<void> {
    const response = await fetch(`${this.baseUrl}/v1/shipments/${encodeURIComponent(trackingNumber)}`, {
      method: 'DELETE',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!response.ok && response.status !== 404) {
      throw new Error(`local carrier refused to cancel ${trackingNumber}: ${response.status}`);
    }
  }

  async track(trackingNumber: string): Promise<TrackingEventRecord[]> {
    const response = await fetch(`${this.baseUrl}/v1/shipments/${encodeURIComponent(trackingNumber)}`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`local carrier has no shipment ${trackingNumber}: ${response.status}`);
    const body = (await response.json()) as { events: (TrackingEventRecord & { sent: boolean; dueAt: number })[] };
    return body.events
      .filter((e) => e.sent)
      .map((e) => ({
        eventId: e.eventId,
        status: e.status,
        occurredAt: new Date(e.dueAt).toISOString(),
        detail: e.detail,
      }));
  }
}

/**
 * One shipment (or one pickup) of an order: the goods one location sends. Reservations produce it
 * (inventory/reservations.ts), the order workflow follows it (workflows/definitions.ts): one shape for both.
 */

/** ORDER: the order's goods; RESHIP: sent again after a delivery exception; EXCHANGE: a replacement. */
export type ShipmentPurpose = 'ORDER' | 'RESHIP' | 'EXCHANGE';

export interface ShipmentPlan {
  seq: number;
  locationId: number;
  locationCode: string;
  purpose: ShipmentPurpose;
  pickup: boolean;
  lines: PickLine[];
}

/** One order line's units in a shipment (part of the line when the order is split). */
export interface PickLine {
  lineNo: number;
  sku: string;
  barcode: string;
  quantity: number;
  serialised: boolean;
}

/** What staff decide for a parcel the carrier could not deliver. */
export type ExceptionAction = 'RESHIP' | 'REFUND' | 'RETURN_TO_STOCK';

/** How a shipment's carrier journey ended. */
export type ShipmentOutcome = { status: 'DELIVERED' } | { status: 'EXCEPTION'; detail: string };

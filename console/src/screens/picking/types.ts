/** What the warehouse screens read from the API (orders/pick-list.ts, GET /api/locations), as JSON. */
import type { OrderRow, OrderStatus, OrderView, Shipment } from '../../types';

export interface PickListLine {
  lineNo: number;
  sku: string;
  barcode: string;
  quantity: number;
  serialised: boolean;
  suggestedSerials: string[];
}

export interface PickListShipment {
  seq: number;
  location: string;
  locationName?: string;
  purpose: 'ORDER' | 'RESHIP' | 'EXCHANGE';
  phase: string;
  pickup: boolean;
  lines: PickListLine[];
}

export interface PickList {
  orderNumber: string;
  status: OrderStatus;
  shipments: PickListShipment[];
}

/** GET /api/orders/:n/shipments/:seq/packing-slip: a parcel's whole ship-to while it is in the warehouse. */
export interface PackingSlipShipTo {
  name: string;
  phone: string;
  address: Record<string, string> | null;
}

export interface Location {
  id: number;
  code: string;
  name: string;
  kind: string;
  priority: number;
  ships: boolean;
  pickup: boolean;
}

/** GET /api/orders: a page of the list. */
export interface OrderList {
  orders: OrderRow[];
  total: number;
  nextCursor?: string | null;
}

/** A stored shipment as the order's view holds it (booked with the carrier after its pick). */
export interface StoredShipment extends Shipment {
  locationId: number;
  lines: { lineNo?: number; sku: string; quantity: number }[] | null;
}

export interface FullOrder extends Omit<OrderView, 'shipments'> {
  pickupLocationId: number | null;
  shipments: StoredShipment[];
}

/** A serialised unit (GET /api/serials/:serial). */
export interface SerialUnit {
  serial: string;
  sku: string;
  locationId: number | null;
  status: string;
}

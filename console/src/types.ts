/** What the console reads from the API (as JSON: dates are ISO strings). */
import type { OrderStatus, SalesChannel } from '../../domain/order-status';
import type { StaffAction } from '../../domain/staff-actions';

export type { OrderStatus, SalesChannel, StaffAction };

export interface SignedIn {
  keyId: number;
  name: string;
  role: string;
  permissions: string[];
  /** The Temporal Web UI, for those who may read workflow payloads; null otherwise. */
  temporalUi: { url: string; namespace: string } | null;
  session: { id: number; csrfToken: string; expiresAt: string } | null;
}

export interface OrderRow {
  orderNumber: string;
  channel: SalesChannel;
  externalId: string;
  status: OrderStatus;
  /** null: a till sale that named nobody (a phone sale gives a phone; only a till sale may give none). */
  customerName: string | null;
  customerPhone: string | null;
  /** The customer record the order was matched to (GET /api/customers/:id); null when nothing recognised anyone. */
  customerId?: number | null;
  /** The customer's tier and points (GET /api/orders/:n); null for a walk-in. */
  member?: { tier: { code: string; name: string }; pointsBalance: number } | null;
  /** The part of the total paid with points. */
  pointsMinor?: number;
  totalMinor: number;
  currency: string;
  fulfilment: string;
  urgent: boolean;
  createdAt: string;
}

export interface Warning {
  id: number;
  kind: string;
  stage: string | null;
  message: string;
  sku: string | null;
  orderNumber: string | null;
  openedAt: string;
}

export interface OrderLine {
  lineNo: number;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  /** What promotions and the member discount took off the line; a gift's whole price. */
  discountMinor: number;
  gift: boolean;
  adjustments: { code: string; name: string; amountMinor: number }[] | null;
  cancelledQuantity: number;
  substitutedFrom: string | null;
}

export interface Shipment {
  seq: number;
  carrier: string;
  service: string;
  trackingNumber: string;
  status: string;
  purpose: string;
  exception: string | null;
  events: { id: number; status: string; occurredAt: string }[];
}

export interface ReturnRow {
  returnNumber: string;
  kind: string;
  status: string;
  reasonCode: string;
  note: string | null;
  createdAt: string;
}

export interface TimelineEntry {
  at: string;
  kind: 'status' | 'staff' | 'tracking' | 'email' | 'warning';
  status?: string;
  actor?: string;
  action?: string;
  reason?: string | null;
}

export interface OrderView extends OrderRow {
  /** null for a role that may not see it; the phone is then masked and the address only city, region, country. */
  customerEmail: string | null;
  customerPhone: string | null;
  shippingAddress: Record<string, string> | null;
  paymentStatus: string;
  urgent: boolean;
  reviewReasons: { code: string; message: string }[] | null;
  /** Staff's note on the order (an edit sets it). */
  note: string | null;
  lines: OrderLine[];
  /** Everything taken off the list prices, and by which promotion (a marketplace's price: none named). */
  discountMinor: number;
  discounts: { code: string; name: string; amountMinor: number }[];
  shipments: Shipment[];
  returns: ReturnRow[];
  refunds: { id: number; amountMinor: number; reason: string; createdAt: string }[];
  warnings: Warning[];
  timeline: TimelineEntry[];
}

export interface OfferedAction {
  action: StaffAction;
  shipmentSeq?: number;
  returnNumber?: string;
}

export interface OrderActions {
  orderNumber: string;
  status: OrderStatus | null;
  actions: OfferedAction[];
}

/** A repair ticket as the API answers it (api/routes/repairs.ts). */
export interface RepairTicket {
  ticketNumber: string;
  serial: string;
  sku: string;
  name?: string;
  status: string;
  inWarranty: boolean;
  warrantyEndsAt: string | null;
  soldAt: string | null;
  orderNumber: string | null;
  customerId: number | null;
  fault: string;
  diagnosis: string | null;
  chargeMinor: number;
  replacementSerial: string | null;
  contactName: string | null;
  contactPhone: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  trackingToken: string;
  createdAt: string;
  closedAt: string | null;
  nextSteps?: string[];
  events?: { id: number; status: string; actor: string; note: string | null; at: string }[];
}

/** What the returns desk reads from the API, and the sums it shows (the API decides; these only inform). */
import type { OrderLine, OrderView } from '../../types';

export type ReturnKind = 'RETURN' | 'EXCHANGE';
export type Condition = 'RESTOCK' | 'WRITE_OFF';

/** A line of a return as stored: asked for, then (once received) its condition and serials. */
export interface ReturnLine {
  lineNo: number;
  sku: string;
  quantity: number;
  replacementSku?: string;
  condition?: Condition;
  serials?: string[];
}

/** GET /api/returns/:returnNumber (and each row of GET /api/returns). */
export interface ReturnRecord {
  returnNumber: string;
  kind: ReturnKind;
  status: string;
  reasonCode: string;
  note: string | null;
  source: string;
  requestedBy: string;
  lines: ReturnLine[];
  decisionNote: string | null;
  refundMinor: number | null;
  createdAt: string;
  decidedAt: string | null;
  receivedAt: string | null;
  closedAt: string | null;
  order: { orderNumber: string };
}

/** The order view with what the desk needs beyond the console's type: line ids and allocations. */
export interface OrderWithAllocations extends OrderView {
  lines: (OrderLine & { id: number })[];
  allocations: { orderLineId: number; sku: string; quantity: number; status: string; shipmentSeq: number | null }[];
  returns: (OrderView['returns'][number] & { lines: ReturnLine[] })[];
}

export interface DeliveredLine {
  lineNo: number;
  sku: string;
  ordered: number;
  delivered: number;
  returned: number;
  returnable: number;
  unitPriceMinor: number;
}

/** Per line: units delivered (shipped in a delivered parcel), already taken back by returns, and what is left. */
export function deliveredLines(order: OrderWithAllocations): DeliveredLine[] {
  const deliveredSeqs = new Set(order.shipments.filter((s) => s.status === 'DELIVERED').map((s) => s.seq));
  return order.lines.map((line) => {
    const delivered = order.allocations
      .filter(
        (a) =>
          a.orderLineId === line.id &&
          a.sku === line.sku &&
          a.status === 'SHIPPED' &&
          a.shipmentSeq !== null &&
          deliveredSeqs.has(a.shipmentSeq),
      )
      .reduce((sum, a) => sum + a.quantity, 0);
    const returned = order.returns
      .filter((r) => r.kind === 'RETURN' && r.status !== 'REJECTED')
      .flatMap((r) => r.lines)
      .filter((l) => l.lineNo === line.lineNo)
      .reduce((sum, l) => sum + l.quantity, 0);
    return {
      lineNo: line.lineNo,
      sku: line.sku,
      ordered: line.quantity - line.cancelledQuantity,
      delivered,
      returned,
      returnable: Math.max(0, delivered - returned),
      unitPriceMinor: line.unitPriceMinor,
    };
  });
}

/** The refund of returned lines at the prices paid (as the API computes it). */
export function refundOf(lines: readonly { lineNo: number; quantity: number }[], order: OrderView): number {
  return lines.reduce(
    (sum, l) => sum + l.quantity * (order.lines.find((o) => o.lineNo === l.lineNo)?.unitPriceMinor ?? 0),
    0,
  );
}

export const RETURN_STATUS_COLOURS: Record<string, string> = {
  REQUESTED: 'orange',
  APPROVED: 'blue',
  REJECTED: 'red',
  RECEIVED: 'cyan',
  REFUNDED: 'green',
  EXCHANGED: 'green',
};

/**
 * Order edits by staff (and the customer's address change on the tracking page): what may change when, what the
 * edited lines come to, and what review must look at again. Pure rules; the workflow gates the edit
 * (workflows/order/edits.ts) and the activity writes it (activities/order-edits.ts).
 *
 * - Address, contact and note: until the first parcel is picked (its label carries them).
 * - Lines (quantity, SKU, removal): only until review has decided, before any stock is allocated for them.
 * - An edit of what review checks (all but the note) runs review again. While the order waits for a decision the
 *   new verdict replaces the old one (an edit that clears every reason lets the order go on). Once review has
 *   passed, an edit that review would flag for a reason the order did not already have is refused, so an approved
 *   order never goes out to an address nobody checked.
 */
import type { OrderEdit, LineEdit } from './order-edit-input';
import type { ShippingAddress } from './order-input';
import type { OrderStatus, ShipmentPhase } from './order-status';
import type { ReviewReason } from './review';
import { EDITABLE_STATUSES } from './staff-actions';
import type { Adjustment } from './pricing';

export type { OrderEdit, LineEdit };

/** Where the order's flow stands, as the edit rules need it. */
export interface EditableView {
  status: OrderStatus;
  shipments: readonly { phase: ShipmentPhase }[];
  /** Review has decided (passed, approved or rejected): lines are no longer open. */
  reviewDecided: boolean;
  cancelRequested: boolean;
}

/** Why this edit is refused now (the API answers 409), or undefined when the order may take it. */
export function editRefusal(edit: OrderEdit, order: EditableView, orderNumber: string): string | undefined {
  if (order.cancelRequested) return `Order ${orderNumber} is being cancelled`;
  if (
    !(EDITABLE_STATUSES as readonly OrderStatus[]).includes(order.status) ||
    order.shipments.some((s) => s.phase !== 'PICKING')
  ) {
    return `Order ${orderNumber} is ${order.status}; once a parcel is picked the order can no longer be edited`;
  }
  if (edit.lines && (order.reviewDecided || !['RECEIVED', 'IN_REVIEW'].includes(order.status))) {
    return `Order ${orderNumber} is past review and its stock is being allocated; its lines can no longer change`;
  }
  return undefined;
}

export interface EditableLine {
  lineNo: number;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  /** What promotions took off the line (OrderLine.discountMinor); re-priced when the line changes. */
  discountMinor?: number;
  /** A 满赠 gift: it goes with the order as given, and cannot be edited. */
  gift?: boolean;
  /** The reasons for discountMinor. */
  adjustments?: Adjustment[];
}

export type LineEditResult = { ok: true; lines: EditableLine[]; removed: number[] } | { ok: false; problems: string[] };

/**
 * The order's lines after the edits, priced from `prices` (the catalogue's, as at intake) where the SKU changes;
 * a line whose SKU stays keeps the price it was sold at. Problems name every line that cannot be edited.
 */
export function applyLineEdits(
  lines: readonly EditableLine[],
  edits: readonly LineEdit[],
  prices: ReadonlyMap<string, number>,
): LineEditResult {
  const problems: string[] = [];
  const byNo = new Map(lines.map((l) => [l.lineNo, { ...l }]));
  const seen = new Set<number>();
  const removed: number[] = [];
  for (const edit of edits) {
    const line = byNo.get(edit.lineNo);
    if (!line) problems.push(`The order has no line ${edit.lineNo}`);
    else if (seen.has(edit.lineNo)) problems.push(`Line ${edit.lineNo} is edited twice`);
    seen.add(edit.lineNo);
    if (!line) continue;
    if (line.gift) {
      problems.push(`Line ${edit.lineNo} is a gift of a promotion: it goes with the order as given`);
      continue;
    }
    if (edit.remove) {
      byNo.delete(edit.lineNo);
      removed.push(edit.lineNo);
      continue;
    }
    if (edit.sku !== undefined && edit.sku !== line.sku) {
      const price = prices.get(edit.sku);
      if (price === undefined) problems.push(`Unknown SKU ${edit.sku}`);
      else Object.assign(line, { sku: edit.sku, unitPriceMinor: price });
    }
    if (edit.quantity !== undefined) line.quantity = edit.quantity;
    // What was taken off was for the line as it was: the caller prices a changed line again.
    const was = lines.find((l) => l.lineNo === edit.lineNo)!;
    if (line.sku !== was.sku || line.quantity !== was.quantity) {
      delete line.discountMinor;
      delete line.adjustments;
    }
  }
  const left = [...byNo.values()];
  if (left.length === 0) problems.push('An order keeps at least one line; cancel the order instead');
  const skus = left.map((l) => l.sku);
  const twice = skus.filter((sku, i) => skus.indexOf(sku) !== i);
  if (twice.length) problems.push(`Two lines would be ${[...new Set(twice)].join(', ')}: change the quantity instead`);
  return problems.length ? { ok: false, problems } : { ok: true, lines: left, removed };
}

export const linesTotalMinor = (
  lines: readonly { quantity: number; unitPriceMinor: number; discountMinor?: number }[],
) => lines.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor - (l.discountMinor ?? 0), 0);

/** True when the edit changes something review checks (everything but the note). */
export const editNeedsReview = (edit: OrderEdit) => Boolean(edit.shippingAddress || edit.customer || edit.lines);

/** The reasons in `after` whose code `before` did not have: what the edit itself brought in. */
export function reasonsAddedBy(before: readonly ReviewReason[], after: readonly ReviewReason[]): ReviewReason[] {
  const had = new Set(before.map((r) => r.code));
  return after.filter((r) => !had.has(r.code));
}

/** The order's editable fields, as the audit row keeps them before and after. */
export interface EditableOrder {
  customerName: string | null;
  customerEmail: string | null;
  customerPhone: string | null;
  shippingAddress: ShippingAddress | Record<string, never>;
  note: string | null;
  lines: EditableLine[];
  totalMinor: number;
}

/** The order with the edit applied (lines already worked out by `applyLineEdits`). */
export function editedOrder(order: EditableOrder, edit: OrderEdit, lines: EditableLine[]): EditableOrder {
  const contact = edit.customer ?? {};
  return {
    customerName: contact.name ?? order.customerName,
    customerEmail: contact.email === undefined ? order.customerEmail : contact.email,
    customerPhone: contact.phone === undefined ? order.customerPhone : contact.phone,
    shippingAddress: edit.shippingAddress ?? order.shippingAddress,
    note: edit.note === undefined ? order.note : edit.note || null,
    lines,
    totalMinor: edit.lines ? linesTotalMinor(lines) : order.totalMinor,
  };
}

/** Only the fields that changed, before and after: what the timeline shows. */
export function editDiff(before: EditableOrder, after: EditableOrder) {
  const changed = (Object.keys(after) as (keyof EditableOrder)[]).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  const pick = (o: EditableOrder) => Object.fromEntries(changed.map((k) => [k, o[k]]));
  return { changed, before: pick(before), after: pick(after) };
}

/**
 * An order edit written (the rules are domain/order-edits.ts; the workflow lets one edit in at a time, and no pick
 * while it is written). The edit, the review's new verdict and its audit row (who, when, before, after) are one
 * transaction, keyed by the edit's Update id: a retry finds the row and only finishes what followed it. A paid
 * order whose total fell gets the difference back, once per edit; a contact change links the order to the
 * customer the new phone or email belongs to (unless points of the old one paid for it).
 */
import type { Prisma, Tx } from '../db/client';
import {
  applyLineEdits,
  editDiff,
  editedOrder,
  editNeedsReview,
  reasonsAddedBy,
  type EditableLine,
  type EditableOrder,
  type OrderEdit,
} from '../domain/order-edits';
import type { ShippingAddress } from '../domain/order-input';
import { quoteByRecord, type PricingRecord } from '../domain/paid-prices';
import type { Adjustment } from '../domain/pricing';
import type { ReviewReason } from '../domain/review';
import { customerIdFor } from '../orders/customers';
import type { ActivityDeps } from './deps';
import { recordRefund } from './refunds';
import { reviewChecks } from './review-check';

export interface OrderEditRequest {
  orderNumber: string;
  /** The edit's Update id: one audit row, one refund per edit, whatever retries. */
  key: string;
  actor: string;
  /** Workflow time of the edit. */
  at: string;
  edit: OrderEdit;
  /** Review has decided: an edit may not bring in a reason the order did not have. */
  reviewDecided: boolean;
}

export type OrderEditOutcome =
  | { applied: true; reviewedAgain: boolean; reasons: ReviewReason[]; refundMinor: number }
  | { applied: false; refusal: string };

interface EditRecord {
  reviewedAgain: boolean;
  reasons: ReviewReason[];
  refundMinor: number;
  /** The phone or email changed: the order goes to the customer they belong to. */
  relink: boolean;
}

export function createOrderEditActivities({ db, payments }: ActivityDeps) {
  return {
    async applyOrderEdit(request: OrderEditRequest): Promise<OrderEditOutcome> {
      const key = `${request.orderNumber}:edit:${request.key}`;
      const done = await db.auditEvent.findUnique({ where: { key } });
      // Written by an earlier attempt: what followed the transaction is done again (each step is keyed or repeatable).
      const record = done
        ? (done.details as unknown as { outcome: EditRecord }).outcome
        : await writeEdit(key, request);
      if ('refusal' in record) return { applied: false, refusal: record.refusal };
      if (record.relink) await relinkCustomer(request.orderNumber);
      if (record.refundMinor > 0) {
        await recordRefund(db, payments, {
          orderNumber: request.orderNumber,
          key: `edit-${request.key}`,
          amountMinor: record.refundMinor,
          reason: 'Order edited: the new total is lower',
        });
      }
      const { reviewedAgain, reasons, refundMinor } = record;
      return { applied: true, reviewedAgain, reasons, refundMinor };
    },
  };

  async function writeEdit(key: string, request: OrderEditRequest): Promise<EditRecord | { refusal: string }> {
    const { edit, orderNumber } = request;
    const order = await db.order.findUniqueOrThrow({
      where: { orderNumber },
      include: { lines: { orderBy: { lineNo: 'asc' } } },
    });
    const before: EditableOrder = {
      customerName: order.customerName,
      customerEmail: order.customerEmail,
      customerPhone: order.customerPhone,
      shippingAddress: order.shippingAddress as ShippingAddress,
      note: order.note,
      lines: order.lines.map(({ lineNo, sku, quantity, unitPriceMinor, discountMinor, gift, adjustments }) => ({
        lineNo,
        sku,
        quantity,
        unitPriceMinor,
        ...(discountMinor ? { discountMinor, adjustments: adjustments as unknown as Adjustment[] } : {}),
        ...(gift ? { gift } : {}),
      })),
      totalMinor: order.totalMinor,
    };
    let lines = before.lines;
    if (edit.lines) {
      const skus = edit.lines.flatMap((l) => (l.sku ? [l.sku] : []));
      const variants = await db.productVariant.findMany({
        where: { sku: { in: skus } },
        select: { sku: true, priceMinor: true, product: { select: { code: true, category: true } } },
      });
      const result = applyLineEdits(before.lines, edit.lines, new Map(variants.map((v) => [v.sku, v.priceMinor])));
      if (!result.ok) return { refusal: result.problems.join('; ') };
      const goods = new Map(variants.map((v) => [v.sku, { product: v.product.code, category: v.product.category }]));
      lines = repricedLines(order.pricing as PricingRecord | null, result.lines, (sku) => goods.get(sku));
    }
    const after = editedOrder(before, edit, lines);
    if (after.totalMinor < order.pointsMinor) {
      return {
        refusal: `The customer paid ${order.pointsMinor} in points, more than the new total ${after.totalMinor}; cancel the order instead`,
      };
    }
    const stored = (order.reviewReasons ?? []) as unknown as ReviewReason[];
    const reviewedAgain = editNeedsReview(edit);
    const checked = reviewedAgain
      ? await reviewChecks(db, payments, { ...order, ...after, lines: after.lines })
      : { reasons: stored, capturedMinor: order.capturedMinor };
    if (request.reviewDecided) {
      const added = reasonsAddedBy(stored, checked.reasons);
      if (added.length) return { refusal: `Review would flag this edit: ${added.map((r) => r.message).join('; ')}` };
    }
    const paidMinor = order.paymentStatus === 'PAID' ? before.totalMinor - order.pointsMinor : 0;
    const refundMinor = Math.min(paidMinor, Math.max(0, before.totalMinor - after.totalMinor));
    const { changed, before: was, after: now } = editDiff(before, after);
    const outcome: EditRecord = {
      reviewedAgain,
      relink: (changed.includes('customerPhone') || changed.includes('customerEmail')) && order.pointsRedeemed === 0,
      // Once review has decided, its verdict stands: the edit only had to bring in nothing new.
      reasons: request.reviewDecided ? stored : checked.reasons,
      refundMinor,
    };
    await db.$transaction(async (tx) => {
      await tx.order.update({
        where: { orderNumber },
        data: {
          customerName: after.customerName,
          customerEmail: after.customerEmail,
          customerPhone: after.customerPhone,
          shippingAddress: after.shippingAddress,
          note: after.note,
          totalMinor: after.totalMinor,
          ...(request.reviewDecided
            ? {}
            : {
                reviewReasons: checked.reasons as unknown as Prisma.InputJsonValue,
                capturedMinor: checked.capturedMinor,
              }),
        },
        select: { id: true },
      });
      if (edit.lines) await writeLines(tx, order.id, before.lines, after.lines);
      await tx.auditEvent.create({
        data: {
          key,
          orderNumber,
          actor: request.actor,
          action: 'edit order',
          reason: edit.reason || null,
          at: new Date(request.at),
          details: { changed, before: was, after: now, outcome } as unknown as Prisma.InputJsonValue,
        },
      });
    });
    return outcome;
  }

  async function relinkCustomer(orderNumber: string): Promise<void> {
    const order = await db.order.findUniqueOrThrow({ where: { orderNumber } });
    const customerId = await customerIdFor(
      db,
      order.customerName
        ? {
            name: order.customerName,
            phone: order.customerPhone ?? undefined,
            email: order.customerEmail ?? undefined,
          }
        : undefined,
    );
    await db.order.update({ where: { orderNumber }, data: { customerId }, select: { id: true } });
  }
}

async function writeLines(
  tx: Tx,
  orderId: number,
  before: EditableOrder['lines'],
  after: EditableOrder['lines'],
): Promise<void> {
  const kept = new Map(after.map((l) => [l.lineNo, l]));
  for (const line of before) {
    const now = kept.get(line.lineNo);
    const where = { orderId_lineNo: { orderId, lineNo: line.lineNo } };
    if (!now) await tx.orderLine.delete({ where, select: { id: true } });
    else if (JSON.stringify(now) !== JSON.stringify(line)) {
      await tx.orderLine.update({
        where,
        data: {
          sku: now.sku,
          quantity: now.quantity,
          unitPriceMinor: now.unitPriceMinor,
          discountMinor: now.discountMinor ?? 0,
          adjustments: (now.adjustments ?? []) as unknown as Prisma.InputJsonValue,
        },
        select: { id: true },
      });
    }
  }
}

/**
 * Edited lines priced again by the order's own promotions (its record: the promotions as they were, its tier, its
 * coupons), so an edit neither loses the customer's discounts nor gains ones the order never had. Gifts stay as given.
 * Without a record nothing was taken off at intake but a marketplace's price: a changed line is at list price.
 */
function repricedLines(
  record: PricingRecord | null,
  lines: EditableLine[],
  goods: (sku: string) => { product: string; category: string } | undefined,
): EditableLine[] {
  if (!record) return lines;
  const items = lines.filter((l) => !l.gift);
  const quote = quoteByRecord(record, items, goods);
  const priced = new Map(items.map((line, i) => [line.lineNo, quote.lines[i]]));
  return lines.map((line) => {
    const q = priced.get(line.lineNo);
    if (!q) return line;
    const { discountMinor: _was, ...rest } = line;
    return q.discountMinor ? { ...rest, discountMinor: q.discountMinor, adjustments: q.adjustments } : rest;
  });
}

/** Returns and exchanges: the request, staff decisions, goods back (restock or write-off), refunds. */
import type { ActivityDeps } from './deps';
import type { Prisma } from '../db/client';
import { paidLineOf, returnRefundMinor, type PricingRecord } from '../domain/paid-prices';
import { applyMovements } from '../inventory/ledger';
import { returnToStock } from '../inventory/reservations';
import { serialisedSkus, writeOffUnits } from '../inventory/serials';
import type { ReceivedLineInput, ReturnLineRequest as ReturnLineInput, ReturnState } from '../domain/after-sales';
import { recordRefund, refundGoods } from './refunds';
import { redeemedPointsReturned, returnRedeemedPoints } from '../orders/loyalty';

interface StoredReturnLine extends ReturnLineInput {
  sku: string;
  condition?: ReceivedLineInput['condition'];
  serials?: string[];
}

export function createAfterSalesActivities({ db, payments, config }: ActivityDeps) {
  return {
    async openReturn(request: {
      orderNumber: string;
      returnNumber: string;
      kind: 'RETURN' | 'EXCHANGE';
      reason: string;
      note?: string;
      source: 'customer' | 'staff';
      requestedBy: string;
      lines: ReturnLineInput[];
    }): Promise<void> {
      const order = await db.order.findUniqueOrThrow({
        where: { orderNumber: request.orderNumber },
        include: { lines: true },
      });
      const skuOf = new Map(order.lines.map((l) => [l.lineNo, l.sku]));
      const lines: StoredReturnLine[] = request.lines.map((l) => ({ ...l, sku: skuOf.get(l.lineNo)! }));
      await db.returnRequest.upsert({
        where: { returnNumber: request.returnNumber },
        create: {
          returnNumber: request.returnNumber,
          orderId: order.id,
          kind: request.kind,
          status: 'REQUESTED',
          reasonCode: request.reason,
          note: request.note,
          source: request.source,
          requestedBy: request.requestedBy,
          lines: lines as unknown as Prisma.InputJsonValue,
        },
        update: {},
      });
    },

    async recordReturnStatus({
      returnNumber,
      status,
      note,
    }: {
      returnNumber: string;
      status: ReturnState['status'];
      note?: string;
    }) {
      const now = new Date();
      const stamps =
        status === 'APPROVED' || status === 'REJECTED'
          ? { decidedAt: now, decisionNote: note }
          : status === 'EXCHANGED' || status === 'REFUNDED'
            ? { closedAt: now }
            : {};
      await db.returnRequest.update({ where: { returnNumber }, data: { status, ...stamps } });
    },

    /**
     * The goods are back and inspected: every unit goes back into stock (a RETURN movement), and units
     * found unsellable are then written off with the return as the reason, so the ledger tells both.
     */
    async receiveReturnedGoods({
      orderNumber,
      returnNumber,
      lines: inspected,
      locationId,
      actor,
    }: {
      orderNumber: string;
      returnNumber: string;
      lines: ReceivedLineInput[];
      locationId?: number;
      actor: string;
    }): Promise<void> {
      const request = await db.returnRequest.findUniqueOrThrow({ where: { returnNumber } });
      if (request.receivedAt) return;
      const order = await db.order.findUniqueOrThrow({
        where: { orderNumber },
        include: { lines: { include: { allocations: { where: { status: 'SHIPPED' } } } } },
      });
      const stored = request.lines as unknown as StoredReturnLine[];
      const serialised = await serialisedSkus(
        db,
        stored.map((l) => l.sku),
      );
      const lines = stored.map((line) => {
        const check = inspected.find((i) => i.lineNo === line.lineNo)!;
        const shippedFrom = order.lines.find((l) => l.lineNo === line.lineNo)?.allocations[0]?.locationId;
        const serials = serialised.has(line.sku)
          ? (check.serials ??
            soldSerials(order.lines.find((l) => l.lineNo === line.lineNo)?.allocations ?? [], line.quantity))
          : undefined;
        return { ...line, condition: check.condition, serials, locationId: locationId ?? shippedFrom! };
      });
      await returnToStock(
        db,
        returnNumber,
        lines.map(({ sku, quantity, locationId: at, serials }) => ({ sku, quantity, locationId: at, serials })),
        actor,
      );
      const writeOffs = lines.filter((l) => l.condition === 'WRITE_OFF');
      if (writeOffs.length > 0) {
        await applyMovements(
          db,
          writeOffs.map((l) => ({
            key: `write-off:${returnNumber}:${l.lineNo}`,
            kind: 'WRITE_OFF' as const,
            sku: l.sku,
            locationId: l.locationId,
            onHandDelta: -l.quantity,
            reference: returnNumber,
            actor,
            reason: `Returned unsellable (${request.reasonCode})`,
          })),
          async (tx) => {
            for (const l of writeOffs)
              if (l.serials) await writeOffUnits(tx, l.sku, l.locationId, l.serials, returnNumber);
          },
        );
      }
      await db.returnRequest.update({
        where: { returnNumber },
        data: {
          status: 'RECEIVED',
          receivedAt: new Date(),
          lines: lines.map(({ locationId: _at, ...l }) => l),
        },
      });
    },

    /** Refunds the returned lines at the prices paid (their share of every discount, the policy's deduction), once. */
    async refundReturn({ orderNumber, returnNumber }: { orderNumber: string; returnNumber: string }): Promise<number> {
      const request = await db.returnRequest.findUniqueOrThrow({ where: { returnNumber } });
      const order = await db.order.findUniqueOrThrow({
        where: { orderNumber },
        include: { lines: true, returns: { where: { kind: 'RETURN', status: 'REFUNDED' } } },
      });
      // Units no longer the customer's before this return: cancelled before shipping, or refunded by an earlier one.
      const before = new Map(order.lines.map((l) => [l.lineNo, l.cancelledQuantity]));
      for (const earlier of order.returns) {
        if (earlier.returnNumber === returnNumber) continue;
        for (const l of earlier.lines as unknown as StoredReturnLine[]) {
          before.set(l.lineNo, (before.get(l.lineNo) ?? 0) + l.quantity);
        }
      }
      const amountMinor = returnRefundMinor({
        lines: order.lines.map(paidLineOf),
        returnedBefore: before,
        returning: request.lines as unknown as StoredReturnLine[],
        policy: config.returnDiscountPolicy,
        record: order.pricing as PricingRecord | null,
      });
      const refunded = await refundGoods(db, payments, config.loyalty, {
        orderNumber,
        key: `return-${returnNumber}`,
        valueMinor: amountMinor,
        reason: `Return ${returnNumber} (${request.reasonCode})`,
      });
      await db.returnRequest.update({
        where: { returnNumber },
        data: { status: 'REFUNDED', refundMinor: refunded, closedAt: request.closedAt ?? new Date() },
      });
      return refunded;
    },

    /** Cancellation: everything paid and not yet refunded goes back. Nothing for unpaid orders. */
    async refundOrder({
      orderNumber,
      key,
      reason,
    }: {
      orderNumber: string;
      key: string;
      reason: string;
    }): Promise<number> {
      const order = await db.order.findUniqueOrThrow({ where: { orderNumber }, include: { refunds: true } });
      // The points it was paid with come back whole, paid or not (nothing of them has been given back before it
      // shipped, but a partial cancellation's share).
      const pointsBack = await redeemedPointsReturned(db, orderNumber, key);
      await returnRedeemedPoints(db, orderNumber, key, order.pointsRedeemed - pointsBack.points, config.loyalty);
      if (order.paymentStatus !== 'PAID') return 0;
      const ownKey = `${orderNumber}:${key}`;
      const earlier = order.refunds.filter((r) => r.key !== ownKey).reduce((sum, r) => sum + r.amountMinor, 0);
      const amountMinor = order.totalMinor - order.pointsMinor - earlier;
      return recordRefund(db, payments, { orderNumber, key, amountMinor, reason });
    },
  };
}

/** Serialised units sold from these allocations (the return names none: take them in the order sold). */
function soldSerials(allocations: { serials: unknown }[], quantity: number): string[] {
  return allocations.flatMap((a) => (a.serials as string[] | null) ?? []).slice(0, quantity);
}

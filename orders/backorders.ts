/**
 * Backordered orders are served by the queue of domain/loyalty.ts: a tier with a higher backorder priority first
 * (a VIP's order before an ordinary one that waited longer), then first come, first served; each reserved in full
 * (by the same routing rules as at intake) when the stock is there, then its workflow is told.
 * Runs after receipts and on the API's periodic sweep; a lost signal is simply sent again next time.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { orderWorkflowId } from '../domain/order-number';
import { availableOf } from '../domain/stock';
import { backorderQueue, tierByCode, type TierRule } from '../domain/loyalty';
import { allocateOrder } from '../inventory/reservations';
import { backorderServedSignal } from '../workflows/definitions';

export function backorderServer(db: Db, temporal: Client, tiers: readonly TierRule[]): () => Promise<number> {
  let running: Promise<number> | undefined;
  let again = false;
  const pass = async (): Promise<number> => {
    const found = await db.order.findMany({
      where: { status: 'BACKORDERED' },
      select: {
        id: true,
        createdAt: true,
        customer: { select: { tierCode: true } },
        orderNumber: true,
        lines: { select: { sku: true, quantity: true, cancelledQuantity: true } },
        allocations: { where: { status: 'RESERVED' }, select: { id: true } },
      },
    });
    if (found.length === 0) return 0;
    const waiting = backorderQueue(
      found.map((o) => ({ ...o, priority: tierByCode(o.customer?.tierCode, tiers).backorderPriority })),
    );
    // One read of what is free per SKU, so a pass over many waiting orders with no new stock costs two queries,
    // not a reservation attempt each. The reservation itself still decides, location by location.
    const skus = [...new Set(waiting.flatMap((o) => o.lines.map((l) => l.sku)))];
    const free = new Map<string, number>();
    for (const level of await db.stockLevel.findMany({ where: { sku: { in: skus } } })) {
      free.set(level.sku, (free.get(level.sku) ?? 0) + Math.max(0, availableOf(level)));
    }
    let served = 0;
    for (const order of waiting) {
      const needs = new Map<string, number>();
      for (const l of order.lines) needs.set(l.sku, (needs.get(l.sku) ?? 0) + l.quantity - l.cancelledQuantity);
      const alreadyHeld = order.allocations.length > 0; // served before, but its workflow was not told
      if (!alreadyHeld && [...needs].some(([sku, qty]) => qty > (free.get(sku) ?? 0))) continue;
      const { orderNumber } = order;
      const result = await allocateOrder(db, {
        orderNumber,
        seqFrom: 1,
        purpose: 'ORDER',
        onlyIfStatus: 'BACKORDERED',
      });
      if (!result.allocated) continue;
      if (!alreadyHeld) for (const [sku, qty] of needs) free.set(sku, (free.get(sku) ?? 0) - qty);
      try {
        await temporal.workflow.getHandle(orderWorkflowId(orderNumber)).signal(backorderServedSignal);
        served++;
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    return served;
  };
  // One pass at a time per process; a request during a pass runs one more pass after it.
  const serve = async (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = pass().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        void serve().catch(() => undefined);
      }
    });
    return running;
  };
  return serve;
}

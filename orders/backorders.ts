/**
 * Backordered orders are served first come, first served: oldest order first, each reserved in full
 * (by the same routing rules as at intake) when the stock is there, then its workflow is told.
 * Runs after receipts and on the API's periodic sweep; a lost signal is simply sent again next time.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { orderWorkflowId } from '../domain/order-number';
import { allocateOrder } from '../inventory/reservations';
import { backorderServedSignal } from '../workflows/definitions';

export function backorderServer(db: Db, temporal: Client): () => Promise<number> {
  let running: Promise<number> | undefined;
  let again = false;
  const pass = async (): Promise<number> => {
    const waiting = await db.order.findMany({
      where: { status: 'BACKORDERED' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { orderNumber: true },
    });
    let served = 0;
    for (const { orderNumber } of waiting) {
      const result = await allocateOrder(db, {
        orderNumber,
        seqFrom: 1,
        purpose: 'ORDER',
        onlyIfStatus: 'BACKORDERED',
      });
      if (!result.allocated) continue;
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

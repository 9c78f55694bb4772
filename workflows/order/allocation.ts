/** Allocation: stock reserved for the order's goods, or BACKORDERED until stock arrives or staff decide. */
import { setHandler, sleep } from '@temporalio/workflow';
import type { AllocationRequest } from '../../activities/allocation';
import {
  backorderServedSignal,
  shipAvailable,
  substituteSku,
  type ShipmentPlan,
  type ShipmentState,
} from '../definitions';
import { requireOrderAction, wrongState } from './guards';
import { OrderCancelled } from './inbox';
import { cancelled, checkCancelled, type OrderRun } from './run';
import { activities } from './side-work';

/** How often a replacement or reshipment that found no stock tries again (staff see the stage's warning). */
const EXTRA_ALLOCATION_RETRY = '1 minute';

export function handleBackorderDecisions(run: OrderRun): void {
  const { state, inbox, side, orderNumber } = run;
  const noDecisionYet = () => {
    if (inbox.backorderAction) throw wrongState(`Order ${orderNumber}: a decision is already being carried out`);
  };
  setHandler(
    shipAvailable,
    ({ actor, note }) => {
      inbox.backorderAction = { kind: 'SHIP_AVAILABLE' };
      side.audit(actor, 'ship available', note);
      return state;
    },
    {
      validator: (_input) => {
        requireOrderAction(run, 'shipAvailable');
        noDecisionYet();
      },
    },
  );
  setHandler(
    substituteSku,
    ({ actor, lineNo, sku, note }) => {
      inbox.backorderAction = { kind: 'SUBSTITUTE', lineNo, sku };
      side.audit(actor, 'substitute', note, { lineNo, sku });
      return state;
    },
    {
      validator: (_input) => {
        requireOrderAction(run, 'substitute');
        noDecisionYet();
      },
    },
  );
}

export function handleBackorderServed(run: OrderRun): void {
  setHandler(backorderServedSignal, () => {
    run.inbox.backorderServed = true;
  });
}

function addShipments(run: OrderRun, plans: ShipmentPlan[]): ShipmentState[] {
  const added = plans.map((plan) => ({ ...plan, phase: 'PICKING' as const }));
  run.state.shipments.push(...added);
  for (const plan of plans) run.nextSeq = Math.max(run.nextSeq, plan.seq + 1);
  return added;
}

/** The order's own goods: reserved now, or BACKORDERED until stock arrives or staff decide. */
export async function allocateOrBackorder(run: OrderRun): Promise<ShipmentState[]> {
  const { inbox, side, dbSteps, orderNumber } = run;
  await side.moveTo('ALLOCATING');
  for (;;) {
    const result = await dbSteps.allocateStock({ orderNumber, seqFrom: 1, purpose: 'ORDER', queue: true });
    checkCancelled(run);
    if (result.allocated) return addShipments(run, result.shipments);

    inbox.backorderServed = false; // before the status write: the sweep may serve the order during it
    await side.moveTo('BACKORDERED');
    side.notify('backordered', { items: result.short });
    await side.waitInStage(
      'BACKORDER',
      () => inbox.backorderServed || inbox.backorderAction !== undefined || cancelled(run),
    );
    checkCancelled(run);
    const action = inbox.backorderAction;
    inbox.backorderAction = undefined;
    if (action?.kind === 'SUBSTITUTE') {
      await dbSteps.substituteLine({ orderNumber, lineNo: action.lineNo, sku: action.sku });
    } else if (action?.kind === 'SHIP_AVAILABLE') {
      const partial = await dbSteps.allocateStock({ orderNumber, seqFrom: 1, purpose: 'ORDER', partial: true });
      if (!partial.allocated || partial.shipments.length === 0) {
        inbox.cancel = { reason: 'Nothing of this order is in stock', customerRequest: false };
        throw new OrderCancelled();
      }
      const dropped = await activities.cancelUnallocated(orderNumber);
      if (dropped.items.length > 0) {
        side.notify('partially_cancelled', { items: dropped.items, amountMinor: dropped.refundMinor || undefined });
      }
      return addShipments(run, partial.shipments);
    }
    await side.moveTo('ALLOCATING');
  }
}

/** Stock for a reshipment or an exchange; retries while it is short (the waiting stage's SLA warns staff). */
export async function allocateMore(
  run: OrderRun,
  request: Omit<AllocationRequest, 'orderNumber' | 'seqFrom'>,
): Promise<ShipmentState[]> {
  const seqFrom = run.nextSeq;
  for (;;) {
    const result = await run.dbSteps.allocateStock({ orderNumber: run.orderNumber, seqFrom, ...request });
    if (result.allocated) return addShipments(run, result.shipments);
    await sleep(EXTRA_ALLOCATION_RETRY, { summary: 'stock still short: allocate again' });
  }
}

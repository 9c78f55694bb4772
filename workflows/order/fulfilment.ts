/** One shipment: picked by scan, then handed over at the store or sent with the carrier (a child workflow). */
import { condition, setHandler, startChild } from '@temporalio/workflow';
import { checkPickScans, serialsBySku } from '../../domain/picking';
import { STAFF_ACTIONS } from '../../domain/staff-actions';
import type { OrderStatus } from '../../domain/order-status';
import {
  confirmCollected,
  confirmPicked,
  resolveException,
  shipmentBookedSignal,
  shipmentWorkflowId,
  type ShipmentOutcome,
  type ShipmentState,
  type UpdateInput,
} from '../definitions';
import { shipmentWorkflow } from '../shipment';
import { allocateMore } from './allocation';
import { invalid, refuseWhileEditing, shipmentToPick, wrongState } from './guards';
import { cancelled, checkCancelled, type OrderRun } from './run';
import { activities } from './side-work';

export function handleShipmentActions(run: OrderRun): void {
  const { state, inbox, side, orderNumber } = run;
  setHandler(
    confirmPicked,
    ({ actor, shipmentSeq, scans = [] }) => {
      const shipment = shipmentToPick(run, shipmentSeq);
      shipment.serials = serialsBySku(shipment.lines, scans);
      shipment.phase = 'PICKED';
      side.audit(actor, 'pick', undefined, { shipment: shipment.seq, units: scans.length, serials: shipment.serials });
      return state;
    },
    {
      validator: ({ shipmentSeq, scans = [] }: UpdateInput<typeof confirmPicked>) => {
        if (inbox.cancel) throw wrongState(`Order ${orderNumber} is being cancelled`);
        refuseWhileEditing(run);
        const problems = checkPickScans(shipmentToPick(run, shipmentSeq).lines, scans);
        if (problems.length > 0) throw invalid(problems.map((p) => p.message).join('; '), problems);
      },
    },
  );
  const readyToCollect = () =>
    state.shipments.filter((s) => s.phase === STAFF_ACTIONS.collect.phase && !inbox.collected.has(s.seq));
  setHandler(
    confirmCollected,
    ({ actor }) => {
      const ready = readyToCollect();
      for (const shipment of ready) inbox.collected.add(shipment.seq);
      side.audit(actor, 'collect', undefined, { shipments: ready.map((s) => s.seq) });
      return state;
    },
    {
      validator: (_input) => {
        if (inbox.cancel) throw wrongState(`Order ${orderNumber} is being cancelled`);
        if (readyToCollect().length === 0) {
          throw wrongState(`Order ${orderNumber} is ${state.status}; nothing is waiting to be collected`);
        }
      },
    },
  );
  setHandler(
    resolveException,
    ({ actor, shipmentSeq, action, note }) => {
      inbox.exceptionDecisions.set(shipmentSeq, action);
      side.audit(actor, `resolve exception: ${action}`, note, { shipment: shipmentSeq });
      return state;
    },
    {
      validator: ({ shipmentSeq }: UpdateInput<typeof resolveException>) => {
        const shipment = state.shipments.find((s) => s.seq === shipmentSeq);
        if (
          !shipment ||
          shipment.phase !== STAFF_ACTIONS.resolveException.phase ||
          inbox.exceptionDecisions.has(shipmentSeq)
        ) {
          throw wrongState(`Shipment ${shipmentSeq} of ${orderNumber} has no delivery exception awaiting a decision`);
        }
      },
    },
  );
  setHandler(shipmentBookedSignal, ({ seq, trackingNumber }) => {
    const shipment = state.shipments.find((s) => s.seq === seq);
    if (!shipment || shipment.phase !== 'PICKED') return;
    shipment.phase = 'SHIPPED';
    shipment.trackingNumber = trackingNumber;
    state.trackingNumber ??= trackingNumber;
  });
}

function shipmentStatus(run: OrderRun): OrderStatus | undefined {
  const active = run.state.shipments.filter((s) => s.phase !== 'RESOLVED' && s.phase !== 'DELIVERED');
  if (active.some((s) => s.phase === 'PICKING' || s.phase === 'PICKED')) return 'PICKING';
  if (active.some((s) => s.phase === 'READY_FOR_PICKUP')) return 'READY_FOR_PICKUP';
  if (active.length > 0) return 'SHIPPED';
  return undefined;
}

async function refreshStatus(run: OrderRun): Promise<void> {
  const status = run.fulfilling ? shipmentStatus(run) : undefined;
  if (status) await run.side.moveTo(status);
}

export async function fulfil(run: OrderRun, shipment: ShipmentState): Promise<void> {
  const { state, inbox, side, dbSteps, orderNumber } = run;
  const ref = `${shipment.seq}`;
  await refreshStatus(run);
  await side.waitInStage('PICKING', () => shipment.phase !== 'PICKING' || cancelled(run), ref);
  checkCancelled(run);
  await dbSteps.recordPicked({ orderNumber, seq: shipment.seq, serials: shipment.serials ?? {} });

  if (shipment.pickup) {
    shipment.phase = 'READY_FOR_PICKUP';
    await refreshStatus(run);
    side.notify('ready_for_pickup', { ref });
    await side.waitInStage('PICKUP', () => inbox.collected.has(shipment.seq) || cancelled(run), ref);
    checkCancelled(run);
    await dbSteps.shipStock({ orderNumber, seq: shipment.seq });
    return delivered(run, shipment);
  }

  let outcome: ShipmentOutcome | undefined;
  const child = await startChild(shipmentWorkflow, {
    workflowId: shipmentWorkflowId(orderNumber, shipment.seq),
    args: [
      {
        orderNumber,
        seq: shipment.seq,
        purpose: shipment.purpose,
        issuedAt: Date.now(),
        issuedFor: shipmentWorkflowId(orderNumber, shipment.seq),
        issuedByParent: true,
      },
    ],
    staticSummary: `Shipment ${shipment.seq} of order ${orderNumber} (${shipment.purpose.toLowerCase()})`,
  });
  // A shipment workflow that failed (terminated by an operator, say) is handled like a carrier exception.
  void child.result().then(
    (o) => (outcome = o),
    () => (outcome = { status: 'EXCEPTION', detail: 'SHIPMENT_WORKFLOW_FAILED' }),
  );
  await condition(() => shipment.phase === 'SHIPPED' || outcome !== undefined);
  await refreshStatus(run);
  side.notify('shipped', {
    ref,
    shipmentSeq: shipment.seq,
    shipmentCount: state.shipments.filter((s) => s.purpose === shipment.purpose).length,
  });
  await side.waitInStage('DELIVERY', () => outcome !== undefined, ref);
  if (outcome!.status === 'DELIVERED') return delivered(run, shipment);

  // Delivery exception: staff decide (reship, refund, or the parcel came back to stock).
  shipment.phase = 'EXCEPTION';
  shipment.exception = outcome!.detail;
  await side.warnUntil({ kind: 'EXCEPTION', stage: 'DELIVERY', ref, detail: outcome!.detail }, () =>
    inbox.exceptionDecisions.has(shipment.seq),
  );
  const action = inbox.exceptionDecisions.get(shipment.seq)!;
  const { refundMinor } = await activities.resolveShipmentException({ orderNumber, seq: shipment.seq, action });
  shipment.phase = 'RESOLVED';
  if (refundMinor > 0) side.notify('refund_issued', { ref: `shipment-${shipment.seq}`, amountMinor: refundMinor });
  if (action === 'RESHIP') {
    const again = await allocateMore(run, {
      purpose: 'RESHIP',
      lines: shipment.lines.map(({ lineNo, sku, quantity }) => ({ lineNo, sku, quantity })),
    });
    await Promise.all(again.map((next) => fulfil(run, next)));
  }
  await refreshStatus(run);
}

async function delivered(run: OrderRun, shipment: ShipmentState): Promise<void> {
  shipment.phase = 'DELIVERED';
  if (shipment.purpose !== 'EXCHANGE') {
    for (const line of shipment.lines) {
      run.lineSkus.set(line.lineNo, line.sku);
      run.state.shippedByLine[line.lineNo] = (run.state.shippedByLine[line.lineNo] ?? 0) + line.quantity;
    }
  }
  await refreshStatus(run);
}

/**
 * One durable workflow per order (id `order-<orderNumber>`): review → allocation (or backorder) →
 * picking per shipment → carrier (a child workflow per shipment) or store pickup → delivery →
 * after-sales window with returns and exchanges → COMPLETED; cancellation with compensation
 * before anything ships. Pure orchestration: side effects are activities, rules are plain functions.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { RETRY_UNTIL_DONE } from './activity-options';
import { databaseSteps } from './database-steps';
import type { OrderActivities } from '../activities';
import type { OrderStatus, WaitingStage } from '../domain/order-status';
import { checkPickScans, serialsBySku } from '../domain/picking';
import { checkReturnLines } from '../domain/after-sales';
import type { OrderEmailKind } from '../mail/templates';
import type { AllocationRequest } from '../activities/allocation';
import { legacyOrderFlow } from './order-v1';
import { shipmentWorkflow } from './shipment';
import {
  approveOrder,
  backorderServedSignal,
  cancelOrder,
  confirmCollected,
  confirmPicked,
  decideReturn,
  DelayedStageAttribute,
  getOrderState,
  HasWarningAttribute,
  OrderStatusAttribute,
  receiveReturn,
  refundReturn,
  rejectOrder,
  requestReturn,
  resolveException,
  shipAvailable,
  shipmentBookedSignal,
  shipmentWorkflowId,
  substituteSku,
  type ExceptionAction,
  type OrderState,
  type OrderWorkflowInput,
  type ReceivedLineInput,
  type ReturnState,
  type ShipmentOutcome,
  type ShipmentPlan,
  type ShipmentState,
  type StaffActor,
} from './definitions';

/** Orders started before the full lifecycle carry no marker and finish on the first version's code. */
export const LIFECYCLE_PATCH = 'order-lifecycle-v2';

export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderState> {
  if (!patched(LIFECYCLE_PATCH)) return (await legacyOrderFlow(input)) as unknown as OrderState;
  return orderLifecycle(input);
}

const activities = proxyActivities<OrderActivities>(RETRY_UNTIL_DONE);

/** How often a replacement or reshipment that found no stock tries again (staff see the stage's warning). */
const EXTRA_ALLOCATION_RETRY = '1 minute';

/** Thrown inside the flow when a cancellation was accepted; caught once, where compensation runs. */
class OrderCancelled extends Error {}

const CANCELLABLE: OrderStatus[] = [
  'RECEIVED',
  'IN_REVIEW',
  'ALLOCATING',
  'BACKORDERED',
  'PICKING',
  'READY_FOR_PICKUP',
];

async function orderLifecycle(input: OrderWorkflowInput): Promise<OrderState> {
  const dbSteps = databaseSteps();
  const { orderNumber } = input;
  const state: OrderState = {
    orderNumber,
    status: 'RECEIVED',
    reviewReasons: [],
    shipments: [],
    openWarnings: [],
    shippedByLine: {},
    returns: [],
  };
  let decision: { approved: true } | { approved: false; reason: string } | undefined;
  let cancel: { reason: string; customerRequest: boolean } | undefined;
  let backorderServed = false;
  let backorderAction: { kind: 'SHIP_AVAILABLE' } | { kind: 'SUBSTITUTE'; lineNo: number; sku: string } | undefined;
  /** Pickup shipments the customer has collected. */
  const collected = new Set<number>();
  /** True while the order's own goods go out: shipment phases then decide the order's status. */
  let fulfilling = false;
  let returnRequestInFlight = false;
  let openReturn: ReturnState | undefined;
  let received: { lines: ReceivedLineInput[]; locationId?: number; actor: string } | undefined;
  let refundRequested = false;
  const exceptionDecisions = new Map<number, ExceptionAction>();
  let nextSeq = 1;

  // ---- side work that runs alongside the flow: emails, audit rows, status rows (in order) ----
  let alongside: Promise<unknown>[] = [];
  let auditSeq = 0;
  let statusSeq = 0;
  let statusWrites: Promise<void> = Promise.resolve();
  const notify = (kind: OrderEmailKind, extra: Parameters<OrderActivities['sendOrderEmail']>[2] = {}) => {
    alongside.push(activities.sendOrderEmail(orderNumber, kind, extra));
  };
  const audit = (actor: StaffActor, action: string, reason?: string, details?: Record<string, unknown>) => {
    alongside.push(
      dbSteps.recordAudit({
        key: `${orderNumber}:${++auditSeq}`,
        orderNumber,
        actor: actor.name,
        action,
        reason,
        details,
        // When staff acted (workflow time), not when the row was written: the database may be down a while.
        at: new Date(Date.now()).toISOString(),
      }),
    );
  };

  async function moveTo(status: OrderStatus): Promise<void> {
    if (state.status === status) return;
    state.status = status;
    upsertSearchAttributes([{ key: OrderStatusAttribute, value: status }]);
    const seq = ++statusSeq;
    statusWrites = statusWrites.then(() => dbSteps.recordOrderStatus(orderNumber, status, seq));
    await statusWrites;
  }

  function refreshWarningAttributes(): void {
    upsertSearchAttributes([
      { key: HasWarningAttribute, value: state.openWarnings.length > 0 },
      { key: DelayedStageAttribute, value: state.openWarnings.at(-1) ?? null },
    ]);
  }

  /** Waits until `done`; when the stage's SLA passes first, records a warning, tells the manager, keeps waiting. */
  async function waitInStage(stage: WaitingStage, done: () => boolean, ref = ''): Promise<void> {
    if (await condition(done, input.slaMs[stage])) return;
    await warnUntil({ kind: 'DELAY', stage, ref }, done);
  }

  async function warnUntil(
    warning: { kind: 'DELAY' | 'EXCEPTION'; stage: WaitingStage; ref: string; detail?: string },
    done: () => boolean,
  ): Promise<void> {
    state.openWarnings.push(warning.stage);
    refreshWarningAttributes();
    await activities.openOrderWarning({ orderNumber, ...warning });
    await condition(done);
    state.openWarnings.splice(state.openWarnings.lastIndexOf(warning.stage), 1);
    refreshWarningAttributes();
    await dbSteps.clearOrderWarning({ orderNumber, kind: warning.kind, stage: warning.stage, ref: warning.ref });
  }

  const cancelled = () => cancel !== undefined;
  const checkCancelled = () => {
    if (cancel) throw new OrderCancelled();
  };

  // ---- validators: refuse at once what the order is not waiting for (409) or what is wrong (422) ----
  const wrongState = (message: string) => ApplicationFailure.nonRetryable(message, 'WRONG_STATE');
  const invalid = (message: string, details?: unknown) =>
    ApplicationFailure.create({ message, type: 'INVALID_CONTENT', nonRetryable: true, details: [details] });
  function requireStatus(statuses: OrderStatus[], action: string): void {
    if (!statuses.includes(state.status))
      throw wrongState(`Order ${orderNumber} is ${state.status}; cannot ${action} it now`);
    if (cancel) throw wrongState(`Order ${orderNumber} is being cancelled`);
  }
  function shipmentInPhase(seq: number | undefined, phase: ShipmentState['phase'], action: string): ShipmentState {
    const candidates = state.shipments.filter((s) => s.phase === phase);
    const shipment =
      seq === undefined && candidates.length === 1 ? candidates[0] : candidates.find((s) => s.seq === seq);
    if (!shipment) {
      if (seq === undefined && candidates.length > 1)
        throw invalid(`Name the shipment to ${action}: ${candidates.map((s) => s.seq).join(', ')}`);
      throw wrongState(`Order ${orderNumber} has no shipment ${seq ?? ''} waiting to ${action}`.replace('  ', ' '));
    }
    return shipment;
  }
  function returnAwaiting(returnNumber: string, status: ReturnState['status'], action: string): ReturnState {
    if (!openReturn || openReturn.returnNumber !== returnNumber) throw wrongState(`${returnNumber} is not open`);
    if (openReturn.status !== status)
      throw wrongState(`${returnNumber} is ${openReturn.status}; cannot ${action} it now`);
    return openReturn;
  }

  // ---- queries, updates and signals ----
  setHandler(getOrderState, () => state);
  setHandler(
    approveOrder,
    ({ actor, note }) => {
      decision = { approved: true };
      audit(actor, 'approve', note);
      return state;
    },
    {
      validator: (_input) => {
        requireStatus(['IN_REVIEW'], 'approve');
        if (decision || state.reviewReasons.length === 0) throw wrongState(`Order ${orderNumber} awaits no decision`);
      },
    },
  );
  setHandler(
    rejectOrder,
    ({ actor, reason }) => {
      decision = { approved: false, reason };
      audit(actor, 'reject', reason);
      return state;
    },
    {
      validator: (_input) => {
        requireStatus(['IN_REVIEW'], 'reject');
        if (decision || state.reviewReasons.length === 0) throw wrongState(`Order ${orderNumber} awaits no decision`);
      },
    },
  );
  setHandler(
    cancelOrder,
    ({ actor, reason, customerRequest }) => {
      cancel = { reason, customerRequest };
      state.cancelRequested = true;
      audit(actor, customerRequest ? 'cancel (customer request)' : 'cancel', reason);
      return state;
    },
    {
      validator: (_input) => {
        if (!CANCELLABLE.includes(state.status)) {
          throw wrongState(
            `Order ${orderNumber} is ${state.status}; after shipping, open a return once it is delivered instead`,
          );
        }
        if (cancel) throw wrongState(`Order ${orderNumber} is already being cancelled`);
        if (state.shipments.some((s) => s.phase !== 'PICKING' && s.phase !== 'READY_FOR_PICKUP')) {
          throw wrongState(`Part of order ${orderNumber} is already on its way; it can no longer be cancelled`);
        }
      },
    },
  );
  setHandler(
    confirmPicked,
    ({ actor, shipmentSeq, scans = [] }) => {
      const shipment = shipmentInPhase(shipmentSeq, 'PICKING', 'pick');
      shipment.serials = serialsBySku(shipment.lines, scans);
      shipment.phase = 'PICKED';
      audit(actor, 'pick', undefined, { shipment: shipment.seq, units: scans.length, serials: shipment.serials });
      return state;
    },
    {
      validator: ({ shipmentSeq, scans = [] }) => {
        if (cancel) throw wrongState(`Order ${orderNumber} is being cancelled`);
        const shipment = shipmentInPhase(shipmentSeq, 'PICKING', 'pick');
        const problems = checkPickScans(shipment.lines, scans);
        if (problems.length > 0) throw invalid(problems.map((p) => p.message).join('; '), problems);
      },
    },
  );
  setHandler(
    shipAvailable,
    ({ actor, note }) => {
      backorderAction = { kind: 'SHIP_AVAILABLE' };
      audit(actor, 'ship available', note);
      return state;
    },
    {
      validator: (_input) => {
        requireStatus(['BACKORDERED'], 'ship what is available of');
        if (backorderAction) throw wrongState(`Order ${orderNumber}: a decision is already being carried out`);
      },
    },
  );
  setHandler(
    substituteSku,
    ({ actor, lineNo, sku, note }) => {
      backorderAction = { kind: 'SUBSTITUTE', lineNo, sku };
      audit(actor, 'substitute', note, { lineNo, sku });
      return state;
    },
    {
      validator: (_input) => {
        requireStatus(['BACKORDERED'], 'substitute a SKU on');
        if (backorderAction) throw wrongState(`Order ${orderNumber}: a decision is already being carried out`);
      },
    },
  );
  setHandler(
    confirmCollected,
    ({ actor }) => {
      const ready = state.shipments.filter((s) => s.phase === 'READY_FOR_PICKUP' && !collected.has(s.seq));
      for (const shipment of ready) collected.add(shipment.seq);
      audit(actor, 'collect', undefined, { shipments: ready.map((s) => s.seq) });
      return state;
    },
    {
      validator: (_input) => {
        if (cancel) throw wrongState(`Order ${orderNumber} is being cancelled`);
        if (!state.shipments.some((s) => s.phase === 'READY_FOR_PICKUP' && !collected.has(s.seq))) {
          throw wrongState(`Order ${orderNumber} is ${state.status}; nothing is waiting to be collected`);
        }
      },
    },
  );
  setHandler(
    resolveException,
    ({ actor, shipmentSeq, action, note }) => {
      exceptionDecisions.set(shipmentSeq, action);
      audit(actor, `resolve exception: ${action}`, note, { shipment: shipmentSeq });
      return state;
    },
    {
      validator: ({ shipmentSeq }) => {
        const shipment = state.shipments.find((s) => s.seq === shipmentSeq);
        if (!shipment || shipment.phase !== 'EXCEPTION' || exceptionDecisions.has(shipmentSeq)) {
          throw wrongState(`Shipment ${shipmentSeq} of ${orderNumber} has no delivery exception awaiting a decision`);
        }
      },
    },
  );
  setHandler(
    requestReturn,
    async ({ actor, kind, reason, note, source, lines }) => {
      returnRequestInFlight = true;
      const returnNumber = `${orderNumber}-R${state.returns.length + 1}`;
      const request: ReturnState = { returnNumber, kind, status: 'REQUESTED', lines };
      state.returns.push(request);
      await dbSteps.openReturn({
        orderNumber,
        returnNumber,
        kind,
        reason,
        note,
        source,
        requestedBy: actor.name,
        lines,
      });
      audit(actor, `open ${kind.toLowerCase()}`, note, { returnNumber, reason, source });
      openReturn = request;
      returnRequestInFlight = false;
      return { returnNumber };
    },
    {
      validator: ({ kind, lines }) => {
        requireStatus(['DELIVERED'], 'open a return or exchange on');
        if (openReturn || returnRequestInFlight) throw wrongState(`Order ${orderNumber} already has an open return`);
        const alreadyReturned = new Map<number, number>();
        for (const r of state.returns) {
          if (r.kind !== 'RETURN' || r.status === 'REJECTED') continue;
          for (const l of r.lines) alreadyReturned.set(l.lineNo, (alreadyReturned.get(l.lineNo) ?? 0) + l.quantity);
        }
        const shipped = Object.entries(state.shippedByLine).map(([lineNo, units]) => ({
          lineNo: Number(lineNo),
          sku: skuOfLine(Number(lineNo)),
          shipped: units,
          unitPriceMinor: 0,
        }));
        const problems = checkReturnLines(lines, shipped, alreadyReturned, kind);
        if (problems.length > 0) throw invalid(problems.map((p) => p.message).join('; '), problems);
      },
    },
  );
  setHandler(
    decideReturn,
    ({ actor, returnNumber, approve, note }) => {
      const request = returnAwaiting(returnNumber, 'REQUESTED', approve ? 'approve' : 'reject');
      request.status = approve ? 'APPROVED' : 'REJECTED';
      audit(actor, approve ? 'approve return' : 'reject return', note, { returnNumber });
      alongside.push(dbSteps.recordReturnStatus({ returnNumber, status: request.status, note }));
      return state;
    },
    {
      validator: ({ returnNumber, approve }) =>
        void returnAwaiting(returnNumber, 'REQUESTED', approve ? 'approve' : 'reject'),
    },
  );
  setHandler(
    receiveReturn,
    ({ actor, returnNumber, lines, locationId }) => {
      returnAwaiting(returnNumber, 'APPROVED', 'receive').status = 'RECEIVED';
      received = { lines, locationId, actor: actor.name };
      audit(actor, 'receive return', undefined, { returnNumber, lines });
      return state;
    },
    {
      validator: ({ returnNumber, lines }) => {
        const request = returnAwaiting(returnNumber, 'APPROVED', 'receive');
        const expected = new Set(request.lines.map((l) => l.lineNo));
        const given = new Set<number>(lines.map((l: ReceivedLineInput) => l.lineNo));
        if (
          given.size !== lines.length ||
          expected.size !== given.size ||
          [...given].some((n: number) => !expected.has(n))
        ) {
          throw invalid(`Inspect each returned line exactly once: lines ${[...expected].join(', ')}`);
        }
      },
    },
  );
  setHandler(
    refundReturn,
    ({ actor, returnNumber }) => {
      returnAwaiting(returnNumber, 'RECEIVED', 'refund');
      refundRequested = true;
      audit(actor, 'refund return', undefined, { returnNumber });
      return state;
    },
    {
      validator: ({ returnNumber }) => {
        const request = returnAwaiting(returnNumber, 'RECEIVED', 'refund');
        if (request.kind !== 'RETURN')
          throw wrongState(`${returnNumber} is an exchange: the replacement is sent, not money`);
        if (refundRequested) throw wrongState(`${returnNumber} is already being refunded`);
      },
    },
  );
  setHandler(backorderServedSignal, () => {
    backorderServed = true;
  });
  setHandler(shipmentBookedSignal, ({ seq, trackingNumber }) => {
    const shipment = state.shipments.find((s) => s.seq === seq);
    if (!shipment || shipment.phase !== 'PICKED') return;
    shipment.phase = 'SHIPPED';
    shipment.trackingNumber = trackingNumber;
    state.trackingNumber ??= trackingNumber;
  });

  const lineSkus = new Map<number, string>();
  function skuOfLine(lineNo: number): string {
    return lineSkus.get(lineNo) ?? `line ${lineNo}`;
  }

  // ---- allocation ----
  function addShipments(plans: ShipmentPlan[]): ShipmentState[] {
    const added = plans.map((plan) => ({ ...plan, phase: 'PICKING' as const }));
    state.shipments.push(...added);
    for (const plan of plans) nextSeq = Math.max(nextSeq, plan.seq + 1);
    return added;
  }

  /** The order's own goods: reserved now, or BACKORDERED until stock arrives or staff decide. */
  async function allocateOrBackorder(): Promise<ShipmentState[]> {
    await moveTo('ALLOCATING');
    for (;;) {
      const result = await dbSteps.allocateStock({ orderNumber, seqFrom: 1, purpose: 'ORDER', queue: true });
      checkCancelled();
      if (result.allocated) return addShipments(result.shipments);

      backorderServed = false; // before the status write: the sweep may serve the order during it
      await moveTo('BACKORDERED');
      notify('backordered', { items: result.short });
      await waitInStage('BACKORDER', () => backorderServed || backorderAction !== undefined || cancelled());
      checkCancelled();
      const action = backorderAction;
      backorderAction = undefined;
      if (action?.kind === 'SUBSTITUTE') {
        await dbSteps.substituteLine({ orderNumber, lineNo: action.lineNo, sku: action.sku });
      } else if (action?.kind === 'SHIP_AVAILABLE') {
        const partial = await dbSteps.allocateStock({ orderNumber, seqFrom: 1, purpose: 'ORDER', partial: true });
        if (!partial.allocated || partial.shipments.length === 0) {
          cancel = { reason: 'Nothing of this order is in stock', customerRequest: false };
          throw new OrderCancelled();
        }
        const dropped = await activities.cancelUnallocated(orderNumber);
        if (dropped.items.length > 0) {
          notify('partially_cancelled', { items: dropped.items, amountMinor: dropped.refundMinor || undefined });
        }
        return addShipments(partial.shipments);
      }
      await moveTo('ALLOCATING');
    }
  }

  /** Stock for a reshipment or an exchange; retries while it is short (the waiting stage's SLA warns staff). */
  async function allocateMore(request: Omit<AllocationRequest, 'orderNumber' | 'seqFrom'>): Promise<ShipmentState[]> {
    const seqFrom = nextSeq;
    for (;;) {
      const result = await dbSteps.allocateStock({ orderNumber, seqFrom, ...request });
      if (result.allocated) return addShipments(result.shipments);
      await sleep(EXTRA_ALLOCATION_RETRY);
    }
  }

  // ---- one shipment: pick, then hand over at the store or send with the carrier ----
  function shipmentStatus(): OrderStatus | undefined {
    const active = state.shipments.filter((s) => s.phase !== 'RESOLVED' && s.phase !== 'DELIVERED');
    if (active.some((s) => s.phase === 'PICKING' || s.phase === 'PICKED')) return 'PICKING';
    if (active.some((s) => s.phase === 'READY_FOR_PICKUP')) return 'READY_FOR_PICKUP';
    if (active.length > 0) return 'SHIPPED';
    return undefined;
  }
  async function refreshStatus(): Promise<void> {
    const status = fulfilling ? shipmentStatus() : undefined;
    if (status) await moveTo(status);
  }

  async function fulfil(shipment: ShipmentState): Promise<void> {
    await refreshStatus();
    await waitInStage('PICKING', () => shipment.phase !== 'PICKING' || cancelled(), `${shipment.seq}`);
    checkCancelled();
    await dbSteps.recordPicked({ orderNumber, seq: shipment.seq, serials: shipment.serials ?? {} });

    if (shipment.pickup) {
      shipment.phase = 'READY_FOR_PICKUP';
      await refreshStatus();
      notify('ready_for_pickup', { ref: `${shipment.seq}` });
      await waitInStage('PICKUP', () => collected.has(shipment.seq) || cancelled(), `${shipment.seq}`);
      checkCancelled();
      await dbSteps.shipStock({ orderNumber, seq: shipment.seq });
      return delivered(shipment);
    }

    let outcome: ShipmentOutcome | undefined;
    const child = await startChild(shipmentWorkflow, {
      workflowId: shipmentWorkflowId(orderNumber, shipment.seq),
      args: [{ orderNumber, seq: shipment.seq, purpose: shipment.purpose }],
    });
    // A shipment workflow that failed (terminated by an operator, say) is handled like a carrier exception.
    void child.result().then(
      (o) => (outcome = o),
      () => (outcome = { status: 'EXCEPTION', detail: 'SHIPMENT_WORKFLOW_FAILED' }),
    );
    await condition(() => shipment.phase === 'SHIPPED' || outcome !== undefined);
    await refreshStatus();
    notify('shipped', {
      ref: `${shipment.seq}`,
      shipmentSeq: shipment.seq,
      shipmentCount: state.shipments.filter((s) => s.purpose === shipment.purpose).length,
    });
    await waitInStage('DELIVERY', () => outcome !== undefined, `${shipment.seq}`);
    if (outcome!.status === 'DELIVERED') return delivered(shipment);

    // Delivery exception: staff decide (reship, refund, or the parcel came back to stock).
    shipment.phase = 'EXCEPTION';
    shipment.exception = outcome!.detail;
    await warnUntil({ kind: 'EXCEPTION', stage: 'DELIVERY', ref: `${shipment.seq}`, detail: outcome!.detail }, () =>
      exceptionDecisions.has(shipment.seq),
    );
    const action = exceptionDecisions.get(shipment.seq)!;
    const { refundMinor } = await activities.resolveShipmentException({ orderNumber, seq: shipment.seq, action });
    shipment.phase = 'RESOLVED';
    if (refundMinor > 0) notify('refund_issued', { ref: `shipment-${shipment.seq}`, amountMinor: refundMinor });
    if (action === 'RESHIP') {
      const again = await allocateMore({
        purpose: 'RESHIP',
        lines: shipment.lines.map(({ lineNo, sku, quantity }) => ({ lineNo, sku, quantity })),
      });
      await Promise.all(again.map(fulfil));
    }
    await refreshStatus();
  }

  async function delivered(shipment: ShipmentState): Promise<void> {
    shipment.phase = 'DELIVERED';
    if (shipment.purpose !== 'EXCHANGE') {
      for (const line of shipment.lines) {
        lineSkus.set(line.lineNo, line.sku);
        state.shippedByLine[line.lineNo] = (state.shippedByLine[line.lineNo] ?? 0) + line.quantity;
      }
    }
    await refreshStatus();
  }

  // ---- after-sales: one return or exchange at a time, while the window is open ----
  async function handleReturn(request: ReturnState): Promise<void> {
    const { returnNumber } = request;
    await waitInStage('RETURN', () => request.status !== 'REQUESTED', returnNumber);
    if (request.status === 'REJECTED') {
      notify('return_rejected', { ref: returnNumber, returnNumber });
      return;
    }
    notify('return_accepted', { ref: returnNumber, returnNumber });
    await waitInStage('RETURN', () => request.status === 'RECEIVED', returnNumber);
    await dbSteps.receiveReturnedGoods({ orderNumber, returnNumber, ...received! });
    if (request.kind === 'RETURN') {
      await waitInStage('RETURN', () => refundRequested, returnNumber);
      const amountMinor = await activities.refundReturn({ orderNumber, returnNumber });
      request.status = 'REFUNDED';
      notify('refund_issued', { ref: returnNumber, returnNumber, amountMinor });
    } else {
      const replacements = await allocateMore({
        purpose: 'EXCHANGE',
        lines: request.lines.map((l) => ({ lineNo: l.lineNo, sku: l.replacementSku!, quantity: l.quantity })),
      });
      await Promise.all(replacements.map(fulfil));
      request.status = 'EXCHANGED';
      await dbSteps.recordReturnStatus({ returnNumber, status: 'EXCHANGED' });
    }
  }

  async function close(): Promise<OrderState> {
    await condition(allHandlersFinished);
    while (alongside.length > 0) {
      const batch = alongside;
      alongside = [];
      await Promise.all(batch);
    }
    await statusWrites;
    return state;
  }

  // ---- the flow ----
  try {
    notify('received');
    await moveTo('IN_REVIEW');
    const review = await dbSteps.reviewOrderLines(orderNumber);
    state.reviewReasons = review.reasons;
    for (const line of review.lines) lineSkus.set(line.lineNo, line.sku);
    checkCancelled();
    if (state.reviewReasons.length > 0) {
      notify('needs_attention');
      await waitInStage('REVIEW', () => decision !== undefined || cancelled());
      checkCancelled();
      if (decision && !decision.approved) {
        await moveTo('REJECTED');
        notify('rejected', { reason: decision.reason });
        return await close();
      }
    }

    const shipments = await allocateOrBackorder();
    fulfilling = true;
    await Promise.all(shipments.map(fulfil));
    fulfilling = false;
  } catch (err) {
    if (!(err instanceof OrderCancelled)) throw err;
    // Compensation: the status first (the backorder sweep reserves only for BACKORDERED orders), then stock, money, the customer.
    await moveTo('CANCELLED');
    await dbSteps.releaseOrderStock(orderNumber);
    const refundMinor = await activities.refundOrder({ orderNumber, key: 'cancel', reason: cancel!.reason });
    notify('cancelled', { reason: cancel!.reason, amountMinor: refundMinor || undefined });
    return await close();
  }

  if (!state.shipments.some((s) => s.phase === 'DELIVERED')) {
    // Every parcel was lost or came back and was refunded: nothing reached the customer.
    await dbSteps.recordClosedReason({ orderNumber, reason: 'Not delivered; refunded' });
    await moveTo('CANCELLED');
    return await close();
  }

  await moveTo('DELIVERED');
  notify('delivered');
  const windowEnds = Date.now() + input.afterSalesWindowMs;
  for (;;) {
    const remaining = windowEnds - Date.now();
    if (remaining <= 0 && !returnRequestInFlight) break;
    await condition(() => openReturn !== undefined, Math.max(remaining, 1));
    if (!openReturn && returnRequestInFlight) await condition(() => openReturn !== undefined);
    if (!openReturn) break;
    await moveTo('AFTER_SALES');
    await handleReturn(openReturn);
    openReturn = undefined;
    refundRequested = false;
    received = undefined;
    if (windowEnds - Date.now() > 0) await moveTo('DELIVERED');
  }
  await moveTo('COMPLETED');
  return await close();
}

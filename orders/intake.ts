/**
 * Order intake: store the order, then hand it to its workflow. The database row is the promise:
 * once it is committed the order will be processed, because a workflow that failed to start here
 * is started by `startPendingWorkflows` (the API runs it at start and then periodically), and a staff
 * action that comes first starts it itself (`updateOrderWorkflow`). All three start it the same way.
 */
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Db, Prisma } from '../db/client';
import { nextInSequence } from '../db/sequence';
import type { Config } from '../lib/config';
import {
  executeUpdateWithStartOnce,
  startWorkflowOnce,
  type Sealed,
  type Unsealed,
  type WorkflowStart,
} from '../lib/temporal';
import { describeError } from '../lib/redact';
import { log } from '../lib/log';
import { crashPoint } from '../lib/faults';
import { customerIdFor, rememberAddress } from './customers';
import { applyPoints } from './points';
import { newTrackingToken } from './tracking-page';
import type { OrderInput } from '../domain/order-input';
import { formatOrderNumber, orderDay, orderWorkflowId } from '../domain/order-number';
import { orderRunSummary } from '../domain/run-summaries';
import type { QuotedLine } from '../domain/pricing';
import { priceBasket, redeemCoupons, UnknownSkusError, type PricedBasket, type UsableCoupon } from './promotions';
import {
  ORDER_WORKFLOW_TYPE,
  OrderChannelAttribute,
  OrderStatusAttribute,
  type OrderWorkflowInput,
} from '../workflows/definitions';

export { UnknownSkusError, CouponRefusedError } from './promotions';

/** The payment a PAID order names already backs another order: one payment pays for one order. */
export class PaymentReferenceUsedError extends Error {
  constructor(readonly reference: string) {
    super(`Payment ${reference} already pays for another order`);
  }
}

export class UnknownStoreError extends Error {
  constructor(readonly store: string) {
    super(`No store ${store} takes pickups`);
  }
}

/** Points offered in payment that cannot be taken: no customer to take them from, or worth more than the order. */
export class PointsRefusedError extends Error {}

export interface IntakeResult {
  orderNumber: string;
  created: boolean;
  /** The row just stored with its lines (a new order only): the answer, without reading it back. */
  stored?: StoredOrder;
}

type StoredOrder = Awaited<ReturnType<typeof storeOrder>>;

type WorkflowSettings = Pick<Config, 'taskQueue' | 'afterSalesWindowMs' | 'slaMs'> &
  Partial<Pick<Config, 'language' | 'loyalty' | 'timeZone'>>;

export async function acceptOrder(
  db: Db,
  temporal: Client,
  settings: WorkflowSettings,
  input: OrderInput,
): Promise<IntakeResult> {
  const repeat = await db.order.findUnique({
    where: { channel_externalId: { channel: input.channel, externalId: input.externalId } },
  });
  if (repeat) {
    if (!repeat.workflowStarted) await startOrderWorkflow(db, temporal, settings, repeat);
    return { orderNumber: repeat.orderNumber, created: false };
  }

  const skus = [...new Set(input.lines.map((l) => l.sku))];
  const known = await db.productVariant.findMany({ where: { sku: { in: skus } }, select: { sku: true } });
  const unknown = skus.filter((sku) => !known.some((v) => v.sku === sku));
  if (unknown.length > 0) throw new UnknownSkusError(unknown);

  let pickupLocationId: number | null = null;
  if (input.pickupStore) {
    const store = await db.location.findUnique({ where: { code: input.pickupStore } });
    if (!store || !(store.pickup || input.channel === 'pos')) throw new UnknownStoreError(input.pickupStore);
    pickupLocationId = store.id;
  }

  const paymentReference = input.payment.status === 'PAID' ? (input.payment.reference ?? null) : null;
  if (paymentReference) {
    const holder = await db.order.findUnique({ where: { paymentReference } });
    // The same order sent twice at once: the first is stored by now, and this is its repeat.
    if (holder?.channel === input.channel && holder.externalId === input.externalId) {
      return { orderNumber: holder.orderNumber, created: false };
    }
    if (holder) throw new PaymentReferenceUsedError(paymentReference);
  }

  // Before the order's own transaction: a customer recognised or created stays one even if the order is refused.
  const customerId = await customerIdFor(db, input.customer);
  const priced = await priceBasket(
    db,
    { timeZone: settings.timeZone ?? 'Asia/Shanghai', loyalty: settings.loyalty },
    {
      lines: input.lines,
      channel: input.channel,
      // A store's own prices and promotions are for its till.
      location: input.channel === 'pos' ? input.pickupStore : undefined,
      customerId,
      couponCodes: input.couponCodes,
      at: new Date(),
    },
  );
  const { lines, totalMinor, discountMinor, quotedMinor } = orderLinesOf(input, priced);
  const pointsRedeemed = input.pointsToRedeem ?? 0;
  const pointsMinor = pointsRedeemed * (settings.loyalty?.pointValueMinor ?? 1);
  if (pointsMinor > totalMinor) {
    throw new PointsRefusedError(
      `${pointsRedeemed} points are worth ${pointsMinor}, more than the order's ${totalMinor}`,
    );
  }
  if (pointsRedeemed && customerId === null) {
    throw new PointsRefusedError(
      'Points are taken from a customer known by mobile number or email: the order names none',
    );
  }
  const redemption =
    pointsRedeemed && customerId !== null ? { customerId, points: pointsRedeemed, pointsMinor } : undefined;
  let stored: StoredOrder;
  try {
    stored = await storeOrder(
      db,
      {
        channel: input.channel,
        externalId: input.externalId,
        status: 'RECEIVED',
        customerName: input.customer?.name ?? null,
        customerEmail: input.customer?.email ?? null,
        customerPhone: input.customer?.phone ?? null,
        customerId,
        shippingAddress: input.shippingAddress ?? {},
        fulfilment: pickupLocationId ? 'PICKUP' : 'SHIP',
        pickupLocationId,
        urgent: input.urgent,
        language: input.language ?? settings.language ?? 'en',
        totalMinor,
        discountMinor,
        pricing:
          priced.record && quotedMinor === null ? (priced.record as unknown as Prisma.InputJsonValue) : undefined,
        quotedMinor,
        pointsRedeemed,
        pointsMinor,
        trackingToken: newTrackingToken(),
        paymentStatus: input.payment.status,
        paymentReference,
      },
      lines,
      redemption,
      quotedMinor === null ? { quote: priced.quote.applied, coupons: priced.coupons, customerId } : undefined,
    );
  } catch (err) {
    // The same (channel, externalId) sent twice at once: the loser returns the winner's order.
    if ((err as { code?: string }).code === 'P2002') {
      const winner = await db.order.findUnique({
        where: { channel_externalId: { channel: input.channel, externalId: input.externalId } },
      });
      if (winner) return { orderNumber: winner.orderNumber, created: false };
      if (paymentReference) throw new PaymentReferenceUsedError(paymentReference);
    }
    throw err;
  }
  const { orderNumber } = stored;

  // Test-only (lib/faults.ts): the API dies with the order stored and its workflow not started.
  crashPoint('intake-persisted', { orderNumber });
  // The stored row is the promise, so the answer need not wait for Temporal: the workflow starts alongside,
  // and one that fails to start here is started by the sweep. A staff action that comes before either starts it
  // itself (updateOrderWorkflow), so every action is open from this answer on.
  void startOrderWorkflow(db, temporal, settings, stored).catch((err) =>
    log.warn(`order ${orderNumber} stored; its workflow will be started later: ${describeError(err)}`, { orderNumber }),
  );
  // A convenience for the next order (the address book): the stored order does not depend on it.
  if (customerId !== null && input.shippingAddress) {
    await rememberAddress(db, customerId, input.shippingAddress).catch((err) =>
      log.warn(`order ${orderNumber}: its address was not added to the address book: ${describeError(err)}`, {
        orderNumber,
      }),
    );
  }
  return { orderNumber, created: true, stored };
}

/**
 * The order row under the day's next number, its lines and the points it is paid with, in one transaction; returns
 * what it wrote. The lines go in as one multi-row INSERT that returns them (a nested create writes them one by one
 * and reads all back). Points the balance does not cover refuse the whole order (InsufficientPointsError): an order
 * is never stored without its points taken, nor points taken without the order; the same for its coupons' uses.
 */
async function storeOrder(
  db: Db,
  data: Omit<Prisma.OrderUncheckedCreateInput, 'orderNumber' | 'lines'>,
  lines: Omit<Prisma.OrderLineCreateManyInput, 'orderId'>[],
  redemption?: { customerId: number; points: number; pointsMinor: number },
  promotions?: { quote: PricedBasket['quote']['applied']; coupons: UsableCoupon[]; customerId: number | null },
) {
  return db.$transaction(async (tx) => {
    const day = orderDay(new Date());
    const orderNumber = formatOrderNumber(day, await nextInSequence(tx, day));
    const order = await tx.order.create({ data: { ...data, orderNumber } });
    let discounts: Prisma.OrderDiscountGetPayload<object>[] = [];
    if (promotions) {
      // The coupons' uses before the rest: one used up refuses the order, and the row just written goes with it.
      await redeemCoupons(tx, promotions.coupons, orderNumber, promotions.customerId);
      if (promotions.quote.length > 0) {
        discounts = await tx.orderDiscount.createManyAndReturn({
          data: promotions.quote.map((a) => ({
            orderId: order.id,
            promotionId: a.promotionId,
            code: a.code,
            name: a.name,
            amountMinor: a.amountMinor,
          })),
        });
      }
    }
    if (redemption) {
      await applyPoints(tx, {
        key: `redeem:${orderNumber}`,
        customerId: redemption.customerId,
        kind: 'REDEEM',
        points: -redemption.points,
        orderNumber,
        moneyMinor: redemption.pointsMinor,
        actor: `order ${orderNumber}`,
        reason: `Paid with points on order ${orderNumber}`,
      });
    }
    const stored = await tx.orderLine.createManyAndReturn({ data: lines.map((l) => ({ ...l, orderId: order.id })) });
    return { ...order, lines: stored.sort((a, b) => a.lineNo - b.lineNo), discounts };
  });
}

/**
 * How an order's workflow is started, the one description intake, the sweep and staff actions all use: its id from
 * the order number, the task queue, the input and the first search attributes. Together with the start options of
 * lib/temporal.ts (one run per id, ever) this is what makes "started once" hold whichever of them starts it.
 */
export function orderWorkflowStart(settings: WorkflowSettings, order: OrderToStart): WorkflowStart {
  const { orderNumber, channel } = order;
  const input: OrderWorkflowInput = {
    orderNumber,
    afterSalesWindowMs: settings.afterSalesWindowMs,
    slaMs: settings.slaMs,
  };
  return {
    type: ORDER_WORKFLOW_TYPE,
    workflowId: orderWorkflowId(orderNumber),
    taskQueue: settings.taskQueue,
    input,
    searchAttributes: [
      { key: OrderStatusAttribute, value: 'RECEIVED' },
      { key: OrderChannelAttribute, value: channel },
    ],
    summary: orderRunSummary(order),
  };
}

/** Starts the order's workflow exactly once (the workflow id is derived from the order number). */
export async function startOrderWorkflow(
  db: Db,
  temporal: Client,
  settings: WorkflowSettings,
  order: OrderToStart,
): Promise<void> {
  await startWorkflowOnce(temporal, orderWorkflowStart(settings, order));
  await markWorkflowStarted(db, order.orderNumber);
}

async function markWorkflowStarted(db: Db, orderNumber: string): Promise<void> {
  await db.order.update({ where: { orderNumber }, data: { workflowStarted: true }, select: { id: true } });
}

/** What starting an order's workflow needs of the stored order. */
export interface OrderToStart {
  orderNumber: string;
  channel: string;
  totalMinor: number;
  currency: string;
}

/** The columns of OrderToStart, for a query's `select`. */
export const ORDER_TO_START = { orderNumber: true, channel: true, totalMinor: true, currency: true } as const;

/** A stored order as a staff action needs it. */
export interface AcceptedOrder extends OrderToStart {
  workflowStarted: boolean;
}

/**
 * Runs an Update (a staff action) on a stored order's workflow. An order is accepted once it is stored, before its
 * workflow exists: intake starts that alongside its answer, and the sweep after a failure. So the Update goes with
 * the start (Update-with-Start, see lib/temporal.ts): a workflow not started yet is started here, exactly as intake
 * would start it, and takes the Update as its first one; a running one just takes it; a closed one is never started
 * again (WorkflowExecutionAlreadyStartedError). An Update the workflow refuses still leaves it started, and the
 * order then goes on as it would have. Once a workflow is known to run, the order is marked started, as
 * startOrderWorkflow does.
 */
export async function updateOrderWorkflow<Ret, Arg extends Sealed>(
  db: Db,
  temporal: Client,
  settings: WorkflowSettings,
  order: AcceptedOrder,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Unsealed<Arg>,
): Promise<Ret> {
  const start = orderWorkflowStart(settings, order);
  let running = false;
  try {
    const result = await executeUpdateWithStartOnce(temporal, start, update, arg);
    running = true;
    return result;
  } catch (err) {
    // The workflow's own refusal (its validator or handler): it runs, whatever it thought of the Update.
    if (err instanceof WorkflowUpdateFailedError) running = true;
    throw err;
  } finally {
    // The answer is the Update's; a failed mark only leaves the order to the sweep, which finds it running.
    if (running && !order.workflowStarted) {
      await markWorkflowStarted(db, order.orderNumber).catch((err) =>
        log.warn(`order ${order.orderNumber}: could not mark its workflow started: ${describeError(err)}`, {
          orderNumber: order.orderNumber,
        }),
      );
    }
  }
}

/** Starts the workflow of every stored order that does not have one yet. */
export async function startPendingWorkflows(db: Db, temporal: Client, settings: WorkflowSettings): Promise<number> {
  const pending = await db.order.findMany({
    where: { workflowStarted: false },
    select: ORDER_TO_START,
  });
  for (const order of pending) await startOrderWorkflow(db, temporal, settings, order);
  return pending.length;
}

/** A line as stored: the catalogue price, what was taken off and why. */
type LineToStore = Omit<Prisma.OrderLineCreateManyInput, 'orderId'>;

/**
 * The order's lines and total. Our quote prices web, phone and till orders (gifts added as lines of their own); a
 * marketplace order that brings the platform's prices keeps them (the platform ran the promotion), with our own
 * quote beside it for review (quotedMinor).
 */
function orderLinesOf(
  input: OrderInput,
  priced: PricedBasket,
): { lines: LineToStore[]; totalMinor: number; discountMinor: number; quotedMinor: number | null } {
  const stored = (l: QuotedLine): LineToStore => ({
    lineNo: l.lineNo,
    sku: l.sku,
    quantity: l.quantity,
    unitPriceMinor: l.unitPriceMinor,
    discountMinor: l.discountMinor,
    gift: l.gift,
    adjustments: l.adjustments.length ? (l.adjustments as unknown as Prisma.InputJsonValue) : undefined,
  });
  const { quote } = priced;
  const platformPriced = input.channel === 'marketplace' && input.lines.every((l) => l.paidMinor !== undefined);
  if (!platformPriced) {
    return {
      lines: quote.lines.map(stored),
      totalMinor: quote.totalMinor,
      discountMinor: quote.discountMinor,
      quotedMinor: null,
    };
  }
  const lines = input.lines.map((line, i): LineToStore => {
    const listMinor = quote.lines[i].listMinor;
    const discount = listMinor - line.paidMinor!;
    return {
      lineNo: i + 1,
      sku: line.sku,
      quantity: line.quantity,
      unitPriceMinor: quote.lines[i].unitPriceMinor,
      discountMinor: discount,
      adjustments:
        discount === 0
          ? undefined
          : [{ code: 'PLATFORM', name: 'Marketplace price', promotionId: null, amountMinor: discount }],
    };
  });
  const totalMinor = input.lines.reduce((s, l) => s + l.paidMinor!, 0);
  const listMinor = quote.lines.filter((l) => !l.gift).reduce((s, l) => s + l.listMinor, 0);
  return { lines, totalMinor, discountMinor: listMinor - totalMinor, quotedMinor: quote.totalMinor };
}

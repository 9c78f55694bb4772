/** Orders: intake from every channel, the live view with its timeline, and staff actions (workflow Updates). */
import { Router, type Request } from 'express';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { multilineText, note as optionalNote, text } from '../../domain/text';
import type { Db } from '../../db/client';
import type { Config } from '../../lib/config';
import { orderInputSchema } from '../../domain/order-input';
import { changesNothing, orderEditSchema } from '../../domain/order-edit-input';
import { orderWorkflowId } from '../../domain/order-number';
import { ORDER_STATUSES, SALES_CHANNELS, WAITING_STAGES } from '../../domain/order-status';
import { RETURN_REASONS } from '../../domain/after-sales';
import {
  acceptOrder,
  ORDER_TO_START,
  updateOrderWorkflow,
  UnknownSkusError,
  UnknownStoreError,
  PointsRefusedError,
  PaymentReferenceUsedError,
  CouponRefusedError,
  type AcceptedOrder,
} from '../../orders/intake';
import { customerDataFor, customerDataViewOf } from '../../domain/customer-privacy';
import { daySummary, listOrders } from '../../orders/order-list';
import { InsufficientPointsError } from '../../orders/points';
import { tierByCode } from '../../domain/loyalty';
import { buildPickList, unavailableSerials } from '../../orders/pick-list';
import { orderTimeline } from '../../orders/timeline';
import {
  approveOrder,
  cancelOrder,
  confirmCollected,
  confirmPicked,
  editOrder,
  getOrderState,
  rejectOrder,
  requestReturn,
  resolveException,
  shipAvailable,
  substituteSku,
  type OrderState,
} from '../../workflows/definitions';
import type { Sealed, Unsealed } from '../../lib/temporal';
import { actionsFor } from '../action-permissions';
import { actorOf } from '../auth';
import { HttpError, isUnavailable } from '../errors';
import { couponRefusal } from './pricing';
import { locationByCode, requireKnownSkus } from '../lookups';
import { apiGroup, emptyBody, route } from '../operations';
import { intakeRateLimit } from '../rate-limits';
import { parseBody, parseIdParam, parseQuery } from '../validate';
import { runUpdate } from '../workflow-updates';

const note = optionalNote(500);
const reason = multilineText(500);
const approveSchema = z.object({ note }).strict();
const rejectSchema = z.object({ reason }).strict();
const cancelSchema = z.object({ reason, customerRequest: z.boolean().default(false) }).strict();
const pickSchema = z
  .object({
    shipment: z.number().int().min(1).optional(),
    scans: z
      .array(z.object({ barcode: text(64), serial: text(64).optional() }).strict())
      .min(1)
      .max(1000),
  })
  .strict();
const substituteSchema = z.object({ lineNo: z.number().int().min(1), sku: text(64), note }).strict();
const resolveSchema = z.object({ action: z.enum(['RESHIP', 'REFUND', 'RETURN_TO_STOCK']), note }).strict();
const returnSchema = z
  .object({
    kind: z.enum(['RETURN', 'EXCHANGE']),
    reason: z.enum(RETURN_REASONS),
    note,
    source: z.enum(['customer', 'staff']).default('customer'),
    lines: z
      .array(
        z
          .object({
            lineNo: z.number().int().min(1),
            quantity: z.number().int().min(1).max(10_000),
            replacementSku: text(64).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict();
const instant = z.iso.datetime({ offset: true });
const listQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  channel: z.enum(SALES_CHANNELS).optional(),
  location: text(32).optional(),
  reservedAt: text(32).optional(),
  warning: z.enum(['any', ...WAITING_STAGES]).optional(),
  exception: z.enum(['true', 'false']).optional(),
  from: instant.optional(),
  to: instant.optional(),
  q: text(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: text(64).optional(),
});
const summaryQuery = z.object({ since: instant });
/** How long after booking a parcel's packing slip (with the whole address) can still be printed. */
const PACKING_SLIP_AFTER_BOOKING_MS = 24 * 60 * 60 * 1000;

/** A staff action: a Temporal Update on the order's workflow, answered with the order's view. */
const STAFF_ACTION = {
  responses: { 200: 'The order as `GET /api/orders/{orderNumber}` shows it' },
  errors: {
    404: '`ORDER_NOT_FOUND`',
    409: '`WRONG_STATE`: the order is not waiting for this (see "Which staff action when" in docs/api.md)',
    422: '`INVALID_CONTENT`',
  },
};

export const orderApi = apiGroup({
  mount: '/api/orders',
  tag: 'Orders',
  description:
    "Intake from every channel, the order's live view with its timeline, and the staff actions, each a Temporal Update on the order's workflow `order-<orderNumber>`.",
  operations: {
    createOrder: {
      method: 'post',
      path: '/',
      summary: 'Take in an order from any channel',
      description:
        'Answered once the order is stored; its workflow starts alongside. Idempotent on `(channel, externalId)`: a repeat returns the same order with 200. `shippingAddress` is required unless `pickupStore` (a location code) makes it a click & collect order, which a `pos` sale must be. `urgent: true` ships express. The system prices the order itself (docs/promotions.md): list prices, the customer’s member tier, running promotions and the `couponCodes` given, every discount on the line it comes off (`discountMinor`, `adjustments`) and 满赠 gifts as lines of their own (`gift: true`); a marketplace order that gives `paidMinor` on its lines keeps the platform’s price, and review holds it (`PRICE_DIFFERS`) when our own quote differs. A `PAID` order names its payment (`payment.reference`, as the payment provider names it); the provider must confirm a capture of at least the total (less what `pointsToRedeem` pays) at review, or the order waits there (`PAYMENT_UNVERIFIED`). Unknown fields are refused.',
      permission: 'orders.create',
      body: orderInputSchema,
      responses: { 201: 'The stored order', 200: 'The same order, sent before' },
      errors: {
        409: '`PAYMENT_REFERENCE_USED`: that payment already pays for another order (`details.reference`); `COUPON_USED_UP`: a coupon has no uses left (`details.coupon`)',
        422: '`UNKNOWN_SKU` (`details.skus`), `UNKNOWN_STORE` (`details.store`), `POINTS_REFUSED`, `NOT_ENOUGH_POINTS` (`details.balance`, `details.asked`), `COUPON_UNKNOWN`, `COUPON_EXPIRED`, `COUPON_NOT_YOURS`, `COUPON_NOT_APPLICABLE` (`details.coupon`)',
        429: '`RATE_LIMITED`: too many orders from this API key (`OMS_INTAKE_RATE_LIMIT`)',
      },
    },
    listOrders: {
      method: 'get',
      path: '/',
      summary: 'The newest orders, filtered, a page at a time',
      description:
        '`q` searches the order number, external id, customer name, email and phone (a warehouse key: not email and phone); `%`, `_` and `\\` match themselves. `location` (a code): orders picked or collected there; `reservedAt` (a code): orders with stock still reserved there, waiting to be picked there (a location’s picking queue). `warning`: orders with an open delay warning (in that stage, or `any`); `exception=true`: with an open delivery exception. `from`/`to`: created in that window (ISO 8601 with offset; `to` excluded). Pass `nextCursor` back as `cursor` for the next page.',
      permission: 'orders.read',
      query: listQuery,
      responses: {
        200: '`{orders, total, nextCursor}`: per order its number, channel, external id, status, customer name and phone (masked for a warehouse key, `138****8000`), total, fulfilment, urgent, created; `total` counts every order the filters match',
      },
      errors: { 422: '`UNKNOWN_LOCATION`' },
    },
    orderSummary: {
      method: 'get',
      path: '/summary',
      summary: "The day's figures: orders by status, taken and sold since, open delays, low stock, exceptions",
      description:
        "`since` is the start of the shop's day (ISO 8601 with offset). Sales leave out cancelled and rejected orders.",
      permission: 'orders.read',
      query: summaryQuery,
      responses: { 200: '`{byStatus, since: {orders, salesMinor}, delays (by stage), lowStock, deliveryExceptions}`' },
    },
    getOrder: {
      method: 'get',
      path: '/:orderNumber',
      summary: "An order's live view",
      description:
        'Status, lines, reservations, shipments with tracking events, returns, refunds, warnings and the `timeline` of status changes, staff actions, emails and warnings. A warehouse key sees the customer by need: name, masked phone (`138****8000`), `customerEmail: null`, and of `shippingAddress` only city, region and country (the packing slip has the whole address).',
      permission: 'orders.read',
      responses: { 200: 'The order' },
      errors: { 404: '`ORDER_NOT_FOUND`' },
    },
    getPickList: {
      method: 'get',
      path: '/:orderNumber/pick-list',
      summary: 'What to pick, per shipment',
      description: 'Location, phase, and lines with barcode; serialised goods suggest the oldest units.',
      permission: 'orders.read',
      responses: { 200: '`{orderNumber, status, shipments}`' },
      errors: { 404: '`ORDER_NOT_FOUND`', 409: '`WRONG_STATE`: no live workflow to pick for' },
    },
    getPackingSlip: {
      method: 'get',
      path: '/:orderNumber/shipments/:seq/packing-slip',
      summary: "A parcel's ship-to for its packing slip and label",
      description:
        'The whole delivery address, with name and phone, of a carrier parcel still in the warehouse: picked and waiting for the carrier, or booked within the last 24 hours (a label printed again). For any other shipment, 409.',
      permission: 'orders.pick',
      responses: { 200: '`{orderNumber, seq, shipTo: {name, phone, address}}`' },
      errors: {
        404: '`ORDER_NOT_FOUND`',
        409: '`NO_PARCEL_TO_PACK`: not a parcel in the warehouse (a pickup, not picked yet, or long gone)',
      },
    },
    getOrderActions: {
      method: 'get',
      path: '/:orderNumber/actions',
      summary: 'The staff actions the caller may take on the order now',
      description:
        "From the workflow's live state and the table in docs/api.md (\"Which staff action when\"), only those the caller's role may take: `approve`, `reject`, `cancel`, `shipAvailable`, `substitute`, `requestReturn`, a shipment's `pick`, `collect` or `resolveException` (with `shipmentSeq`), a return's `decideReturn`, `receiveReturn` or `refundReturn` (with `returnNumber`). Empty once the workflow has closed.",
      permission: 'orders.read',
      responses: {
        200: '`{orderNumber, status, actions}`: `status` as the workflow has it (`null` once it has closed)',
      },
      errors: { 404: '`ORDER_NOT_FOUND`' },
    },
    editOrder: {
      method: 'patch',
      path: '/:orderNumber',
      summary: "Correct an order's address, contact, note or lines",
      description:
        'Address, contact (`null` takes an email or phone off) and note until a parcel is picked; lines (`quantity`, `sku`, `remove: true`) only until review has decided, before stock is allocated. An edit of what review checks runs review again: while the order waits for a decision the new verdict replaces the old (one with no reasons left lets the order go on); once review has passed, an edit review would flag for a new reason is refused with 422 and nothing changes. A paid order whose total falls is refunded the difference. Each edit is in the timeline with who, when, before and after.',
      permission: 'orders.edit',
      body: orderEditSchema,
      ...STAFF_ACTION,
      errors: {
        ...STAFF_ACTION.errors,
        409: '`WRONG_STATE`: a parcel is picked, the lines are past review, the order is being cancelled or another edit is being written',
        422: '`NOTHING_TO_CHANGE`; `INVALID_CONTENT`: an unknown line or SKU, every line removed, or what review would flag once it has passed',
      },
    },
    approveOrder: {
      method: 'post',
      path: '/:orderNumber/approve',
      summary: 'Approve an order flagged in review',
      permission: 'orders.review',
      body: approveSchema,
      ...STAFF_ACTION,
    },
    rejectOrder: {
      method: 'post',
      path: '/:orderNumber/reject',
      summary: 'Reject an order flagged in review',
      permission: 'orders.review',
      body: rejectSchema,
      ...STAFF_ACTION,
    },
    cancelOrder: {
      method: 'post',
      path: '/:orderNumber/cancel',
      summary: 'Cancel an order before anything ships',
      description: 'Reservations are released, a paid order refunded, the customer told.',
      permission: 'orders.cancel',
      body: cancelSchema,
      ...STAFF_ACTION,
    },
    pickOrder: {
      method: 'post',
      path: '/:orderNumber/pick',
      summary: "Confirm a shipment's picking, one scan per unit",
      description:
        'Anything missing, extra or not on the shipment, or a serial not on that shelf, is refused with 422 naming it, and nothing is recorded.',
      permission: 'orders.pick',
      body: pickSchema,
      ...STAFF_ACTION,
      errors: { ...STAFF_ACTION.errors, 422: '`INVALID_CONTENT`, `SERIAL_NOT_AVAILABLE` (`details.problems`)' },
    },
    shipAvailable: {
      method: 'post',
      path: '/:orderNumber/ship-available',
      summary: 'A backordered order: ship what is there',
      description: 'The rest is cancelled and refunded.',
      permission: 'orders.backorder',
      body: approveSchema,
      ...STAFF_ACTION,
    },
    substituteSku: {
      method: 'post',
      path: '/:orderNumber/substitute',
      summary: 'A backordered order: another SKU for a line',
      permission: 'orders.backorder',
      body: substituteSchema,
      ...STAFF_ACTION,
      errors: { ...STAFF_ACTION.errors, 422: '`INVALID_CONTENT`, `UNKNOWN_LINE`, `SAME_SKU`, `UNKNOWN_SKU`' },
    },
    collectOrder: {
      method: 'post',
      path: '/:orderNumber/collect',
      summary: 'The customer collected a pickup order',
      permission: 'orders.collect',
      body: emptyBody,
      ...STAFF_ACTION,
    },
    resolveException: {
      method: 'post',
      path: '/:orderNumber/shipments/:seq/resolve',
      summary: 'Resolve a delivery exception',
      description:
        '`RESHIP` (reserved, picked and sent again), `REFUND`, or `RETURN_TO_STOCK` (back on the shelf, refunded).',
      permission: 'orders.resolve-exception',
      body: resolveSchema,
      ...STAFF_ACTION,
      errors: { ...STAFF_ACTION.errors, 404: '`ORDER_NOT_FOUND`; `NOT_FOUND` for a `seq` that is not a number from 1' },
    },
    openReturn: {
      method: 'post',
      path: '/:orderNumber/returns',
      summary: 'Open a return or exchange',
      description:
        "Within the after-sales window, on a delivered order: the customer's request taken by staff (`source: customer`, the default), or staff's own.",
      permission: 'returns.open',
      body: returnSchema,
      responses: { 201: 'The return' },
      errors: { ...STAFF_ACTION.errors, 422: '`INVALID_CONTENT`, `UNKNOWN_SKU` (a replacement)' },
    },
  },
});
const ops = orderApi.operations;

export function orderRoutes(db: Db, temporal: Client, config: Config): Router {
  const router = Router();
  const handleOf = (orderNumber: string) => temporal.workflow.getHandle(orderWorkflowId(orderNumber));

  async function loadOrder(orderNumber: string) {
    const order = await db.order.findUnique({
      where: { orderNumber },
      include: {
        lines: { orderBy: { lineNo: 'asc' } },
        discounts: { orderBy: { id: 'asc' } },
        allocations: true,
        shipments: { orderBy: { seq: 'asc' }, include: { events: { orderBy: { occurredAt: 'asc' } } } },
        returns: { orderBy: { id: 'asc' } },
        refunds: { orderBy: { id: 'asc' } },
      },
    });
    if (!order) throw new HttpError(404, 'ORDER_NOT_FOUND', `No order ${orderNumber}`);
    return order;
  }

  /** 404 unless the order exists; one indexed lookup, for routes that do not show the order itself. */
  async function requireOrder(orderNumber: string): Promise<AcceptedOrder> {
    const found = await db.order.findUnique({
      where: { orderNumber },
      select: { ...ORDER_TO_START, workflowStarted: true },
    });
    if (!found) throw new HttpError(404, 'ORDER_NOT_FOUND', `No order ${orderNumber}`);
    return found;
  }

  /**
   * The workflow's live state of an order that exists (404 otherwise); undefined when its workflow is closed or not
   * started. Temporal unreachable is a 503 like everywhere else: only an answer from it means there is no live state.
   */
  async function liveState(orderNumber: string): Promise<OrderState | undefined> {
    await requireOrder(orderNumber);
    try {
      return await handleOf(orderNumber).query(getOrderState);
    } catch (err) {
      if (isUnavailable(err)) throw err;
      return undefined;
    }
  }

  /** The order as the caller's role may see it (domain/customer-privacy.ts). */
  async function orderView(req: Request, orderNumber: string) {
    const order = await loadOrder(orderNumber);
    const warnings = await db.warning.findMany({ where: { orderNumber }, orderBy: { openedAt: 'asc' } });
    const view = customerDataFor(req.actor!.role, { ...order, warnings, timeline: await orderTimeline(db, order) });
    return { ...view, member: await memberOf(order.customerId) };
  }

  /** The customer's tier and points, for the clerk at the till (domain/loyalty.ts); null without a customer. */
  async function memberOf(customerId: number | null) {
    if (customerId === null) return null;
    const customer = await db.customer.findUnique({
      where: { id: customerId },
      select: { tierCode: true, pointsBalance: true },
    });
    if (!customer) return null;
    const tier = tierByCode(customer.tierCode, config.loyalty.tiers);
    return { tier: { code: tier.code, name: tier.name }, pointsBalance: customer.pointsBalance };
  }

  /**
   * Every staff action on an order: an Update of its workflow, for a stored order only (404 otherwise). It works from
   * the order's 201 on: a workflow not started yet is started with it (orders/intake.ts, updateOrderWorkflow). 409
   * when the order is not in a state for it or its workflow has closed, 422 for wrong content.
   */
  async function orderUpdate<Ret, Arg extends Sealed>(
    order: AcceptedOrder,
    update: UpdateDefinition<Ret, [Arg]>,
    arg: Unsealed<Arg>,
  ) {
    return runUpdate(`Order ${order.orderNumber}`, () => updateOrderWorkflow(db, temporal, config, order, update, arg));
  }

  /** A staff action on an order that must exist, answered with the order as it is then. */
  async function staffAction<Ret, Arg extends Sealed>(
    req: Request,
    orderNumber: string,
    update: UpdateDefinition<Ret, [Arg]>,
    arg: Unsealed<Arg>,
  ) {
    await orderUpdate(await requireOrder(orderNumber), update, arg);
    return orderView(req, orderNumber);
  }
  const param = (req: Request) => String(req.params.orderNumber);

  route(router, ops.createOrder, intakeRateLimit(config), async (req, res) => {
    const input = parseBody(orderInputSchema, req.body);
    try {
      const result = await acceptOrder(db, temporal, config, input);
      // The stored order; its timeline and warnings are on GET (intake answers fast, channels post in bursts).
      // A new order is answered from the rows just written: reading it back with its five relations was about a
      // sixth of the API's CPU per intake (docs/benchmarks.md, tuning 6). It has nothing else yet; a repeat is
      // read as it is now.
      res
        .status(result.created ? 201 : 200)
        .json(
          customerDataFor(
            req.actor!.role,
            result.stored
              ? { allocations: [], shipments: [], returns: [], refunds: [], ...result.stored }
              : await loadOrder(result.orderNumber),
          ),
        );
    } catch (err) {
      if (err instanceof UnknownSkusError) throw new HttpError(422, 'UNKNOWN_SKU', err.message, { skus: err.skus });
      if (err instanceof UnknownStoreError)
        throw new HttpError(422, 'UNKNOWN_STORE', err.message, { store: err.store });
      if (err instanceof PaymentReferenceUsedError)
        throw new HttpError(409, 'PAYMENT_REFERENCE_USED', err.message, { reference: err.reference });
      if (err instanceof PointsRefusedError) throw new HttpError(422, 'POINTS_REFUSED', err.message);
      if (err instanceof CouponRefusedError) throw couponRefusal(err);
      if (err instanceof InsufficientPointsError)
        throw new HttpError(422, 'NOT_ENOUGH_POINTS', err.message, { balance: err.balance, asked: err.asked });
      throw err;
    }
  });

  route(router, ops.listOrders, async (req, res) => {
    const { location, reservedAt, exception, from, to, limit, cursor, ...filters } = parseQuery(listQuery, req.query);
    const idOf = async (code: string | undefined) =>
      code === undefined ? undefined : (await locationByCode(db, code)).id;
    const role = req.actor!.role;
    const page = await listOrders(
      db,
      {
        ...filters,
        // A role that may not see emails and phones may not search by them either (no guessing digit by digit).
        searchContacts: customerDataViewOf(role) === 'full',
        locationId: await idOf(location),
        reservedAtId: await idOf(reservedAt),
        exception: exception === 'true',
        from: from === undefined ? undefined : new Date(from),
        to: to === undefined ? undefined : new Date(to),
      },
      { limit, cursor },
    );
    res.json({ ...page, orders: page.orders.map((row) => customerDataFor(role, row)) });
  });

  route(router, ops.orderSummary, async (req, res) => {
    const { since } = parseQuery(summaryQuery, req.query);
    res.json(await daySummary(db, new Date(since)));
  });

  route(router, ops.getOrder, async (req, res) => {
    res.json(await orderView(req, param(req)));
  });

  /** What to pick, per shipment, from the workflow's live state; serialised goods suggest the oldest units. */
  route(router, ops.getPickList, async (req, res) => {
    const orderNumber = param(req);
    const state = await liveState(orderNumber);
    if (!state) throw new HttpError(409, 'WRONG_STATE', `Order ${orderNumber} has no live workflow to pick for`);
    res.json({ orderNumber, status: state.status, shipments: await buildPickList(db, state) });
  });

  /**
   * The one answer with a warehouse key that holds a customer's whole address: a parcel's ship-to, while the parcel
   * is in the warehouse (picked and waiting for the carrier, or booked within the last day, to print its label again).
   */
  route(router, ops.getPackingSlip, async (req, res) => {
    const orderNumber = param(req);
    const seq = parseIdParam(req.params.seq, 'seq');
    const order = await db.order.findUnique({
      where: { orderNumber },
      select: {
        customerName: true,
        customerPhone: true,
        shippingAddress: true,
        shipments: { where: { seq }, select: { bookedAt: true } },
      },
    });
    if (!order) throw new HttpError(404, 'ORDER_NOT_FOUND', `No order ${orderNumber}`);
    const booked = order.shipments[0];
    const inWarehouse = booked
      ? Date.now() - booked.bookedAt.getTime() < PACKING_SLIP_AFTER_BOOKING_MS
      : ((await liveState(orderNumber))?.shipments ?? []).some(
          (s) => s.seq === seq && !s.pickup && (s.phase === 'PICKING' || s.phase === 'PICKED'),
        );
    if (!inWarehouse) {
      throw new HttpError(
        409,
        'NO_PARCEL_TO_PACK',
        `Shipment ${seq} of ${orderNumber} is not a parcel in the warehouse (picked, or booked within the last day)`,
      );
    }
    const shipTo = { name: order.customerName, phone: order.customerPhone, address: order.shippingAddress };
    res.json({ orderNumber, seq, shipTo });
  });

  /** The staff actions valid now (domain/staff-actions.ts) that the caller's role may take: the console's buttons. */
  route(router, ops.getOrderActions, async (req, res) => {
    const orderNumber = param(req);
    const state = await liveState(orderNumber);
    // Closed or not started: nothing to do on it.
    if (!state) res.json({ orderNumber, status: null, actions: [] });
    else res.json({ orderNumber, status: state.status, actions: actionsFor(req.actor!.role, state) });
  });

  route(router, ops.editOrder, async (req, res) => {
    const edit = parseBody(orderEditSchema, req.body);
    if (changesNothing(edit)) {
      throw new HttpError(422, 'NOTHING_TO_CHANGE', 'Give shippingAddress, customer, note or lines to change');
    }
    res.json(await staffAction(req, param(req), editOrder, { actor: actorOf(req), edit }));
  });

  route(router, ops.approveOrder, async (req, res) => {
    const body = parseBody(approveSchema, req.body);
    res.json(await staffAction(req, param(req), approveOrder, { actor: actorOf(req), ...body }));
  });

  route(router, ops.rejectOrder, async (req, res) => {
    const body = parseBody(rejectSchema, req.body);
    res.json(await staffAction(req, param(req), rejectOrder, { actor: actorOf(req), ...body }));
  });

  route(router, ops.cancelOrder, async (req, res) => {
    const body = parseBody(cancelSchema, req.body);
    res.json(await staffAction(req, param(req), cancelOrder, { actor: actorOf(req), ...body }));
  });

  route(router, ops.pickOrder, async (req, res) => {
    const { shipment, scans } = parseBody(pickSchema, req.body);
    const orderNumber = param(req);
    await refuseUnavailableSerials(db, temporal, orderNumber, shipment, scans);
    res.json(await staffAction(req, orderNumber, confirmPicked, { actor: actorOf(req), shipmentSeq: shipment, scans }));
  });

  route(router, ops.shipAvailable, async (req, res) => {
    const body = parseBody(approveSchema, req.body);
    res.json(await staffAction(req, param(req), shipAvailable, { actor: actorOf(req), ...body }));
  });

  route(router, ops.substituteSku, async (req, res) => {
    const body = parseBody(substituteSchema, req.body);
    const order = await loadOrder(param(req));
    const line = order.lines.find((l) => l.lineNo === body.lineNo);
    if (!line) throw new HttpError(422, 'UNKNOWN_LINE', `Order ${order.orderNumber} has no line ${body.lineNo}`);
    if (line.sku === body.sku) throw new HttpError(422, 'SAME_SKU', `Line ${body.lineNo} already is ${body.sku}`);
    await requireKnownSkus(db, [body.sku]);
    res.json(await staffAction(req, order.orderNumber, substituteSku, { actor: actorOf(req), ...body }));
  });

  route(router, ops.collectOrder, async (req, res) => {
    parseBody(emptyBody, req.body);
    res.json(await staffAction(req, param(req), confirmCollected, { actor: actorOf(req) }));
  });

  route(router, ops.resolveException, async (req, res) => {
    const body = parseBody(resolveSchema, req.body);
    const shipmentSeq = parseIdParam(req.params.seq, 'seq');
    res.json(await staffAction(req, param(req), resolveException, { actor: actorOf(req), shipmentSeq, ...body }));
  });

  /** Opens a return or exchange (the customer's request taken by staff, or staff's own). */
  route(router, ops.openReturn, async (req, res) => {
    const body = parseBody(returnSchema, req.body);
    const order = await requireOrder(param(req));
    const replacements = body.lines.flatMap((l) => (l.replacementSku ? [l.replacementSku] : []));
    if (replacements.length) await requireKnownSkus(db, replacements);
    const { returnNumber } = await orderUpdate(order, requestReturn, { actor: actorOf(req), ...body });
    res.status(201).json(await db.returnRequest.findUniqueOrThrow({ where: { returnNumber } }));
  });

  return router;
}

/**
 * Serial numbers are checked against the shelf before the pick reaches the workflow (which cannot read
 * the database): each must be a unit of that SKU in stock at the shipment's location.
 */
async function refuseUnavailableSerials(
  db: Db,
  temporal: Client,
  orderNumber: string,
  seq: number | undefined,
  scans: { barcode: string; serial?: string }[],
): Promise<void> {
  if (!scans.some((s) => s.serial)) return;
  let state: OrderState;
  try {
    state = await temporal.workflow.getHandle(orderWorkflowId(orderNumber)).query(getOrderState);
  } catch {
    return; // the Update will answer (closed or not started)
  }
  const problems = await unavailableSerials(db, state, seq, scans);
  if (problems.length) throw new HttpError(422, 'SERIAL_NOT_AVAILABLE', problems.join('; '), { problems });
}

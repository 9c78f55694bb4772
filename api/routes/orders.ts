/** Orders: intake from every channel, the live view with its timeline, and staff actions (workflow Updates). */
import { Router, type Request } from 'express';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { z } from 'zod';
import { multilineText, note as optionalNote, text } from '../../domain/text';
import type { Db } from '../../db/client';
import type { Config } from '../../lib/config';
import { orderInputSchema } from '../../domain/order-input';
import { orderWorkflowId } from '../../domain/order-number';
import { ORDER_STATUSES, SALES_CHANNELS } from '../../domain/order-status';
import { RETURN_REASONS } from '../../domain/after-sales';
import { acceptOrder, UnknownSkusError, UnknownStoreError } from '../../orders/intake';
import { buildPickList, unavailableSerials } from '../../orders/pick-list';
import { orderTimeline } from '../../orders/timeline';
import {
  approveOrder,
  cancelOrder,
  confirmCollected,
  confirmPicked,
  getOrderState,
  rejectOrder,
  requestReturn,
  resolveException,
  shipAvailable,
  substituteSku,
  type OrderState,
} from '../../workflows/definitions';
import { actorOf, allow } from '../auth';
import { HttpError, isUnavailable } from '../errors';
import { requireKnownSkus } from '../lookups';
import { intakeRateLimit } from '../rate-limits';
import { parseBody, parseQuery } from '../validate';
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
const listQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  channel: z.enum(SALES_CHANNELS).optional(),
  q: text(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function orderRoutes(db: Db, temporal: Client, config: Config): Router {
  const router = Router();
  const handleOf = (orderNumber: string) => temporal.workflow.getHandle(orderWorkflowId(orderNumber));

  async function loadOrder(orderNumber: string) {
    const order = await db.order.findUnique({
      where: { orderNumber },
      include: {
        lines: { orderBy: { lineNo: 'asc' } },
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
  async function requireOrder(orderNumber: string): Promise<void> {
    const found = await db.order.findUnique({ where: { orderNumber }, select: { id: true } });
    if (!found) throw new HttpError(404, 'ORDER_NOT_FOUND', `No order ${orderNumber}`);
  }

  async function orderView(orderNumber: string) {
    const order = await loadOrder(orderNumber);
    const warnings = await db.warning.findMany({ where: { orderNumber }, orderBy: { openedAt: 'asc' } });
    return { ...order, warnings, timeline: await orderTimeline(db, order) };
  }

  /** Runs a staff action as a workflow Update: 409 when the order is not in a state for it, 422 for wrong content. */
  async function staffAction(orderNumber: string, run: (handle: WorkflowHandle) => Promise<unknown>) {
    await requireOrder(orderNumber);
    await runUpdate(`Order ${orderNumber}`, () => run(handleOf(orderNumber)));
    return orderView(orderNumber);
  }
  const param = (req: Request) => String(req.params.orderNumber);

  router.post('/', allow('orders.create'), intakeRateLimit(config.intakeRateLimit), async (req, res) => {
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
          result.stored
            ? { ...result.stored, allocations: [], shipments: [], returns: [], refunds: [] }
            : await loadOrder(result.orderNumber),
        );
    } catch (err) {
      if (err instanceof UnknownSkusError) throw new HttpError(422, 'UNKNOWN_SKU', err.message, { skus: err.skus });
      if (err instanceof UnknownStoreError)
        throw new HttpError(422, 'UNKNOWN_STORE', err.message, { store: err.store });
      throw err;
    }
  });

  router.get('/', allow('orders.read'), async (req, res) => {
    const { status, channel, q, limit } = parseQuery(listQuery, req.query);
    const orders = await db.order.findMany({
      where: {
        status,
        channel,
        ...(q
          ? {
              OR: [
                { orderNumber: { contains: q } },
                { externalId: { contains: q } },
                { customerName: { contains: q } },
                { customerEmail: { contains: q } },
              ],
            }
          : {}),
      },
      orderBy: { id: 'desc' },
      take: limit,
      select: {
        orderNumber: true,
        channel: true,
        externalId: true,
        status: true,
        customerName: true,
        totalMinor: true,
        currency: true,
        fulfilment: true,
        createdAt: true,
      },
    });
    res.json({ orders });
  });

  router.get('/:orderNumber', allow('orders.read'), async (req, res) => {
    res.json(await orderView(param(req)));
  });

  /** What to pick, per shipment, from the workflow's live state; serialised goods suggest the oldest units. */
  router.get('/:orderNumber/pick-list', allow('orders.read'), async (req, res) => {
    const orderNumber = param(req);
    await requireOrder(orderNumber);
    let state: OrderState;
    try {
      state = await handleOf(orderNumber).query(getOrderState);
    } catch (err) {
      // Temporal unreachable is a 503 like everywhere else; only an answer from it means there is nothing to pick.
      if (isUnavailable(err)) throw err;
      throw new HttpError(409, 'WRONG_STATE', `Order ${orderNumber} has no live workflow to pick for`);
    }
    res.json({ orderNumber, status: state.status, shipments: await buildPickList(db, state) });
  });

  router.post('/:orderNumber/approve', allow('orders.review'), async (req, res) => {
    const body = parseBody(approveSchema, req.body);
    res.json(
      await staffAction(param(req), (h) => h.executeUpdate(approveOrder, { args: [{ actor: actorOf(req), ...body }] })),
    );
  });

  router.post('/:orderNumber/reject', allow('orders.review'), async (req, res) => {
    const body = parseBody(rejectSchema, req.body);
    res.json(
      await staffAction(param(req), (h) => h.executeUpdate(rejectOrder, { args: [{ actor: actorOf(req), ...body }] })),
    );
  });

  router.post('/:orderNumber/cancel', allow('orders.cancel'), async (req, res) => {
    const body = parseBody(cancelSchema, req.body);
    res.json(
      await staffAction(param(req), (h) => h.executeUpdate(cancelOrder, { args: [{ actor: actorOf(req), ...body }] })),
    );
  });

  router.post('/:orderNumber/pick', allow('orders.pick'), async (req, res) => {
    const { shipment, scans } = parseBody(pickSchema, req.body);
    const orderNumber = param(req);
    await refuseUnavailableSerials(db, temporal, orderNumber, shipment, scans);
    res.json(
      await staffAction(orderNumber, (h) =>
        h.executeUpdate(confirmPicked, { args: [{ actor: actorOf(req), shipmentSeq: shipment, scans }] }),
      ),
    );
  });

  router.post('/:orderNumber/ship-available', allow('orders.backorder'), async (req, res) => {
    const body = parseBody(approveSchema, req.body);
    res.json(
      await staffAction(param(req), (h) =>
        h.executeUpdate(shipAvailable, { args: [{ actor: actorOf(req), ...body }] }),
      ),
    );
  });

  router.post('/:orderNumber/substitute', allow('orders.backorder'), async (req, res) => {
    const body = parseBody(substituteSchema, req.body);
    const order = await loadOrder(param(req));
    const line = order.lines.find((l) => l.lineNo === body.lineNo);
    if (!line) throw new HttpError(422, 'UNKNOWN_LINE', `Order ${order.orderNumber} has no line ${body.lineNo}`);
    if (line.sku === body.sku) throw new HttpError(422, 'SAME_SKU', `Line ${body.lineNo} already is ${body.sku}`);
    await requireKnownSkus(db, [body.sku]);
    res.json(
      await staffAction(order.orderNumber, (h) =>
        h.executeUpdate(substituteSku, { args: [{ actor: actorOf(req), ...body }] }),
      ),
    );
  });

  router.post('/:orderNumber/collect', allow('orders.collect'), async (req, res) => {
    parseBody(z.object({}).strict(), req.body);
    res.json(
      await staffAction(param(req), (h) => h.executeUpdate(confirmCollected, { args: [{ actor: actorOf(req) }] })),
    );
  });

  router.post('/:orderNumber/shipments/:seq/resolve', allow('orders.resolve-exception'), async (req, res) => {
    const body = parseBody(resolveSchema, req.body);
    const shipmentSeq = Number(req.params.seq);
    if (!Number.isInteger(shipmentSeq) || shipmentSeq < 1) throw new HttpError(404, 'NOT_FOUND', 'No such shipment');
    res.json(
      await staffAction(param(req), (h) =>
        h.executeUpdate(resolveException, { args: [{ actor: actorOf(req), shipmentSeq, ...body }] }),
      ),
    );
  });

  /** Opens a return or exchange (the customer's request taken by staff, or staff's own). */
  router.post('/:orderNumber/returns', allow('returns.open'), async (req, res) => {
    const body = parseBody(returnSchema, req.body);
    const orderNumber = param(req);
    await requireOrder(orderNumber);
    const replacements = body.lines.flatMap((l) => (l.replacementSku ? [l.replacementSku] : []));
    if (replacements.length) await requireKnownSkus(db, replacements);
    const { returnNumber } = await runUpdate(`Order ${orderNumber}`, () =>
      handleOf(orderNumber).executeUpdate(requestReturn, { args: [{ actor: actorOf(req), ...body }] }),
    );
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

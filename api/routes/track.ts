/**
 * The customer's tracking page, /track/<token> (no login: the token is the key; domain/tracking-page.ts draws it).
 * What the customer may ask goes to the order's workflow as the staff's requests do, recorded as the customer's:
 * a cancellation before anything ships, a new delivery address before picking (reviewed again), a return within the
 * after-sales window. Limited per address, a wrong token is a plain 404, and nothing of another order is ever shown.
 */
import express, { Router, type Request, type Response } from 'express';
import type { Client } from '@temporalio/client';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { optionalText, text } from '../../domain/text';
import type { Db } from '../../db/client';
import type { Config } from '../../lib/config';
import { RETURN_REASONS } from '../../domain/after-sales';
import { maskAddress } from '../../domain/customer-privacy';
import {
  CUSTOMER_CANCEL_REASONS,
  renderTrackingPage,
  type PageLanguage,
  type TrackingView,
} from '../../domain/tracking-page';
import type { OrderStatus } from '../../domain/order-status';
import { updateOrderWorkflow } from '../../orders/intake';
import { orderForToken, repairForToken } from '../../orders/tracking-page';
import { renderRepairPage, type RepairView } from '../../domain/repair-page';
import type { RepairStatus } from '../../domain/repairs';
import { lineNames } from '../../orders/line-names';
import { cancelOrder, editOrder, requestReturn } from '../../workflows/definitions';
import { HttpError } from '../errors';
import { runUpdate } from '../workflow-updates';
import { apiGroup, route } from '../operations';

/** Who a request from the page is, in the order's timeline. */
const CUSTOMER = { keyId: 0, name: 'customer (tracking page)' };

const cancelForm = z.object({ reason: z.enum(CUSTOMER_CANCEL_REASONS as [string, ...string[]]) }).strict();
const addressForm = z
  .object({
    line1: text(200),
    line2: optionalText(200),
    city: text(100),
    region: optionalText(100),
    postalCode: text(20),
  })
  .strict();
const returnForm = z.object({ reason: z.enum(RETURN_REASONS) }).catchall(z.string().regex(/^\d{1,3}$/));

type Order = NonNullable<Awaited<ReturnType<typeof orderForToken>>>;

const LIMITED = '`OMS_TRACKING_RATE_LIMIT` per client address (60 a minute): 429 in plain text';

export const trackingApi = apiGroup({
  mount: '/track',
  tag: 'Tracking page',
  description:
    "The customer's page for one order, linked from every email: no key, the token in the path (24 URL-safe characters, 144 random bits) is the key. HTML for a phone, in the order's language (`?lang=en` or `zh-CN`); the forms post `application/x-www-form-urlencoded` and answer with a redirect back to the page (303), or the page saying why not.",
  operations: {
    trackingPage: {
      method: 'get',
      path: '/:token',
      summary: "The customer's tracking page",
      description:
        "For an order: status and progress in the customer's words, items and what was paid, the city it goes to (never the street), parcels with their tracking events, returns, and the forms of what the customer may do now. For a repair ticket: where the device is, its warranty and cost, each step, and the parcel shipped back.",
      permission: null,
      answers: 'html',
      responses: { 200: 'The page' },
      errors: { 404: '`Not found` in plain text: a wrong or malformed token', 429: LIMITED },
    },
    cancelFromTrackingPage: {
      method: 'post',
      path: '/:token/cancel',
      summary: 'The customer asks to cancel',
      description:
        "Form field `reason`: one of the page's reasons. Allowed until anything ships; recorded as the customer's request (`cancel (customer request)` by `customer (tracking page)`), refunded as any cancellation.",
      permission: null,
      answers: 'html',
      responses: { 303: 'Back to the page, which says the request was received' },
      errors: {
        404: '`Not found`',
        409: 'The page, saying why: the order is past cancelling',
        422: 'The page, saying why: no reason from the list',
        429: LIMITED,
      },
    },
    addressFromTrackingPage: {
      method: 'post',
      path: '/:token/address',
      summary: 'The customer corrects the delivery address',
      description:
        "Form fields `line1`, `line2` (optional), `city`, `region` (optional), `postalCode`; the country stays the order's. Until a parcel is picked, as a staff edit (`PATCH /api/orders/{orderNumber}`) recorded as the customer's: review checks the new address again.",
      permission: null,
      answers: 'html',
      responses: { 303: 'Back to the page, which says the new address was received' },
      errors: {
        404: '`Not found`',
        409: 'The page, saying why: a parcel is already picked',
        422: 'The page, saying why: a field missing or too long, or an address review would flag',
        429: LIMITED,
      },
    },
    returnFromTrackingPage: {
      method: 'post',
      path: '/:token/return',
      summary: 'The customer asks for a return',
      description:
        'Form fields `line-<lineNo>` (how many of each are coming back; at least one above 0) and `reason` (`DAMAGED`, `DEFECTIVE`, `WRONG_ITEM`, `NOT_AS_DESCRIBED`, `SIZE_OR_FIT`, `CHANGED_MIND`, `OTHER`). Allowed while the order is delivered and its after-sales window open; a return request from the customer, for staff to approve as any.',
      permission: null,
      answers: 'html',
      responses: { 303: 'Back to the page, which says the request was received' },
      errors: {
        404: '`Not found`',
        409: 'The page, saying why: not delivered, the window closed, or a return already open',
        422: 'The page, saying why: nothing chosen, a line the order does not have, or no reason from the list',
        429: LIMITED,
      },
    },
  },
});

export function trackingRoutes(
  db: Db,
  temporal: Client,
  config: Pick<Config, 'taskQueue' | 'afterSalesWindowMs' | 'slaMs' | 'language' | 'shopName' | 'trackingRateLimit'>,
): Router {
  const router = Router();
  router.use(
    rateLimit({
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      windowMs: config.trackingRateLimit.windowMs,
      limit: config.trackingRateLimit.limit,
      identifier: 'tracking',
      handler: (_req, res) => void res.status(429).type('text/plain').send('Too many requests; try again in a minute.'),
    }),
  );
  router.use(express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 120 }));

  const notFound = (res: Response) => void res.status(404).type('text/plain').send('Not found');

  async function viewOf(order: Order): Promise<TrackingView> {
    const names = await lineNames(
      db,
      order.lines.map((l) => l.sku),
    );
    const nameOf = (sku: string) => {
      const { name, attributes } = names.get(sku)!;
      return attributes.length ? `${name} (${attributes.join(' / ')})` : name;
    };
    const store = order.pickupLocationId
      ? await db.location.findUnique({ where: { id: order.pickupLocationId }, select: { name: true } })
      : null;
    const where = maskAddress(order.shippingAddress) ?? {};
    return {
      shopName: config.shopName,
      orderNumber: order.orderNumber,
      status: order.status as OrderStatus,
      createdAt: order.createdAt,
      totalMinor: order.totalMinor,
      pointsMinor: order.pointsMinor,
      currency: order.currency,
      destination: store?.name ?? [where.city, where.region].filter(Boolean).join(', '),
      shipsToAddress: order.fulfilment === 'SHIP',
      lines: order.lines.map((l) => ({ ...l, name: nameOf(l.sku) })),
      shipments: order.shipments.map((s) => ({
        seq: s.seq,
        carrier: s.carrier,
        trackingNumber: s.trackingNumber,
        events: s.events.filter((e) => !e.ignoredReason),
      })),
      returns: order.returns.map((r) => ({ ...r, refundMinor: r.refundMinor })),
    };
  }

  const languageOf = (req: Request, order: Order): PageLanguage => {
    const asked = req.query.lang;
    if (asked === 'en' || asked === 'zh-CN') return asked;
    return order.language === 'zh-CN' ? 'zh-CN' : 'en';
  };

  async function page(req: Request, res: Response, status: number, extra: Partial<TrackingView> = {}) {
    const token = String(req.params.token);
    const order = await orderForToken(db, token);
    if (!order) return repairPage(req, res, token);
    const done = req.query.done;
    const notice = done === 'cancel' || done === 'return' || done === 'address' ? done : undefined;
    res
      .status(status)
      .set('Cache-Control', 'no-store')
      .set('Referrer-Policy', 'no-referrer')
      .type('html')
      .send(renderTrackingPage({ ...(await viewOf(order)), notice, ...extra }, languageOf(req, order), token));
  }

  /** A repair ticket's page: its token is made like an order's, and opens only that ticket. */
  async function repairPage(req: Request, res: Response, token: string) {
    const ticket = await repairForToken(db, token);
    if (!ticket) return notFound(res);
    const asked = req.query.lang;
    const language: PageLanguage =
      asked === 'en' || asked === 'zh-CN' ? asked : ticket.language === 'en' ? 'en' : 'zh-CN';
    const { name, attributes } = (await lineNames(db, [ticket.sku])).get(ticket.sku)!;
    const store = await db.location.findUnique({ where: { id: ticket.locationId }, select: { name: true } });
    const view: RepairView = {
      ...ticket,
      shopName: config.shopName,
      status: ticket.status as RepairStatus,
      device: [name, ...attributes].join(' '),
      storeName: store?.name ?? '',
    };
    res
      .status(200)
      .set('Cache-Control', 'no-store')
      .set('Referrer-Policy', 'no-referrer')
      .type('html')
      .send(renderRepairPage(view, language, token));
  }

  /** Runs the customer's request; on a refusal the page again, saying why (409 or 422). */
  async function ask(
    req: Request,
    res: Response,
    run: (order: Order) => Promise<unknown>,
    done: 'cancel' | 'return' | 'address',
  ) {
    const order = await orderForToken(db, String(req.params.token));
    if (!order) return notFound(res);
    try {
      await run(order);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status >= 500) throw err;
      return page(req, res, err.status, { notice: 'refused', refusal: err.message });
    }
    const lang = languageOf(req, order);
    res.redirect(303, `/track/${order.trackingToken}?lang=${lang}&done=${done}`);
  }

  const { operations } = trackingApi;
  route(router, operations.trackingPage, (req, res) => page(req, res, 200));

  route(router, operations.cancelFromTrackingPage, (req, res) =>
    ask(
      req,
      res,
      async (order) => {
        const form = cancelForm.safeParse(req.body);
        if (!form.success) throw new HttpError(422, 'VALIDATION_FAILED', 'Choose a reason from the list');
        await runUpdate(`Order ${order.orderNumber}`, () =>
          updateOrderWorkflow(db, temporal, config, order, cancelOrder, {
            actor: CUSTOMER,
            reason: form.data.reason,
            customerRequest: true,
          }),
        );
      },
      'cancel',
    ),
  );

  route(router, operations.addressFromTrackingPage, (req, res) =>
    ask(
      req,
      res,
      async (order) => {
        const form = addressForm.safeParse(req.body);
        if (!form.success)
          throw new HttpError(422, 'VALIDATION_FAILED', 'Fill in street and number, city and postal code');
        const { line2, region, ...required } = form.data;
        const country = (order.shippingAddress as { country?: string } | null)?.country ?? 'CN';
        const shippingAddress = { ...required, ...(line2 ? { line2 } : {}), ...(region ? { region } : {}), country };
        await runUpdate(`Order ${order.orderNumber}`, () =>
          updateOrderWorkflow(db, temporal, config, order, editOrder, {
            actor: CUSTOMER,
            edit: { shippingAddress, reason: 'changed on the tracking page' },
          }),
        );
      },
      'address',
    ),
  );

  route(router, operations.returnFromTrackingPage, (req, res) =>
    ask(
      req,
      res,
      async (order) => {
        const form = returnForm.safeParse(req.body);
        if (!form.success) throw new HttpError(422, 'VALIDATION_FAILED', 'Choose a reason and how many of each');
        const { reason, ...counts } = form.data;
        const lines = order.lines
          .map((l) => ({ lineNo: l.lineNo, quantity: Number(counts[`line-${l.lineNo}`] ?? 0) }))
          .filter((l) => l.quantity > 0);
        const unknown = Object.keys(counts).filter((k) => !order.lines.some((l) => `line-${l.lineNo}` === k));
        if (unknown.length || lines.length === 0) {
          throw new HttpError(422, 'VALIDATION_FAILED', 'Choose how many of at least one item you are sending back');
        }
        await runUpdate(`Order ${order.orderNumber}`, () =>
          updateOrderWorkflow(db, temporal, config, order, requestReturn, {
            actor: CUSTOMER,
            kind: 'RETURN',
            reason,
            source: 'customer',
            lines,
          }),
        );
      },
      'return',
    ),
  );

  router.use((_req, res) => notFound(res));
  return router;
}

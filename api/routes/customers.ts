/**
 * Customers: one person whatever the channel (matched at intake, orders/customers.ts), searched, shown with their
 * history, their profile kept by staff. And the block list: its customers' orders always wait in review.
 */
import { Router } from 'express';
import { z } from 'zod';
import { multilineText, text } from '../../domain/text';
import type { Db } from '../../db/client';
import { blockListEntry } from '../../domain/review';
import { actorOf } from '../auth';
import { HttpError } from '../errors';
import { apiGroup, route } from '../operations';
import { parseBody, parseIdParam, parseQuery } from '../validate';
import { customerDataViewOf, customerRecordFor } from '../../domain/customer-privacy';
import type { Role } from '../../access/roles';
import {
  addFeedback,
  changeProfile,
  customerHistory,
  CustomerNotFoundError,
  ForeignOrderError,
  mergeCustomers,
  MergeRefusedError,
  searchCustomers,
} from '../../orders/customers';
import { FEEDBACK_KINDS } from '../../domain/customers';
import { tierByCode, type LoyaltyRules } from '../../domain/loyalty';
import { InsufficientPointsError, movePoints } from '../../orders/points';
import { AlreadyErasedError, eraseCustomer, exportCustomer, OrdersOpenError } from '../../orders/customer-data';
import { segmentCsv, segmentMembers } from '../../orders/segments';
import { segmentCriteriaSchema } from '../../domain/segments';
import { log } from '../../lib/log';

const blockSchema = z
  .object({
    email: z.email().max(254).optional(),
    phone: text(40).min(6).optional(),
    reason: multilineText(500),
  })
  .strict()
  .refine((b) => Boolean(b.email) !== Boolean(b.phone), { message: 'Give either an email or a phone number' });

const searchQuery = z.object({
  /** A name or part of one, digits of a mobile number, or part of an email; empty or missing: the newest customers. */
  q: z.string().trim().max(100).optional().catch(undefined),
});

const profileSchema = z
  .object({
    name: text(200),
    birthday: z.iso.date('A date as YYYY-MM-DD').nullable(),
    marketingConsent: z.boolean(),
    tags: z.array(text(30)).max(20),
    notes: multilineText(2000).nullable(),
  })
  .partial()
  .strict();

const mergeSchema = z.object({ from: z.number().int().min(1).max(2_147_483_647) }).strict();

const pointsAdjustmentSchema = z
  .object({
    points: z
      .number()
      .int()
      .min(-100_000_000)
      .max(100_000_000)
      .refine((n) => n !== 0, 'An adjustment moves at least one point'),
    reason: multilineText(500),
    /** The client's own id for this adjustment: sent again (a retry), it is applied once. */
    adjustmentId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8 to 64 letters, digits, _ and -'),
  })
  .strict();

const erasureSchema = z.object({ reason: multilineText(500) }).strict();

const feedbackSchema = z
  .object({
    kind: z.enum(FEEDBACK_KINDS),
    text: multilineText(2000),
    orderNumber: text(40).optional(),
  })
  .strict();

export const customerApi = apiGroup({
  mount: '/api/customers',
  tag: 'Customers',
  description:
    "Customers, one person whatever the channel: matched at intake by mainland mobile number or email, with their history. And the review's block list: an order from a customer on it always waits in review for a manager.",
  operations: {
    searchCustomers: {
      method: 'get',
      path: '/',
      summary: 'Find customers by name, phone or email',
      description:
        '`q`: part of a name, at least 3 digits of a mobile number, or part of an email. The 50 best, most recently active first. Phones and emails are masked in the list.',
      permission: 'customers.read',
      query: searchQuery,
      responses: { 200: '`{customers}`' },
    },
    segmentCustomers: {
      method: 'get',
      path: '/segment',
      summary: 'Customers for a campaign: who a segment picks',
      description:
        'Only customers who consented to marketing, never merged away or erased. Criteria, all optional, all must hold: `tiers` (codes, `GOLD,VIP`), `lastPurchaseFrom` / `lastPurchaseTo` (YYYY-MM-DD, UTC days as in order numbers), `category` or `sku` bought, `minSpendMinor` / `maxSpendMinor` (net of refunds). Answers the count, the first 100, and the tiers to pick from (`{code, name}`); `/segment.csv` gives them all.',
      permission: 'customers.segment',
      query: segmentCriteriaSchema,
      responses: { 200: '`{count, customers, tiers}`' },
    },
    exportSegment: {
      method: 'get',
      path: '/segment.csv',
      summary: 'A segment as CSV, for an SMS or WeChat campaign tool',
      description:
        "The same criteria as `/segment`. Columns: `customerId, name, mobile, email, tier, lastPurchase, orders, spendYuan`; UTF-8 with a BOM. Text cells that a spreadsheet would take for a formula have a `'` in front.",
      permission: 'customers.segment',
      query: segmentCriteriaSchema,
      responses: { 200: 'The CSV file (`Content-Disposition: attachment`)' },
      answers: 'csv',
    },
    getCustomer: {
      method: 'get',
      path: '/:id',
      summary: 'A customer with their history',
      description:
        'Profile, orders, returns, and `stats`: order count, lifetime spend net of refunds, average order, first and last purchase (rejected and cancelled orders do not count). `membership`: the tier with its benefits, the next tier, the points balance and what a point is worth; `points`: the last 100 points movements, newest first; tier changes are in `events` (`TIER_CHANGED`).',
      permission: 'customers.read',
      responses: { 200: '`{customer, membership, stats, orders, returns, addresses, feedback, events, points}`' },
      errors: { 404: '`NOT_FOUND`' },
    },
    mergeCustomer: {
      method: 'post',
      path: '/:id/merge',
      summary: 'Merge another customer into this one',
      description:
        "`{from}`: the other customer's id. Its orders, addresses and feedback move here; this record takes the mobile, email and birthday it lacked, both sets of tags and notes, and marketing consent only if both gave it. The other record keeps its name and says where it went. Recorded on both.",
      permission: 'customers.merge',
      body: mergeSchema,
      responses: { 200: 'This customer with their history' },
      errors: { 404: '`NOT_FOUND`', 409: '`MERGE_REFUSED`: the same customer, or one already merged away' },
    },
    adjustPoints: {
      method: 'post',
      path: '/:id/points',
      summary: 'Add or take off points by hand (goodwill, a correction)',
      description:
        "`points`: signed, not 0; `reason`; `adjustmentId`: the client's id for this adjustment, so a retry is applied once. A debit beyond the balance is refused with nothing changed.",
      permission: 'customers.points',
      body: pointsAdjustmentSchema,
      responses: { 200: 'The movement: `{applied, points, balanceAfter}` (`applied: false` for a repeat)' },
      errors: {
        404: '`NOT_FOUND`',
        409: '`ADJUSTMENT_ID_USED`: the id names an adjustment of another customer or amount',
        422: '`NOT_ENOUGH_POINTS` (`details.balance`)',
      },
    },
    exportCustomer: {
      method: 'get',
      path: '/:id/export',
      summary: "Everything held about a customer, as one JSON file (PIPL's right of access)",
      description:
        'The customer record with their address book, feedback, changes and points, every order of theirs with its lines, shipments and tracking, returns and refunds, and the emails sent about them. Sent as a download; recorded on the customer (`EXPORTED`, who and when).',
      permission: 'customers.privacy',
      responses: { 200: 'The JSON file (`Content-Disposition: attachment`)' },
      errors: { 404: '`NOT_FOUND`' },
    },
    eraseCustomer: {
      method: 'post',
      path: '/:id/erase',
      summary: "Erase a customer's personal data (PIPL's right to deletion)",
      description:
        '`{reason}`. Name, mobile, email, birthday, tags, notes, the address book and feedback texts go; on their orders the name, email, phone and street (the city, region and country stay, for the books), the recipients of their emails and their notes on returns. Orders, amounts, refunds and points stay. Workflow payloads in Temporal are encrypted (docs/security.md). Refused while an order of theirs is open (`ORDERS_OPEN`), or if done before. Recorded on the customer (`ERASED`, who, when, why).',
      permission: 'customers.privacy',
      body: erasureSchema,
      responses: { 200: 'The customer, erased' },
      errors: {
        404: '`NOT_FOUND`',
        409: '`ORDERS_OPEN` (`details.orders`), `ALREADY_ERASED`',
      },
    },
    addFeedback: {
      method: 'post',
      path: '/:id/feedback',
      summary: 'Record a complaint, praise or remark',
      description:
        '`kind`: `COMPLAINT`, `PRAISE` or `REMARK`; `orderNumber`, if given, must be one of this customer’s orders.',
      permission: 'customers.edit',
      body: feedbackSchema,
      responses: { 201: 'The feedback' },
      errors: { 404: '`NOT_FOUND`', 422: '`NOT_THIS_CUSTOMERS_ORDER`' },
    },
    updateCustomer: {
      method: 'patch',
      path: '/:id',
      summary: "Change a customer's profile",
      description:
        'Name, birthday, marketing consent, tags, notes; what is not given stays (an empty body changes nothing). Recorded with what each field was before.',
      permission: 'customers.edit',
      body: profileSchema,
      responses: { 200: 'The profile' },
      errors: { 404: '`NOT_FOUND`' },
    },
    listBlocked: {
      method: 'get',
      path: '/blocked',
      summary: 'The block list',
      permission: 'customers.read-blocked',
      responses: { 200: '`{blocked}`' },
    },
    blockCustomer: {
      method: 'post',
      path: '/blocked',
      summary: 'Put an email or a phone number on the block list',
      description: 'Give either `email` or `phone`, not both.',
      permission: 'customers.block',
      body: blockSchema,
      responses: { 201: 'The entry' },
      errors: { 409: '`ALREADY_BLOCKED`' },
    },
    unblockCustomer: {
      method: 'delete',
      path: '/blocked/:id',
      summary: 'Take an entry off the block list',
      permission: 'customers.block',
      responses: { 204: 'Removed' },
      errors: { 404: '`NOT_FOUND`' },
    },
  },
});

export function customerRoutes(db: Db, loyalty: LoyaltyRules): Router {
  const router = Router();
  const { operations } = customerApi;

  /** The profile as `role` may see it, with the membership: the tier's benefits, the next tier, the points. */
  const profileView = (role: Role, history: NonNullable<Awaited<ReturnType<typeof customerHistory>>>) => {
    const { tierCode, tierSince, pointsBalance } = history.customer;
    const tier = tierByCode(tierCode, loyalty.tiers);
    const next = loyalty.tiers[loyalty.tiers.indexOf(tier) + 1];
    return {
      ...history,
      customer: customerRecordFor(role, history.customer, 'profile'),
      membership: {
        tier,
        tierSince,
        nextTier: next ? { code: next.code, name: next.name, fromMinor: next.fromMinor } : null,
        pointsBalance,
        pointValueMinor: loyalty.pointValueMinor,
      },
    };
  };

  route(router, operations.listBlocked, async (_req, res) => {
    res.json({ blocked: await db.blockedCustomer.findMany({ orderBy: { id: 'asc' } }) });
  });

  route(router, operations.blockCustomer, async (req, res) => {
    const body = parseBody(blockSchema, req.body);
    const entry = blockListEntry(body);
    try {
      res
        .status(201)
        .json(
          await db.blockedCustomer.create({ data: { ...entry, reason: body.reason, createdBy: actorOf(req).name } }),
        );
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') {
        throw new HttpError(409, 'ALREADY_BLOCKED', `${entry.value} is already on the block list`);
      }
      throw err;
    }
  });

  route(router, operations.searchCustomers, async (req, res) => {
    const { q } = parseQuery(searchQuery, req.query);
    const role = req.actor!.role;
    const customers = await searchCustomers(db, q ?? '', { contacts: customerDataViewOf(role) === 'full' });
    res.json({ customers: customers.map((c) => customerRecordFor(role, c, 'list')) });
  });

  route(router, operations.segmentCustomers, async (req, res) => {
    const members = await segmentMembers(db, parseQuery(segmentCriteriaSchema, req.query), loyalty.tiers);
    const tiers = loyalty.tiers.map(({ code, name }) => ({ code, name }));
    res.json({ count: members.length, customers: members.slice(0, 100), tiers });
  });

  route(router, operations.exportSegment, async (req, res) => {
    const members = await segmentMembers(db, parseQuery(segmentCriteriaSchema, req.query), loyalty.tiers);
    log.info(`customer segment exported by ${actorOf(req).name}: ${members.length} customers`);
    res.type('text/csv').attachment('segment.csv').send(segmentCsv(members));
  });

  route(router, operations.getCustomer, async (req, res) => {
    const history = await customerHistory(db, parseIdParam(req.params.id, 'id'));
    if (!history) throw new HttpError(404, 'NOT_FOUND', `No customer ${String(req.params.id)}`);
    res.json(profileView(req.actor!.role, history));
  });

  route(router, operations.updateCustomer, async (req, res) => {
    const id = parseIdParam(req.params.id, 'id');
    const body = parseBody(profileSchema, req.body);
    const customer = await changeProfile(db, id, body, actorOf(req).name);
    if (!customer)
      throw new HttpError(404, 'NOT_FOUND', `No customer ${id} (or it was merged into another, or erased)`);
    res.json(customerRecordFor(req.actor!.role, customer, 'profile'));
  });

  route(router, operations.mergeCustomer, async (req, res) => {
    const id = parseIdParam(req.params.id, 'id');
    const { from } = parseBody(mergeSchema, req.body);
    try {
      await mergeCustomers(db, id, from, actorOf(req).name);
    } catch (err) {
      if (err instanceof CustomerNotFoundError) throw new HttpError(404, 'NOT_FOUND', err.message);
      if (err instanceof MergeRefusedError) throw new HttpError(409, 'MERGE_REFUSED', err.message);
      throw err;
    }
    const history = (await customerHistory(db, id))!;
    res.json(profileView(req.actor!.role, history));
  });

  route(router, operations.adjustPoints, async (req, res) => {
    const customerId = parseIdParam(req.params.id, 'id');
    const { points, reason, adjustmentId } = parseBody(pointsAdjustmentSchema, req.body);
    const customer = await db.customer.findUnique({ where: { id: customerId }, select: { mergedIntoId: true } });
    if (!customer || customer.mergedIntoId !== null) {
      throw new HttpError(404, 'NOT_FOUND', `No customer ${customerId} (or it was merged into another)`);
    }
    const key = `adjust:${adjustmentId}`;
    try {
      const result = await movePoints(db, {
        key,
        customerId,
        kind: 'ADJUST',
        points,
        actor: actorOf(req).name,
        reason,
      });
      const done = result.applied ? undefined : await db.pointsMovement.findUnique({ where: { key } });
      if (done && (done.customerId !== customerId || done.points !== points)) {
        throw new HttpError(409, 'ADJUSTMENT_ID_USED', `Adjustment ${adjustmentId} was another adjustment`);
      }
      res.json(result);
    } catch (err) {
      if (err instanceof InsufficientPointsError) {
        throw new HttpError(422, 'NOT_ENOUGH_POINTS', err.message, { balance: err.balance, asked: err.asked });
      }
      throw err;
    }
  });

  route(router, operations.exportCustomer, async (req, res) => {
    const id = parseIdParam(req.params.id, 'id');
    try {
      const data = await exportCustomer(db, id, actorOf(req).name);
      res.attachment(`customer-${id}.json`).json(data);
    } catch (err) {
      if (err instanceof CustomerNotFoundError) throw new HttpError(404, 'NOT_FOUND', err.message);
      throw err;
    }
  });

  route(router, operations.eraseCustomer, async (req, res) => {
    const id = parseIdParam(req.params.id, 'id');
    const { reason } = parseBody(erasureSchema, req.body);
    try {
      await eraseCustomer(db, id, actorOf(req).name, reason);
    } catch (err) {
      if (err instanceof CustomerNotFoundError) throw new HttpError(404, 'NOT_FOUND', err.message);
      if (err instanceof OrdersOpenError)
        throw new HttpError(409, 'ORDERS_OPEN', err.message, { orders: err.orderNumbers });
      if (err instanceof AlreadyErasedError) throw new HttpError(409, 'ALREADY_ERASED', err.message);
      throw err;
    }
    res.json(profileView(req.actor!.role, (await customerHistory(db, id))!));
  });

  route(router, operations.addFeedback, async (req, res) => {
    const id = parseIdParam(req.params.id, 'id');
    const body = parseBody(feedbackSchema, req.body);
    try {
      res.status(201).json(await addFeedback(db, id, body, actorOf(req).name));
    } catch (err) {
      if (err instanceof CustomerNotFoundError) throw new HttpError(404, 'NOT_FOUND', err.message);
      if (err instanceof ForeignOrderError) throw new HttpError(422, 'NOT_THIS_CUSTOMERS_ORDER', err.message);
      throw err;
    }
  });

  route(router, operations.unblockCustomer, async (req, res) => {
    const removed = await db.blockedCustomer.deleteMany({ where: { id: parseIdParam(req.params.id, 'id') } });
    if (removed.count === 0) throw new HttpError(404, 'NOT_FOUND', `No block-list entry ${String(req.params.id)}`);
    res.status(204).end();
  });

  return router;
}

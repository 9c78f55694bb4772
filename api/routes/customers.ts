/** Customers on the block list: their orders always wait in review for a staff decision. */
import { Router } from 'express';
import { z } from 'zod';
import { multilineText, text } from '../../domain/text';
import type { Db } from '../../db/client';
import { blockListEntry } from '../../domain/review';
import { actorOf } from '../auth';
import { HttpError } from '../errors';
import { apiGroup, route } from '../operations';
import { parseBody, parseIdParam } from '../validate';

const blockSchema = z
  .object({
    email: z.email().max(254).optional(),
    phone: text(40).min(6).optional(),
    reason: multilineText(500),
  })
  .strict()
  .refine((b) => Boolean(b.email) !== Boolean(b.phone), { message: 'Give either an email or a phone number' });

export const customerApi = apiGroup({
  mount: '/api/customers',
  tag: 'Customers',
  description: "The review's block list: an order from a customer on it always waits in review for a manager.",
  operations: {
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

export function customerRoutes(db: Db): Router {
  const router = Router();
  const { operations } = customerApi;

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

  route(router, operations.unblockCustomer, async (req, res) => {
    const removed = await db.blockedCustomer.deleteMany({ where: { id: parseIdParam(req.params.id, 'id') } });
    if (removed.count === 0) throw new HttpError(404, 'NOT_FOUND', `No block-list entry ${String(req.params.id)}`);
    res.status(204).end();
  });

  return router;
}

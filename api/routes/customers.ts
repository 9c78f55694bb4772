/** Customers on the block list: their orders always wait in review for a staff decision. */
import { Router } from 'express';
import { z } from 'zod';
import { multilineText, text } from '../../domain/text';
import type { Db } from '../../db/client';
import { blockListEntry } from '../../domain/review';
import { actorOf, allow } from '../auth';
import { HttpError } from '../errors';
import { parseBody } from '../validate';

const blockSchema = z
  .object({
    email: z.email().max(254).optional(),
    phone: text(40).min(6).optional(),
    reason: multilineText(500),
  })
  .strict()
  .refine((b) => Boolean(b.email) !== Boolean(b.phone), { message: 'Give either an email or a phone number' });

export function customerRoutes(db: Db): Router {
  const router = Router();

  router.get('/blocked', allow('customers.read-blocked'), async (_req, res) => {
    res.json({ blocked: await db.blockedCustomer.findMany({ orderBy: { id: 'asc' } }) });
  });

  router.post('/blocked', allow('customers.block'), async (req, res) => {
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

  router.delete('/blocked/:id', allow('customers.block'), async (req, res) => {
    const removed = await db.blockedCustomer.deleteMany({ where: { id: Number(req.params.id) || -1 } });
    if (removed.count === 0) throw new HttpError(404, 'NOT_FOUND', `No block-list entry ${String(req.params.id)}`);
    res.status(204).end();
  });

  return router;
}

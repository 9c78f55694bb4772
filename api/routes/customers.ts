/** Customers on the block list: their orders always wait in review for a staff decision. */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { normalisePhone } from '../../domain/review';
import { requireRole } from '../auth';
import { HttpError } from '../errors';
import { parseBody } from '../validate';

const blockSchema = z
  .object({
    email: z.email().max(254).optional(),
    phone: z.string().trim().min(6).max(40).optional(),
    reason: z.string().trim().min(1).max(500),
  })
  .strict()
  .refine((b) => Boolean(b.email) !== Boolean(b.phone), { message: 'Give either an email or a phone number' });

export function customerRoutes(db: Db): Router {
  const router = Router();

  router.get('/blocked', requireRole('clerk', 'manager'), async (_req, res) => {
    res.json({ blocked: await db.blockedCustomer.findMany({ orderBy: { id: 'asc' } }) });
  });

  router.post('/blocked', requireRole('manager'), async (req, res) => {
    const body = parseBody(blockSchema, req.body);
    const entry = body.email
      ? { kind: 'EMAIL', value: body.email.trim().toLowerCase() }
      : { kind: 'PHONE', value: normalisePhone(body.phone!) };
    try {
      res
        .status(201)
        .json(await db.blockedCustomer.create({ data: { ...entry, reason: body.reason, createdBy: req.actor!.name } }));
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') {
        throw new HttpError(409, 'ALREADY_BLOCKED', `${entry.value} is already on the block list`);
      }
      throw err;
    }
  });

  router.delete('/blocked/:id', requireRole('manager'), async (req, res) => {
    const removed = await db.blockedCustomer.deleteMany({ where: { id: Number(req.params.id) || -1 } });
    if (removed.count === 0) throw new HttpError(404, 'NOT_FOUND', `No block-list entry ${req.params.id}`);
    res.status(204).end();
  });

  return router;
}

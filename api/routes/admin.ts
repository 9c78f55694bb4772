/** Admins: API keys (created, listed, revoked; `npm run keys` does the same from a shell) and refused requests. */
import { Router } from 'express';
import { z } from 'zod';
import { text } from '../../domain/text';
import type { Db } from '../../db/client';
import { createApiKey, listApiKeys, revokeApiKey } from '../../access/key-store';
import { ROLES } from '../../access/roles';
import { accessOf, allow } from '../auth';
import { HttpError } from '../errors';
import { parseBody, parseQuery } from '../validate';

const createSchema = z.object({ name: text(100), role: z.enum(ROLES) }).strict();
const eventsQuery = z.object({
  kind: z.string().trim().min(1).max(40).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});

export function adminRoutes(db: Db): Router {
  const router = Router();

  /** The key is in this answer only; what is stored is its scrypt hash. */
  router.post('/keys', allow('keys.manage'), async (req, res) => {
    res.status(201).json(await createApiKey(db, parseBody(createSchema, req.body)));
  });

  router.get('/keys', allow('keys.manage'), async (_req, res) => {
    res.json({ keys: await listApiKeys(db) });
  });

  /** Refused at once by this API process; another one may accept the key until its cache entry expires. */
  router.delete('/keys/:id', allow('keys.manage'), async (req, res) => {
    const id = Number(req.params.id);
    const key = Number.isSafeInteger(id) ? await revokeApiKey(db, id) : undefined;
    if (!key) throw new HttpError(404, 'KEY_NOT_FOUND', `No API key ${String(req.params.id)}`);
    accessOf(req).verified.forget(key.id);
    res.json(key);
  });

  router.get('/security-events', allow('security-events.read'), async (req, res) => {
    const { kind, limit } = parseQuery(eventsQuery, req.query);
    res.json({ events: await db.securityEvent.findMany({ where: { kind }, orderBy: { id: 'desc' }, take: limit }) });
  });

  return router;
}

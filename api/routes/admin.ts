/** Admins: API keys (created, listed, revoked; `npm run keys` does the same from a shell) and refused requests. */
import { Router } from 'express';
import { z } from 'zod';
import { text } from '../../domain/text';
import type { Db } from '../../db/client';
import { createApiKey, listApiKeys, revokeApiKey } from '../../access/key-store';
import { ROLES } from '../../access/roles';
import { accessOf } from '../auth';
import { HttpError } from '../errors';
import { apiGroup, route } from '../operations';
import { parseBody, parseIdParam, parseQuery } from '../validate';

const createSchema = z.object({ name: text(100), role: z.enum(ROLES) }).strict();
const eventsQuery = z.object({
  kind: z.string().trim().min(1).max(40).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});

export const adminApi = apiGroup({
  mount: '/api/admin',
  tag: 'Admin',
  description: 'API keys and the audit of refused requests: admins only.',
  operations: {
    createKey: {
      method: 'post',
      path: '/keys',
      summary: 'Create an API key',
      description: 'The key, `oms_<id>_<secret>`, is in this answer only: what is stored is its scrypt hash.',
      permission: 'keys.manage',
      body: createSchema,
      responses: { 201: 'The new key: id, name, role, prefix and `key`, shown this once' },
    },
    listKeys: {
      method: 'get',
      path: '/keys',
      summary: 'List every API key',
      permission: 'keys.manage',
      responses: { 200: '`{keys}`: id, name, role, prefix, created, revoked, last used (never a hash)' },
    },
    revokeKey: {
      method: 'delete',
      path: '/keys/:id',
      summary: 'Revoke an API key',
      description:
        'Refused at once by this API process; another one may accept the key until its cache entry expires. The key stays listed.',
      permission: 'keys.manage',
      responses: { 200: 'The revoked key' },
      errors: { 404: '`KEY_NOT_FOUND`' },
    },
    listSecurityEvents: {
      method: 'get',
      path: '/security-events',
      summary: 'Refused requests, newest first',
      permission: 'security-events.read',
      query: eventsQuery,
      responses: { 200: '`{events}`: kind, key id and prefix, method, path, address, time' },
    },
  },
});

export function adminRoutes(db: Db): Router {
  const router = Router();
  const { operations } = adminApi;

  /** The key is in this answer only; what is stored is its scrypt hash. */
  route(router, operations.createKey, async (req, res) => {
    res.status(201).json(await createApiKey(db, parseBody(createSchema, req.body)));
  });

  route(router, operations.listKeys, async (_req, res) => {
    res.json({ keys: await listApiKeys(db) });
  });

  /** Refused at once by this API process; another one may accept the key until its cache entry expires. */
  route(router, operations.revokeKey, async (req, res) => {
    const key = await revokeApiKey(db, parseIdParam(req.params.id, 'id'));
    if (!key) throw new HttpError(404, 'KEY_NOT_FOUND', `No API key ${String(req.params.id)}`);
    accessOf(req).verified.forget(key.id);
    res.json(key);
  });

  route(router, operations.listSecurityEvents, async (req, res) => {
    const { kind, limit } = parseQuery(eventsQuery, req.query);
    res.json({ events: await db.securityEvent.findMany({ where: { kind }, orderBy: { id: 'desc' }, take: limit }) });
  });

  return router;
}

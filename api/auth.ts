/**
 * API keys: `Authorization: Bearer <key>`. Keys are long random strings, so one SHA-256 of the key is
 * a safe stored form (a slow KDF protects low-entropy passwords, which these are not); only the hash is kept.
 */
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Db } from '../db/client';
import { HttpError } from './errors';

export const ROLES = ['clerk', 'warehouse', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  keyId: number;
  name: string;
  role: Role;
}

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
    rawBody?: string;
  }
}

export function hashApiKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(): string {
  return `oms_${crypto.randomBytes(24).toString('base64url')}`;
}

/** Makes sure an admin key with exactly this value exists (OMS_BOOTSTRAP_ADMIN_KEY). */
export async function ensureBootstrapAdmin(db: Db, key: string): Promise<void> {
  const keyHash = hashApiKey(key);
  const existing = await db.apiKey.findUnique({ where: { keyHash } });
  if (existing && !existing.revokedAt) return;
  if (existing) await db.apiKey.update({ where: { keyHash }, data: { revokedAt: null, role: 'admin' } });
  else await db.apiKey.create({ data: { name: 'bootstrap admin', role: 'admin', keyHash, prefix: key.slice(0, 8) } });
}

export function authenticate(db: Db): RequestHandler {
  return async (req, _res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
    if (!match) throw new HttpError(401, 'UNAUTHENTICATED', 'Send an API key as "Authorization: Bearer <key>"');
    const key = await db.apiKey.findUnique({ where: { keyHash: hashApiKey(match[1]) } });
    if (!key || key.revokedAt) throw new HttpError(401, 'UNAUTHENTICATED', 'The API key is not valid');
    req.actor = { keyId: key.id, name: key.name, role: key.role as Role };
    next();
  };
}

/** Allows the request only for the given roles (admin always passes). */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const role = req.actor?.role;
    if (role !== 'admin' && !roles.includes(role as Role)) {
      throw new HttpError(403, 'FORBIDDEN', `This action needs one of the roles: ${['admin', ...roles].join(', ')}`);
    }
    next();
  };
}

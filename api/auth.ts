/**
 * Authentication (`Authorization: Bearer <key>`, checked against the key's one row, see access/) and authorization
 * (`allow(permission)` on every route, from the matrix in permissions.ts). Both refuse before the body is read.
 */
import type { Express, Request, RequestHandler, Response } from 'express';
import type { Db } from '../db/client';
import type { Config } from '../lib/config';
import { checkApiKey, type KeyCheck, type KeyHolder } from '../access/key-store';
import { VerifiedKeyCache } from '../access/verified-keys';
import type { Role } from '../access/roles';
import type { StaffActor } from '../workflows/definitions';
import { HttpError } from './errors';
import { mayDo, PERMISSIONS, type Permission } from './permissions';
import { authFailureLimit, type AuthFailureLimit } from './rate-limits';
import { noteSecurityEvent } from './security-events';

export type Actor = KeyHolder;

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
    rawBody?: string;
  }
}

/** Who is calling, as staff actions record it; for routes behind `authenticate`, which always sets `req.actor`. */
export const actorOf = (req: Request): StaffActor => ({ keyId: req.actor!.keyId, name: req.actor!.name });

/** What every authentication in one app shares: remembered keys (revocation forgets them) and failure counts. */
export interface Access {
  verified: VerifiedKeyCache;
  failures: AuthFailureLimit;
}

/** Sets up the app's shared access state (in `app.locals`, so every router's `authenticate` finds the same one). */
export function installAccess(app: Express, config: Config): Access {
  const access: Access = {
    verified: new VerifiedKeyCache(config.keyCacheTtlMs),
    failures: authFailureLimit(config.authFailureLimit),
  };
  app.locals.access = access;
  return access;
}

export function accessOf(req: Request): Access {
  const access = req.app.locals.access as Access | undefined;
  if (!access) throw new Error('installAccess(app, config) was not called');
  return access;
}

const runMiddleware = (handler: RequestHandler, req: Request, res: Response) =>
  new Promise<void>(
    (resolve, reject) =>
      void handler(req, res, (err?: unknown) =>
        err ? reject(err instanceof Error ? err : new Error('middleware failed', { cause: err })) : resolve(),
      ),
  );

export function authenticate(db: Db): RequestHandler {
  return async (req, res, next) => {
    const { verified, failures } = accessOf(req);
    const key = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
    // A key verified within the TTL goes on: the tills of a shop behind one address keep working while a
    // misconfigured device there fails. Any other key from an address past its failure limit is refused
    // (429) before its scrypt check, so a flood of guesses costs neither CPU nor information.
    const known = key ? verified.remembered(key) : undefined;
    if (known) {
      req.actor = known;
      return next();
    }
    await runMiddleware(failures.gate, req, res);
    const check: KeyCheck = key
      ? await verified.verify(key, () => checkApiKey(db, key))
      : { ok: false, kind: 'MISSING_KEY' };
    if (!check.ok) {
      noteSecurityEvent(res, { kind: check.kind, keyId: check.keyId, keyPrefix: check.prefix });
      await failures.count(req);
      throw new HttpError(
        401,
        'UNAUTHENTICATED',
        key ? 'The API key is not valid' : 'Send an API key as "Authorization: Bearer <key>"',
      );
    }
    req.actor = check.holder;
    next();
  };
}

/** Refuses (403) a role that is not allowed; `audit` says in the security event what was missing. */
function guard(allowed: (role: Role) => boolean, roles: string, audit: string, details: object): RequestHandler {
  return (req, res, next) => {
    const actor = req.actor;
    if (!actor) throw new HttpError(401, 'UNAUTHENTICATED', 'Send an API key as "Authorization: Bearer <key>"');
    if (!allowed(actor.role)) {
      noteSecurityEvent(res, { kind: 'FORBIDDEN', keyId: actor.keyId, keyPrefix: actor.prefix, detail: audit });
      throw new HttpError(403, 'FORBIDDEN', `This action needs one of the roles: ${roles}`, details);
    }
    next();
  };
}

/** The route needs this permission. The middleware carries its name, so a test can list every route's permission. */
export function allow(permission: Permission): RequestHandler & { permission: Permission } {
  const roles = ['admin', ...PERMISSIONS[permission]].join(', ');
  return Object.assign(
    guard((role) => mayDo(role, permission), roles, permission, { permission }),
    { permission },
  );
}

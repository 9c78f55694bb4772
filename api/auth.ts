/**
 * Authentication (`Authorization: Bearer <key>`, checked against the key's one row, see access/; or the cookie of a
 * sign-in session, access/sessions.ts) and authorization (`allow(permission)` on every route, from the matrix in
 * permissions.ts). Both refuse before the body is read. A write authenticated by the session cookie also needs the
 * session's CSRF token in `X-CSRF-Token`.
 */
import type { Express, Request, RequestHandler, Response } from 'express';
import type { Db } from '../db/client';
import type { Config } from '../lib/config';
import { BOOTSTRAP_ID, checkApiKey, keyIdExists, type KeyCheck, type KeyHolder } from '../access/key-store';
import { publicIdOf } from '../access/key-secrets';
import { checkCsrf, checkSession, type LiveSession, type SessionPolicy } from '../access/sessions';
import { VerifiedKeyCache } from '../access/verified-keys';
import type { Role } from '../access/roles';
import type { StaffActor } from '../workflows/definitions';
import { HttpError } from './errors';
import { mayDo, PERMISSIONS, type Permission } from './permissions';
import { authFailureLimit, type AuthFailureLimit } from './auth-limits';
import { noteSecurityEvent } from './security-events';
import { clearSessionCookie, sessionTokenOf } from './session-cookie';

export type Actor = KeyHolder;

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
    /** The sign-in session the request came with (its cookie); undefined for a Bearer key. */
    session?: LiveSession;
    rawBody?: string;
  }
}

/** Who is calling, as staff actions record it; for routes behind `authenticate`, which always sets `req.actor`. */
export const actorOf = (req: Request): StaffActor => ({ keyId: req.actor!.keyId, name: req.actor!.name });

/**
 * What every authentication in one app shares: remembered keys (revocation forgets them), failure counts, and how
 * long sessions last.
 */
export interface Access {
  verified: VerifiedKeyCache;
  failures: AuthFailureLimit;
  sessions: SessionPolicy;
}

/** Sets up the app's shared access state (in `app.locals`, so every router's `authenticate` finds the same one). */
export function installAccess(app: Express, config: Config): Access {
  const access: Access = {
    verified: new VerifiedKeyCache(config.keyCacheTtlMs),
    failures: authFailureLimit(config.authFailureLimit),
    sessions: config.session,
  };
  app.locals.access = access;
  return access;
}

export function accessOf(req: Request): Access {
  const access = req.app.locals.access as Access | undefined;
  if (!access) throw new Error('installAccess(app, config) was not called');
  return access;
}

/**
 * Checks a presented API key (a Bearer key, or the key a person signs in with) and answers its holder. A key
 * verified within the TTL goes on without a check. One verified within the last day (VerifiedKeyCache.isKnownGood)
 * is checked without regard to the address's failure limit: the tills of a shop behind one address keep working
 * while a device there fails or something floods guesses. Any other key needs a permit of the failure limit
 * (api/auth-limits.ts: the failure is counted before the check, checks at once are capped, past the limit one a
 * second per existing key id) or is refused (429) before its scrypt check; a wrong key is refused (401), audited.
 */
export async function verifyKey(db: Db, req: Request, res: Response, key: string | undefined): Promise<Actor> {
  const { verified, failures } = accessOf(req);
  if (!key) {
    failures.countMissing(req, res);
    noteSecurityEvent(res, { kind: 'MISSING_KEY' });
    throw new HttpError(
      401,
      'UNAUTHENTICATED',
      'Send an API key as "Authorization: Bearer <key>", or sign in (POST /api/session)',
    );
  }
  const known = verified.remembered(key);
  if (known) return known;
  // A burst of requests with one key shares the check already running: no second scrypt, and no second permit.
  const running = verified.running(key);
  const keyId = publicIdOf(key) ?? BOOTSTRAP_ID;
  const permit =
    running || verified.isKnownGood(key)
      ? undefined
      : await failures.admit(req, res, keyId, () => keyIdExists(db, keyId));
  let check: KeyCheck;
  try {
    check = await (running ?? verified.verify(key, () => checkApiKey(db, key)));
    if (check.ok) permit?.passed();
  } finally {
    permit?.release();
  }
  if (!check.ok) {
    noteSecurityEvent(res, { kind: check.kind, keyId: check.keyId, keyPrefix: check.prefix });
    throw new HttpError(401, 'UNAUTHENTICATED', 'The API key is not valid');
  }
  return check.holder;
}

/** Methods that change nothing: a cookie-authenticated request with any other needs the CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const SESSION_REFUSALS = {
  SESSION_UNKNOWN: 'The session is not known: sign in again',
  SESSION_EXPIRED: 'The session has expired: sign in again',
  SESSION_REVOKED: 'The session has ended: sign in again',
  REVOKED_KEY: 'The API key of this session is revoked',
} as const;

/**
 * Acts as the session of the cookie's token, or refuses: 401 for a session that does not hold (and the cookie is
 * cleared), 403 for a write without the session's CSRF token. No failure limit here: a token has 256 random bits
 * and is checked by an indexed lookup, not scrypt, so guessing neither costs CPU nor has a chance, and a browser
 * with a stale cookie is not counted as an attacker.
 */
async function actAsSession(db: Db, req: Request, res: Response, token: string, csrf: boolean): Promise<void> {
  const check = await checkSession(db, token, accessOf(req).sessions);
  if (!check.ok) {
    const detail = check.sessionId === undefined ? undefined : `session ${check.sessionId}`;
    noteSecurityEvent(res, { kind: check.kind, keyId: check.keyId, keyPrefix: check.prefix, detail });
    clearSessionCookie(req, res);
    throw new HttpError(401, 'UNAUTHENTICATED', SESSION_REFUSALS[check.kind], { session: check.kind });
  }
  req.actor = check.holder;
  req.session = check.session;
  if (!csrf || SAFE_METHODS.has(req.method)) return;
  const outcome = checkCsrf(req.header('x-csrf-token'), check.session.csrfToken);
  if (outcome === 'ok') return;
  const code = outcome === 'missing' ? 'CSRF_TOKEN_MISSING' : 'CSRF_TOKEN_INVALID';
  const { keyId, prefix } = check.holder;
  noteSecurityEvent(res, { kind: code, keyId, keyPrefix: prefix, detail: `session ${check.session.id}` });
  throw new HttpError(
    403,
    code,
    outcome === 'missing'
      ? 'A write signed in by session needs its CSRF token in X-CSRF-Token (see GET /api/session)'
      : 'The X-CSRF-Token does not match this session',
  );
}

/**
 * Who is calling: the Bearer key, else the session cookie (an Authorization header wins, so scripts and channels are
 * never taken for a browser). `csrf: false` only where another protection stands in for the token (the codec
 * endpoint, see api/routes/codec.ts).
 */
export function authenticate(db: Db, options: { csrf?: boolean } = {}): RequestHandler {
  const csrf = options.csrf ?? true;
  return async (req, res, next) => {
    const authorization = req.header('authorization');
    const token = authorization === undefined ? sessionTokenOf(req) : undefined;
    if (token !== undefined) {
      await actAsSession(db, req, res, token, csrf);
      return next();
    }
    const key = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    req.actor = await verifyKey(db, req, res, key);
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

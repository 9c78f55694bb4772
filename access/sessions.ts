/**
 * Sign-in sessions: a person signs in once with their API key (POST /api/session) and their browser then holds a
 * random session token in a cookie instead of the key. The database keeps only the token's SHA-256 (the token has 256
 * random bits, so a fast hash is enough: nobody can test guesses against it, unlike a key a person chose), with the
 * key it acts as, so a session has exactly its key's role.
 *
 * A session ends at its absolute expiry (OMS_SESSION_MAX after sign-in, never extended), after OMS_SESSION_IDLE
 * without use, when it is revoked (sign-out, an admin), or as soon as its key is revoked: every request reads the
 * session's row together with its key's, so no cache keeps a session alive, in any API process. `lastSeenAt` is
 * written at most once a minute (a tenth of the idle time when that is shorter), so a busy session costs one indexed
 * read per request and rarely a write; the idle expiry is therefore exact to within that interval.
 *
 * The pure parts (expiry arithmetic, the CSRF comparison) come first; test/unit/sessions.test.ts covers them.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/client';
import { describeError } from '../lib/redact';
import { log } from '../lib/log';
import type { KeyHolder } from './key-store';
import type { Role } from './roles';

/** OMS_SESSION_IDLE and OMS_SESSION_MAX. */
export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

/** The times that decide whether a session still holds. */
export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
  /** The absolute expiry. */
  expiresAt: Date;
}

export type SessionState = 'ACTIVE' | 'IDLE_EXPIRED' | 'EXPIRED' | 'REVOKED' | 'KEY_REVOKED';

/** Why a session was ended (`revokedReason`). */
export type RevokedReason = 'SIGNED_OUT' | 'REVOKED' | 'KEY_REVOKED' | 'REPLACED';

const MAX_TOUCH_INTERVAL_MS = 60_000;

/** How stale `lastSeenAt` may get before a request writes it again. */
export const touchIntervalMs = (policy: SessionPolicy): number =>
  Math.min(MAX_TOUCH_INTERVAL_MS, Math.floor(policy.idleMs / 10));

export function newSessionTimes(now: Date, policy: SessionPolicy): SessionTimes {
  return { createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + policy.maxMs) };
}

/** When the session ends if it is not used again: the idle limit, or the absolute expiry if that comes first. */
export function idleExpiresAt(times: SessionTimes, policy: SessionPolicy): Date {
  return new Date(Math.min(times.lastSeenAt.getTime() + policy.idleMs, times.expiresAt.getTime()));
}

/** Whether the session holds at `now`; a revoked one (or one of a revoked key) never does again. */
export function sessionState(
  session: SessionTimes & { revokedAt: Date | null; keyRevokedAt?: Date | null },
  now: Date,
  policy: SessionPolicy,
): SessionState {
  if (session.revokedAt) return 'REVOKED';
  if (session.keyRevokedAt) return 'KEY_REVOKED';
  if (now.getTime() >= session.expiresAt.getTime()) return 'EXPIRED';
  if (now.getTime() >= session.lastSeenAt.getTime() + policy.idleMs) return 'IDLE_EXPIRED';
  return 'ACTIVE';
}

/** Whether this use should be written down as `lastSeenAt` (at most once per touchIntervalMs). */
export const needsTouch = (lastSeenAt: Date, now: Date, policy: SessionPolicy): boolean =>
  now.getTime() - lastSeenAt.getTime() >= touchIntervalMs(policy);

const sha256 = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest();

/** What the database keeps of a session token. */
export const hashSessionToken = (token: string): string => sha256(token).toString('base64url');

/** A new session's token (for the cookie, never stored) and its CSRF token (stored; sent back by GET /api/session). */
export function newSessionSecrets(): { token: string; tokenHash: string; csrfToken: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, tokenHash: hashSessionToken(token), csrfToken: crypto.randomBytes(32).toString('base64url') };
}

export type CsrfCheck = 'ok' | 'missing' | 'invalid';

/**
 * The X-CSRF-Token a cookie-authenticated write sent, against its session's. Compared in constant time (both
 * sides hashed first, so their lengths need not match and a partial match takes as long as none).
 */
export function checkCsrf(given: string | undefined, expected: string): CsrfCheck {
  if (given === undefined || given === '') return 'missing';
  return crypto.timingSafeEqual(sha256(given), sha256(expected)) ? 'ok' : 'invalid';
}

/** A session that holds, as a request acting through it sees it. */
export interface LiveSession extends SessionTimes {
  id: number;
  csrfToken: string;
}

export type SessionDenial = 'SESSION_UNKNOWN' | 'SESSION_EXPIRED' | 'SESSION_REVOKED' | 'REVOKED_KEY';

export type SessionCheck =
  | { ok: true; holder: KeyHolder; session: LiveSession }
  | { ok: false; kind: SessionDenial; sessionId?: number; keyId?: number; prefix?: string };

const KEY_FIELDS = { select: { id: true, name: true, role: true, prefix: true, revokedAt: true } } as const;

/** Signs the holder of a verified key in: the token goes into the cookie, the rest is the row. */
export async function createSession(
  db: Db,
  holder: KeyHolder,
  policy: SessionPolicy,
  client: { userAgent?: string; ip?: string | null },
  now = new Date(),
): Promise<{ token: string; session: LiveSession }> {
  const { token, tokenHash, csrfToken } = newSessionSecrets();
  const row = await db.staffSession.create({
    data: {
      ...newSessionTimes(now, policy),
      tokenHash,
      csrfToken,
      apiKeyId: holder.keyId,
      userAgent: client.userAgent?.slice(0, 300) || null,
      ip: client.ip ?? null,
    },
  });
  return { token, session: liveView(row) };
}

const liveView = (row: LiveSession): LiveSession => ({
  id: row.id,
  csrfToken: row.csrfToken,
  createdAt: row.createdAt,
  lastSeenAt: row.lastSeenAt,
  expiresAt: row.expiresAt,
});

/** The session of a presented token, with its key's holder, if it still holds; `lastSeenAt` refreshed when due. */
export async function checkSession(
  db: Db,
  token: string,
  policy: SessionPolicy,
  now = new Date(),
): Promise<SessionCheck> {
  const row = await db.staffSession.findUnique({
    where: { tokenHash: hashSessionToken(token) },
    include: { apiKey: KEY_FIELDS },
  });
  if (!row) return { ok: false, kind: 'SESSION_UNKNOWN' };
  const who = { sessionId: row.id, keyId: row.apiKey.id, prefix: row.apiKey.prefix };
  const state = sessionState({ ...row, keyRevokedAt: row.apiKey.revokedAt }, now, policy);
  if (state === 'REVOKED') return { ok: false, kind: 'SESSION_REVOKED', ...who };
  if (state === 'KEY_REVOKED') return { ok: false, kind: 'REVOKED_KEY', ...who };
  if (state !== 'ACTIVE') return { ok: false, kind: 'SESSION_EXPIRED', ...who };
  let lastSeenAt = row.lastSeenAt;
  if (needsTouch(lastSeenAt, now, policy)) {
    lastSeenAt = now;
    // In the background, like a key's lastUsedAt: the answer does not wait for this write.
    void db.staffSession
      .updateMany({ where: { id: row.id, revokedAt: null }, data: { lastSeenAt: now } })
      .catch((err) => log.warn(`could not record the use of session ${row.id}: ${describeError(err)}`));
  }
  const { apiKey } = row;
  return {
    ok: true,
    // The role was checked against ROLES when the key was made.
    holder: { keyId: apiKey.id, name: apiKey.name, role: apiKey.role as Role, prefix: apiKey.prefix },
    session: liveView({ ...row, lastSeenAt }),
  };
}

/** A session as admins see it: never its token's hash or its CSRF token. */
export interface SessionView {
  id: number;
  keyId: number;
  keyName: string;
  keyRole: string;
  keyPrefix: string;
  state: SessionState;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  idleExpiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  revokedByKeyId: number | null;
  userAgent: string | null;
  ip: string | null;
}

type SessionRow = Awaited<ReturnType<typeof findSessions>>[number];

const findSessions = (db: Db, where: object, take: number) =>
  db.staffSession.findMany({ where, include: { apiKey: KEY_FIELDS }, orderBy: { id: 'desc' }, take });

function adminView(row: SessionRow, policy: SessionPolicy, now: Date): SessionView {
  return {
    id: row.id,
    keyId: row.apiKey.id,
    keyName: row.apiKey.name,
    keyRole: row.apiKey.role,
    keyPrefix: row.apiKey.prefix,
    state: sessionState({ ...row, keyRevokedAt: row.apiKey.revokedAt }, now, policy),
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    expiresAt: row.expiresAt,
    idleExpiresAt: idleExpiresAt(row, policy),
    revokedAt: row.revokedAt,
    revokedReason: row.revokedReason,
    revokedByKeyId: row.revokedByKeyId,
    userAgent: row.userAgent,
    ip: row.ip,
  };
}

/** Sessions, newest first: all of them, or only those that still hold; of one key, or of every key. */
export async function listSessions(
  db: Db,
  filter: { activeOnly: boolean; keyId?: number; limit: number },
  policy: SessionPolicy,
  now = new Date(),
): Promise<SessionView[]> {
  const active = filter.activeOnly
    ? {
        revokedAt: null,
        expiresAt: { gt: now },
        lastSeenAt: { gt: new Date(now.getTime() - policy.idleMs) },
        apiKey: { revokedAt: null },
      }
    : {};
  const rows = await findSessions(db, { ...active, apiKeyId: filter.keyId }, filter.limit);
  return rows.map((row) => adminView(row, policy, now));
}

/**
 * Ends a session (once: ending it again keeps the first time and reason). `byKeyId`: whose key did it. Undefined
 * when there is no such session.
 */
export async function revokeSession(
  db: Db,
  id: number,
  reason: RevokedReason,
  byKeyId: number | null,
  policy: SessionPolicy,
): Promise<SessionView | undefined> {
  const now = new Date();
  await db.staffSession.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason, revokedByKeyId: byKeyId },
  });
  const [row] = await findSessions(db, { id }, 1);
  return row && adminView(row, policy, now);
}

/** Ends the session of this token, if it still holds: a new sign-in in the same browser replaces it. */
export async function replaceSession(db: Db, token: string, byKeyId: number): Promise<void> {
  await db.staffSession.updateMany({
    where: { tokenHash: hashSessionToken(token), revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: 'REPLACED' satisfies RevokedReason, revokedByKeyId: byKeyId },
  });
}

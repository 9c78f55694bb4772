/**
 * Sign-in sessions (access/sessions.ts), for people in a browser: sign in once with an API key, then the HttpOnly
 * cookie `oms_session` authenticates every /api route like the key would (api/auth.ts), writes with the session's
 * CSRF token. Channels and scripts keep sending the Bearer key. Admins list and revoke anyone's sessions.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import {
  createSession,
  idleExpiresAt,
  listSessions,
  replaceSession,
  revokeSession,
  type LiveSession,
  type SessionPolicy,
} from '../../access/sessions';
import { accessOf, verifyKey, type Actor } from '../auth';
import { HttpError } from '../errors';
import { apiGroup, emptyBody, route, routeBehind } from '../operations';
import { mayDo, permissionsOf } from '../permissions';
import { clientIp } from '../security-events';
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from '../session-cookie';
import { parseBody, parseIdParam, parseQuery } from '../validate';

const signInSchema = z.object({ key: z.string().min(1).max(500) }).strict();
const sessionsQuery = z.object({
  active: z.enum(['true', 'false']).optional(),
  keyId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});

const SIGNED_IN =
  '`{keyId, name, role, permissions, temporalUi, session}`: `permissions` lists what the role may do (the matrix), `temporalUi` where the Temporal Web UI is (`{url, namespace}`, for roles that may read payloads; `null` otherwise or when unknown), `session` holds `id`, `csrfToken`, `createdAt`, `expiresAt` (absolute) and `idleExpiresAt` (`null` for a Bearer key)';

export const sessionApi = apiGroup({
  mount: '/api/session',
  tag: 'Sessions',
  description:
    "Sign in once with an API key; the browser then sends the HttpOnly cookie `oms_session` instead of the key. A write signed in by cookie needs the session's CSRF token in `X-CSRF-Token`.",
  operations: {
    signIn: {
      method: 'post',
      path: '/',
      summary: 'Sign in with an API key',
      description:
        'Sets the cookie `oms_session` (HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS) until the absolute expiry. A wrong key counts against the failure limit of the address, like a wrong Bearer key. A session this browser still had ends (`REPLACED`).',
      permission: null,
      body: signInSchema,
      responses: { 201: SIGNED_IN },
      errors: { 401: '`UNAUTHENTICATED`: the key is not valid', 429: '`RATE_LIMITED`: too many failed sign-ins' },
    },
    whoAmI: {
      method: 'get',
      path: '/',
      summary: 'Who is signed in',
      permission: 'session.own',
      responses: { 200: SIGNED_IN },
    },
    signOut: {
      method: 'delete',
      path: '/',
      summary: 'Sign out',
      description: 'Ends the session of the cookie and clears the cookie; with a Bearer key there is nothing to end.',
      permission: 'session.own',
      responses: { 204: 'Signed out' },
    },
  },
});

export const sessionAdminApi = apiGroup({
  mount: '/api/admin/sessions',
  tag: 'Admin',
  description: 'Sign-in sessions: admins only.',
  operations: {
    listSessions: {
      method: 'get',
      path: '/',
      summary: 'Sign-in sessions, newest first',
      description: '`active=true`: only those that still hold.',
      permission: 'sessions.manage',
      query: sessionsQuery,
      responses: {
        200: '`{sessions}`: id, the key (id, name, role, prefix), state, created, last seen, expiries, revocation (when, why, by which key), user agent, address; never a token',
      },
    },
    revokeSession: {
      method: 'post',
      path: '/:id/revoke',
      summary: 'End a sign-in session',
      description: 'Refused from the next request on, in every API process. Revoking the key ends all its sessions.',
      permission: 'sessions.manage',
      body: emptyBody,
      responses: { 200: 'The session, revoked' },
      errors: { 404: '`SESSION_NOT_FOUND`' },
    },
  },
});

/** Where the console links managers to an order's workflow: the Temporal Web UI, for those who may read it. */
export interface TemporalUi {
  url: string;
  namespace: string;
}

function signedIn(actor: Actor, session: LiveSession | undefined, policy: SessionPolicy, temporalUi?: TemporalUi) {
  return {
    keyId: actor.keyId,
    name: actor.name,
    role: actor.role,
    permissions: permissionsOf(actor.role),
    temporalUi: temporalUi && mayDo(actor.role, 'payloads.decode') ? temporalUi : null,
    session: session
      ? {
          id: session.id,
          csrfToken: session.csrfToken,
          createdAt: session.createdAt,
          expiresAt: session.expiresAt,
          idleExpiresAt: idleExpiresAt(session, policy),
        }
      : null,
  };
}

/** POST /api/session: mounted before authentication (the key is in the body), so it reads its body itself. */
export function signInRoutes(db: Db, readBody: RequestHandler[], temporalUi?: TemporalUi): Router {
  const router = Router();
  routeBehind(router, sessionApi.operations.signIn, readBody, async (req, res) => {
    const { key } = parseBody(signInSchema, req.body);
    const holder = await verifyKey(db, req, res, key);
    const policy = accessOf(req).sessions;
    const previous = sessionTokenOf(req);
    if (previous) await replaceSession(db, previous, holder.keyId);
    const { token, session } = await createSession(db, holder, policy, {
      userAgent: req.header('user-agent'),
      ip: clientIp(req),
    });
    setSessionCookie(req, res, token, session.expiresAt);
    res.status(201).json(signedIn(holder, session, policy, temporalUi));
  });
  return router;
}

/** GET and DELETE /api/session: behind authentication, by session cookie or Bearer key. */
export function sessionRoutes(db: Db, temporalUi?: TemporalUi): Router {
  const router = Router();
  const { operations } = sessionApi;

  route(router, operations.whoAmI, (req, res) => {
    res.json(signedIn(req.actor!, req.session, accessOf(req).sessions, temporalUi));
  });

  route(router, operations.signOut, async (req, res) => {
    if (req.session) {
      await revokeSession(db, req.session.id, 'SIGNED_OUT', req.actor!.keyId, accessOf(req).sessions);
    }
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  return router;
}

export function sessionAdminRoutes(db: Db): Router {
  const router = Router();
  const { operations } = sessionAdminApi;

  route(router, operations.listSessions, async (req, res) => {
    const { active, keyId, limit } = parseQuery(sessionsQuery, req.query);
    const filter = { activeOnly: active === 'true', keyId, limit };
    res.json({ sessions: await listSessions(db, filter, accessOf(req).sessions) });
  });

  /** Recorded on the row: when, `REVOKED`, and the admin's key. */
  route(router, operations.revokeSession, async (req, res) => {
    parseBody(emptyBody, req.body);
    const id = parseIdParam(req.params.id, 'id');
    const session = await revokeSession(db, id, 'REVOKED', req.actor!.keyId, accessOf(req).sessions);
    if (!session) throw new HttpError(404, 'SESSION_NOT_FOUND', `No session ${String(req.params.id)}`);
    res.json(session);
  });

  return router;
}

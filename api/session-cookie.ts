/**
 * The sign-in session's cookie (see access/sessions.ts): `oms_session=<random token>`, HttpOnly (no script reads
 * it), SameSite=Strict (no other site's page makes the browser send it), Path=/, Secure when the request came over
 * HTTPS (`req.secure`, which follows OMS_TRUST_PROXY behind a proxy), and a Max-Age that ends with the session's
 * absolute expiry, never later.
 */
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'oms_session';

/** One cookie of the request, by name; undefined when it was not sent. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value; // not percent-encoded as we would have: it will match no session
      }
    }
  }
  return undefined;
}

/** The session token the browser sent, if any (an empty cookie counts as none). */
export function sessionTokenOf(req: Request): string | undefined {
  return readCookie(req, SESSION_COOKIE) || undefined;
}

const flags = (req: Request) => ({ httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' }) as const;

export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: Date): void {
  res.cookie(SESSION_COOKIE, token, { ...flags(req), maxAge: Math.max(0, expiresAt.getTime() - Date.now()) });
}

/** Tells the browser to drop the cookie (signed out, or a session that no longer holds). */
export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, flags(req));
}

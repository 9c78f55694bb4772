/**
 * Refused requests are recorded for admins (GET /api/admin/security-events): every 401 (missing, unknown or revoked
 * key, wrong secret, an unknown, expired or revoked session, bad webhook signature) and 403 (a role without the
 * permission, a cookie-authenticated write without its CSRF token), and the first refusal of each rate-limit window. The row is
 * written once the answer has gone out, so a refusal is not slowed down by it. Never the presented secret; the
 * path without its query string (which may hold a customer's name or email).
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Db } from '../db/client';
import { describeError } from '../lib/redact';
import { log } from '../lib/log';

export type SecurityEventKind =
  | 'MISSING_KEY'
  | 'UNKNOWN_KEY'
  | 'WRONG_SECRET'
  | 'REVOKED_KEY'
  | 'SESSION_UNKNOWN'
  | 'SESSION_EXPIRED'
  | 'SESSION_REVOKED'
  | 'CSRF_TOKEN_MISSING'
  | 'CSRF_TOKEN_INVALID'
  | 'FORBIDDEN'
  | 'BAD_SIGNATURE'
  | 'RATE_LIMITED'
  | 'UNAUTHENTICATED';

export interface SecurityEventNote {
  kind: SecurityEventKind;
  keyId?: number;
  keyPrefix?: string;
  detail?: string;
}

/** Says why this request is being refused; recordSecurityEvents writes it down when the answer is sent. */
export function noteSecurityEvent(res: Response, note: SecurityEventNote): void {
  res.locals.securityEvent = note;
}

/** The client's address as Express sees it (see OMS_TRUST_PROXY), without the IPv4-in-IPv6 prefix. */
export const clientIp = (req: Request): string | null => req.ip?.replace(/^::ffff:/, '') ?? null;

export function recordSecurityEvents(db: Db): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      const note = res.locals.securityEvent as SecurityEventNote | undefined;
      if (!note && res.statusCode !== 401 && res.statusCode !== 403) return;
      const kind = note?.kind ?? (res.statusCode === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN');
      db.securityEvent
        .create({
          data: {
            kind,
            keyId: note?.keyId ?? req.actor?.keyId ?? null,
            keyPrefix: note?.keyPrefix ?? req.actor?.prefix ?? null,
            method: req.method,
            path: req.originalUrl.split('?')[0].slice(0, 300),
            ip: clientIp(req),
            detail: note?.detail?.slice(0, 300) ?? null,
          },
        })
        .catch((err) => log.warn(`could not record a security event: ${describeError(err)}`));
    });
    next();
  };
}

/**
 * Rate limits (express-rate-limit), answered with 429, Retry-After and the usual error shape:
 * - intake (POST /api/orders) per API key: a runaway channel integration cannot flood the system;
 * - failed authentications per client address: after the limit, a request from that address is refused until
 *   the window ends unless its key was verified recently (api/auth.ts), so guessing keys gains nothing.
 * Counts are kept in this process's memory: with several API processes, each counts on its own.
 */
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit, type Options, type RateLimitInfo } from 'express-rate-limit';
import type { RateLimitSetting } from '../lib/config';
import { HttpError } from './errors';
import { noteSecurityEvent } from './security-events';

function refuse(what: string): Options['handler'] {
  return (req, res, next, options) => {
    // The first refusal of a window is worth an audit row; the rest of a flood is not.
    if ((req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.used === Number(options.limit) + 1) {
      noteSecurityEvent(res, {
        kind: 'RATE_LIMITED',
        keyId: req.actor?.keyId,
        keyPrefix: req.actor?.prefix,
        detail: what,
      });
    }
    const retryAfterSeconds = Number(res.getHeader('Retry-After'));
    next(
      new HttpError(429, 'RATE_LIMITED', `Too many ${what}; try again in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      }),
    );
  };
}

const common = { standardHeaders: 'draft-8', legacyHeaders: false } as const;

/** Per API key; mounted after authentication and authorization, before the body is validated. */
export function intakeRateLimit(setting: RateLimitSetting): RequestHandler {
  return rateLimit({
    ...common,
    windowMs: setting.windowMs,
    limit: setting.limit,
    identifier: 'intake',
    keyGenerator: (req) => `key-${req.actor?.keyId}`,
    handler: refuse('orders from this API key'),
  });
}

export interface AuthFailureLimit {
  /** Before authentication: refuses an address that has already failed the limit, without checking its key. */
  gate: RequestHandler;
  /** Counts one failed authentication from this request's address. */
  count(req: Request): Promise<void>;
}

export function authFailureLimit(setting: RateLimitSetting): AuthFailureLimit {
  const store = new MemoryStore();
  const addressOf = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');
  const gate = rateLimit({
    ...common,
    store,
    windowMs: setting.windowMs,
    limit: setting.limit,
    identifier: 'auth-failures',
    keyGenerator: addressOf,
    // Only failures count (see count()); an address under the limit passes untouched.
    skip: async (req) => ((await store.get(addressOf(req)))?.totalHits ?? 0) < setting.limit,
    handler: refuse('failed authentications from this address'),
  });
  return {
    gate,
    count: async (req) => {
      await store.increment(addressOf(req));
    },
  };
}

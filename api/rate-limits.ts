/**
 * Rate limits (express-rate-limit), answered with 429, Retry-After and the usual error shape:
 * - intake (POST /api/orders) per API key: a runaway channel integration cannot flood the system;
 * - lookups (reads of orders, returns and customers) per API key: a key cannot harvest customers by walking order
 *   numbers.
 * Failed authentications per address have their own limit (api/auth-limits.ts), which holds for guesses sent in
 * parallel.
 * Counts are kept in Redis when OMS_REDIS_URL is set, so several API processes share them (api/shared-counts.ts);
 * otherwise in this process's memory.
 */
import type { Request, RequestHandler } from 'express';
import { rateLimit, type Options, type RateLimitInfo } from 'express-rate-limit';
import type { Config } from '../lib/config';
import { HttpError } from './errors';
import { noteSecurityEvent } from './security-events';
import { sharedStore } from './shared-counts';

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
export function intakeRateLimit(config: Pick<Config, 'intakeRateLimit' | 'redis'>): RequestHandler {
  const setting = config.intakeRateLimit;
  return rateLimit({
    ...common,
    windowMs: setting.windowMs,
    limit: setting.limit,
    identifier: 'intake',
    store: sharedStore(config, 'intake'),
    keyGenerator: (req) => `key-${req.actor?.keyId}`,
    handler: refuse('orders from this API key'),
  });
}

/**
 * Lookups (GETs of orders, returns and customers) per API key, a session counting as its key: a stolen or curious
 * key cannot page through every customer, however easily order numbers are guessed. Admins are not limited: they
 * may create keys at will, so a limit on theirs would defend nothing. Mounted after authentication.
 */
export function lookupRateLimit(config: Pick<Config, 'lookupRateLimit' | 'redis'>): RequestHandler {
  const setting = config.lookupRateLimit;
  return rateLimit({
    ...common,
    windowMs: setting.windowMs,
    limit: setting.limit,
    identifier: 'lookups',
    store: sharedStore(config, 'lookups'),
    skip: (req) => (req.method !== 'GET' && req.method !== 'HEAD') || !req.actor || req.actor.role === 'admin',
    keyGenerator: (req) => `key-${req.actor?.keyId}`,
    handler: refuse('order and customer lookups from this API key'),
  });
}

/**
 * The failed-authentication limit per client address (OMS_AUTH_FAILURE_LIMIT), made to hold when guesses arrive in
 * parallel. api/auth.ts asks it for a permit before each scrypt check of a presented key:
 * - the failure is counted before the check, and given back when the key verifies: however many guesses are in
 *   flight at once, no more than the limit are ever checked in a window;
 * - at most CHECKS_PER_ADDRESS checks run at once for one address, and CHECKS_PER_KEY_ID for one key id (from any
 *   address); beyond that the answer is 429 at once, without a check (an address that has not failed in the window
 *   waits up to QUEUE_MS for a slot instead: a shop's tills after a restart of the API);
 * - past its limit an address is not shut out for the whole window: each key id that exists (an indexed lookup)
 *   gets at most one check a second from there (SLOW_LANE_MS), so a new till behind a shop's one address still gets
 *   in, after a Retry-After of 1 s at worst, while a flood of made-up keys from there costs no scrypt at all, and
 *   guesses at one real key id at most one a second.
 * Keys verified lately skip the limit altogether (access/verified-keys.ts). The counts are synchronous (no await
 * between reading and taking a slot), so parallel requests cannot all pass a check before any of them counts.
 * They are kept in this process's memory: with several API processes, each counts on its own.
 */
import type { Request, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { RateLimitSetting } from '../lib/config';
import { HttpError } from './errors';
import { noteSecurityEvent } from './security-events';

export const CHECKS_PER_ADDRESS = 4;
export const CHECKS_PER_KEY_ID = 2;
/** Past its limit, an address gets one key check per this interval. */
export const SLOW_LANE_MS = 1_000;
/**
 * How long a check waits for one of its address's slots while that address has not failed yet (tills behind one
 * address after an API restart, each checked once), instead of being refused at once.
 */
export const QUEUE_MS = 3_000;
const QUEUE_POLL_MS = 20;
/** Past this many addresses, expired counts are swept on the next new one. */
const SWEEP_ABOVE = 10_000;

/** Leave to run one key check; `release()` once it is done, whatever the outcome. */
export interface CheckPermit {
  /** The key verified: its reserved failure is given back. */
  passed(): void;
  release(): void;
}

export interface AuthFailureLimit {
  /**
   * A permit to check a key presented from this request's address, or HttpError 429 (with Retry-After).
   * `keyIdExists` is asked only past the limit (an indexed lookup, no scrypt).
   */
  admit(req: Request, res: Response, keyId: string, keyIdExists: () => Promise<boolean>): Promise<CheckPermit>;
  /** No key at all (nothing to check): counted as a failure, or 429 past the limit. */
  countMissing(req: Request, res: Response): void;
}

interface Window {
  /** Failed checks, and checks still running (counted before they run). */
  failures: number;
  /** Checks that did fail: an address with none has its checks queued for a slot, not refused. */
  failed: number;
  resetAt: number;
  /** Past the limit (the slow lane): when each key id last had its check. Only ids that exist get an entry. */
  slowChecks: Map<string, number>;
  /** The first refusal of the window was audited. */
  noted?: boolean;
}

export function authFailureLimit(setting: RateLimitSetting, now: () => number = Date.now): AuthFailureLimit {
  const windows = new Map<string, Window>();
  const inFlight = { address: new Map<string, number>(), keyId: new Map<string, number>() };
  const addressOf = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

  const windowOf = (address: string): Window => {
    const current = windows.get(address);
    if (current && current.resetAt > now()) return current;
    if (windows.size >= SWEEP_ABOVE) for (const [a, w] of windows) if (w.resetAt <= now()) windows.delete(a);
    const fresh = { failures: 0, failed: 0, resetAt: now() + setting.windowMs, slowChecks: new Map<string, number>() };
    windows.set(address, fresh);
    return fresh;
  };
  const adjust = (counts: Map<string, number>, key: string, by: number) => {
    const next = (counts.get(key) ?? 0) + by;
    if (next > 0) counts.set(key, next);
    else counts.delete(key);
  };
  const refuse = (res: Response, window: Window | undefined, retryAfterSeconds: number, what: string) => {
    // The first refusal of an address's window is worth an audit row; the rest of a flood is not.
    if (window && !window.noted) {
      window.noted = true;
      noteSecurityEvent(res, { kind: 'RATE_LIMITED', detail: what });
    }
    res.set('Retry-After', String(retryAfterSeconds));
    return new HttpError(429, 'RATE_LIMITED', `Too many ${what}; try again in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  };

  /**
   * The permit, or undefined when the address is past its limit and `keyIdExists` was not yet asked. Synchronous:
   * nothing runs between reading the counts and taking a slot.
   */
  const take = (res: Response, address: string, keyId: string, keyIdExists: boolean): CheckPermit | undefined => {
    if ((inFlight.address.get(address) ?? 0) >= CHECKS_PER_ADDRESS) {
      throw refuse(res, undefined, 1, 'key checks at once from this address');
    }
    if ((inFlight.keyId.get(keyId) ?? 0) >= CHECKS_PER_KEY_ID) {
      throw refuse(res, undefined, 1, 'checks at once of this key');
    }
    const window = windowOf(address);
    if (window.failures >= setting.limit) {
      if (!keyIdExists) return undefined;
      const wait = (window.slowChecks.get(keyId) ?? -Infinity) + SLOW_LANE_MS - now();
      if (wait > 0) throw refuse(res, window, Math.ceil(wait / 1000), 'failed authentications from this address');
      window.slowChecks.set(keyId, now());
    }
    window.failures++;
    adjust(inFlight.address, address, 1);
    adjust(inFlight.keyId, keyId, 1);
    let released = false;
    let verified = false;
    return {
      passed: () => {
        verified = true;
        window.failures = Math.max(0, window.failures - 1);
      },
      release: () => {
        if (released) return;
        released = true;
        if (!verified) window.failed++;
        adjust(inFlight.address, address, -1);
        adjust(inFlight.keyId, keyId, -1);
      },
    };
  };

  return {
    async admit(req, res, keyId, keyIdExists) {
      const address = addressOf(req);
      // An address that has not failed is not guessing: its checks wait their turn rather than being refused.
      for (let waited = 0; waited < QUEUE_MS && windowOf(address).failed === 0; waited += QUEUE_POLL_MS) {
        if ((inFlight.address.get(address) ?? 0) < CHECKS_PER_ADDRESS) break;
        await new Promise((resolve) => setTimeout(resolve, QUEUE_POLL_MS));
      }
      const permit = take(res, address, keyId, false);
      if (permit) return permit;
      // Past the limit, only a key id that exists gets its check: made-up ids cost no scrypt and cannot crowd a
      // real key out of its one check a second. They get the same answer as a real key whose second is taken.
      if (!(await keyIdExists())) throw refuse(res, windowOf(address), 1, 'failed authentications from this address');
      return take(res, address, keyId, true)!;
    },
    countMissing(req, res) {
      const window = windowOf(addressOf(req));
      if (window.failures >= setting.limit) {
        const retryAfter = Math.ceil((window.resetAt - now()) / 1000);
        throw refuse(res, window, retryAfter, 'failed authentications from this address');
      }
      window.failures++;
    },
  };
}

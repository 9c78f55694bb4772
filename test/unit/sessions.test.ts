/**
 * Sign-in sessions without the stack (access/sessions.ts, api/session-cookie.ts): the expiry arithmetic (idle and
 * absolute), how often `lastSeenAt` is written, the tokens, the CSRF comparison, the cookie's flags, and the
 * OMS_SESSION_IDLE / OMS_SESSION_MAX settings.
 */
import type { Request, Response } from 'express';
import {
  checkCsrf,
  hashSessionToken,
  idleExpiresAt,
  needsTouch,
  newSessionSecrets,
  newSessionTimes,
  sessionState,
  touchIntervalMs,
} from '../../access/sessions';
import { clearSessionCookie, readCookie, setSessionCookie } from '../../api/session-cookie';
import { loadConfig } from '../../lib/config';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const policy = { idleMs: 8 * HOUR, maxMs: 12 * HOUR };
const at = (ms: number) => new Date(Date.UTC(2026, 11, 1, 8) + ms);

describe('session expiry', () => {
  const times = newSessionTimes(at(0), policy);
  const live = { ...times, revokedAt: null };

  test('a new session ends at the latest OMS_SESSION_MAX after sign-in, and is live until then when used', () => {
    expect(times).toEqual({ createdAt: at(0), lastSeenAt: at(0), expiresAt: at(12 * HOUR) });
    expect(sessionState(live, at(0), policy)).toBe('ACTIVE');
    // Used an hour ago, so not idle: still only until the absolute expiry, to the millisecond.
    const used = { ...live, lastSeenAt: at(11 * HOUR) };
    expect(sessionState(used, at(12 * HOUR - 1), policy)).toBe('ACTIVE');
    expect(sessionState(used, at(12 * HOUR), policy)).toBe('EXPIRED');
    expect(sessionState(used, at(30 * HOUR), policy)).toBe('EXPIRED');
  });

  test('unused for OMS_SESSION_IDLE it ends, counted from the last use recorded', () => {
    expect(sessionState(live, at(8 * HOUR - 1), policy)).toBe('ACTIVE');
    expect(sessionState(live, at(8 * HOUR), policy)).toBe('IDLE_EXPIRED');
    const used = { ...live, lastSeenAt: at(2 * HOUR) };
    expect(sessionState(used, at(9 * HOUR), policy)).toBe('ACTIVE');
    expect(sessionState(used, at(10 * HOUR), policy)).toBe('IDLE_EXPIRED');
  });

  test('the idle expiry never passes the absolute one', () => {
    expect(idleExpiresAt(times, policy)).toEqual(at(8 * HOUR));
    expect(idleExpiresAt({ ...times, lastSeenAt: at(2 * HOUR) }, policy)).toEqual(at(10 * HOUR));
    expect(idleExpiresAt({ ...times, lastSeenAt: at(11 * HOUR) }, policy)).toEqual(at(12 * HOUR));
    // An idle time longer than the maximum: only the maximum counts.
    const long = { idleMs: 24 * HOUR, maxMs: 2 * HOUR };
    expect(idleExpiresAt(newSessionTimes(at(0), long), long)).toEqual(at(2 * HOUR));
    expect(sessionState({ ...newSessionTimes(at(0), long), revokedAt: null }, at(2 * HOUR), long)).toBe('EXPIRED');
  });

  test('revoked, or its key revoked: over at once, whatever the times say', () => {
    expect(sessionState({ ...live, revokedAt: at(1) }, at(2), policy)).toBe('REVOKED');
    expect(sessionState({ ...live, keyRevokedAt: at(1) }, at(2), policy)).toBe('KEY_REVOKED');
    expect(sessionState({ ...live, keyRevokedAt: null }, at(2), policy)).toBe('ACTIVE');
  });

  test('lastSeenAt is written at most once a minute (a tenth of a shorter idle time)', () => {
    expect(touchIntervalMs(policy)).toBe(MINUTE);
    expect(needsTouch(at(0), at(MINUTE - 1), policy)).toBe(false);
    expect(needsTouch(at(0), at(MINUTE), policy)).toBe(true);
    const short = { idleMs: 2_000, maxMs: 5_000 };
    expect(touchIntervalMs(short)).toBe(200);
    expect(needsTouch(at(0), at(199), short)).toBe(false);
    expect(needsTouch(at(0), at(200), short)).toBe(true);
    // So a session in use is never taken for idle: a use recorded late by at most the interval still leaves time.
    expect(touchIntervalMs(short)).toBeLessThan(short.idleMs);
  });
});

describe('session tokens and CSRF', () => {
  test('tokens are 256 random bits; the database gets only the SHA-256', () => {
    const a = newSessionSecrets();
    const b = newSessionSecrets();
    expect(a.token).toMatch(/^[\w-]{43}$/);
    expect(a.csrfToken).toMatch(/^[\w-]{43}$/);
    expect(new Set([a.token, b.token, a.csrfToken, b.csrfToken]).size).toBe(4);
    expect(a.tokenHash).toBe(hashSessionToken(a.token));
    expect(a.tokenHash).not.toContain(a.token);
    expect(hashSessionToken(a.token)).toBe(hashSessionToken(a.token));
    expect(hashSessionToken(a.token)).not.toBe(hashSessionToken(b.token));
  });

  test('the CSRF token must be sent and match exactly', () => {
    const { csrfToken } = newSessionSecrets();
    expect(checkCsrf(csrfToken, csrfToken)).toBe('ok');
    expect(checkCsrf(undefined, csrfToken)).toBe('missing');
    expect(checkCsrf('', csrfToken)).toBe('missing');
    expect(checkCsrf(`${csrfToken.slice(0, -1)}${csrfToken.endsWith('A') ? 'B' : 'A'}`, csrfToken)).toBe('invalid');
    expect(checkCsrf(csrfToken.slice(0, 10), csrfToken)).toBe('invalid'); // another length: no throw, no match
    expect(checkCsrf(`${csrfToken}x`, csrfToken)).toBe('invalid');
    expect(checkCsrf(csrfToken.toUpperCase(), csrfToken)).toBe('invalid');
    expect(checkCsrf(newSessionSecrets().csrfToken, csrfToken)).toBe('invalid');
  });
});

describe('the session cookie', () => {
  const request = (headers: Record<string, string>, secure = false) =>
    ({ header: (name: string) => headers[name.toLowerCase()], secure }) as unknown as Request;
  const response = () => {
    const calls: { name: string; value?: string; options: Record<string, unknown> }[] = [];
    const res = {
      cookie: (name: string, value: string, options: Record<string, unknown>) => calls.push({ name, value, options }),
      clearCookie: (name: string, options: Record<string, unknown>) => calls.push({ name, options }),
    } as unknown as Response;
    return { res, calls };
  };

  test('read by name among others', () => {
    const req = request({ cookie: 'a=1; oms_session=abc%2Ddef ; other=x' });
    expect(readCookie(req, 'oms_session')).toBe('abc-def');
    expect(readCookie(req, 'session')).toBeUndefined();
    expect(readCookie(request({}), 'oms_session')).toBeUndefined();
    expect(readCookie(request({ cookie: 'oms_session=%E0%A4%A' }), 'oms_session')).toBe('%E0%A4%A');
  });

  test('HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS, and no longer than the absolute expiry', () => {
    const { res, calls } = response();
    const before = Date.now();
    setSessionCookie(request({}, false), res, 'token', new Date(before + 12 * HOUR));
    setSessionCookie(request({}, true), res, 'token', new Date(before + 12 * HOUR));
    const after = Date.now();
    const [plain, https] = calls;
    expect(plain).toEqual({
      name: 'oms_session',
      value: 'token',
      options: { httpOnly: true, sameSite: 'strict', path: '/', secure: false, maxAge: expect.any(Number) as number },
    });
    expect(https.options.secure).toBe(true);
    const maxAge = plain.options.maxAge as number;
    expect(maxAge).toBeLessThanOrEqual(12 * HOUR);
    expect(maxAge).toBeGreaterThanOrEqual(12 * HOUR - (after - before));
    clearSessionCookie(request({}, true), res);
    expect(calls[2]).toEqual({
      name: 'oms_session',
      options: { httpOnly: true, sameSite: 'strict', path: '/', secure: true },
    });
  });
});

describe('session settings', () => {
  test('8 h idle and 12 h at most by default; both configurable; zero or nonsense refused with the name', () => {
    expect(loadConfig({}).session).toEqual({ idleMs: 8 * HOUR, maxMs: 12 * HOUR });
    expect(loadConfig({ OMS_SESSION_IDLE: '2s', OMS_SESSION_MAX: '1d' }).session).toEqual({
      idleMs: 2_000,
      maxMs: 24 * HOUR,
    });
    expect(() => loadConfig({ OMS_SESSION_IDLE: '0s' })).toThrow(/OMS_SESSION_IDLE: the duration must be longer/);
    expect(() => loadConfig({ OMS_SESSION_MAX: '12' })).toThrow(/OMS_SESSION_MAX/);
  });
});

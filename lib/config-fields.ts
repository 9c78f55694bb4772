/**
 * The kinds of setting lib/config.ts reads, each a zod schema for one environment variable's text. Unset and empty
 * both mean "the default". An issue here names no variable: the object schema in lib/config.ts puts the variable's
 * name in the issue's path, and loadConfig prints it first ("OMS_LANGUAGE: expected one of …").
 */
import net from 'node:net';
import { z } from 'zod';
import { parseDuration } from './duration';
import { tierRulesSchema, type TierRule } from '../domain/loyalty';

/** What the environment holds for one variable. */
const variable = z.string().optional();

const given = (raw: string | undefined): raw is string => raw !== undefined && raw !== '';

/** Records why the value is refused; the transform's result is then never used. */
function refuse(ctx: z.RefinementCtx, input: unknown, message: string): never {
  ctx.issues.push({ code: 'custom', message, input });
  return z.NEVER;
}

/** Text, or `fallback` when unset. */
export const text = (fallback: string) => variable.transform((raw) => (given(raw) ? raw : fallback));

/** An IANA time zone such as Asia/Shanghai, as the runtime's Intl knows them. */
export const timeZone = (fallback: string) =>
  variable.transform((raw, ctx) => {
    const zone = given(raw) ? raw : fallback;
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return zone;
    } catch {
      return refuse(ctx, raw, `expected a time zone such as Asia/Shanghai, got "${raw}"`);
    }
  });

/** Text, or undefined when unset (the default, if any, depends on other variables: see lib/config.ts). */
export const optionalText = () => variable.transform((raw) => (given(raw) ? raw : undefined));

/** A duration such as `5s`, `10m`, `2h` or `7d` (lib/duration.ts), in milliseconds. */
export const duration = (fallback: string) =>
  variable.transform((raw, ctx) => {
    try {
      return parseDuration(given(raw) ? raw : fallback);
    } catch (err) {
      return refuse(ctx, raw, (err as Error).message);
    }
  });

/** A duration longer than zero, in milliseconds. */
export const positiveDuration = (fallback: string) =>
  duration(fallback).transform((ms, ctx) => (ms > 0 ? ms : refuse(ctx, ms, 'the duration must be longer than 0')));

/** `<count>/<duration>`, e.g. `3000/1m`: at most that many in each window of that length. */
export interface RateLimitSetting {
  limit: number;
  windowMs: number;
}

export const rateLimit = (fallback: string) =>
  variable.transform((value, ctx): RateLimitSetting => {
    const raw = given(value) ? value : fallback;
    const [count, window] = raw.split('/');
    const limit = Number(count);
    if (!Number.isInteger(limit) || limit < 1 || window === undefined) {
      return refuse(ctx, raw, `expected <count>/<duration> such as 3000/1m, got "${raw}"`);
    }
    let windowMs: number;
    try {
      windowMs = parseDuration(window);
    } catch (err) {
      return refuse(ctx, raw, (err as Error).message);
    }
    if (windowMs < 1) return refuse(ctx, raw, `the window must be longer than 0, got "${raw}"`);
    return { limit, windowMs };
  });

function toWholeNumber(raw: string, ctx: z.RefinementCtx): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) return refuse(ctx, raw, `expected a whole number, got "${raw}"`);
  return value;
}

/** A whole number (0 or more), or `fallback` when unset. */
export const wholeNumber = (fallback: number) =>
  variable.transform((raw, ctx) => (given(raw) ? toWholeNumber(raw, ctx) : fallback));

/** A whole number of at least 1, or `fallback` when unset. */
export const positiveWholeNumber = (fallback: number) =>
  wholeNumber(fallback).transform((value, ctx) => (value >= 1 ? value : refuse(ctx, value, 'expected 1 or more')));

/** A whole number (0 or more), or undefined when unset. */
export const optionalWholeNumber = () =>
  variable.transform((raw, ctx) => (given(raw) ? toWholeNumber(raw, ctx) : undefined));

/** A process priority for `os.setPriority`: 0 (normal) to 19 (runs only when nothing else wants the CPU). */
export const niceness = (fallback: number) =>
  wholeNumber(fallback).transform((value, ctx) =>
    value <= 19 ? value : refuse(ctx, value, `expected 0 (normal) to 19 (lowest), got ${value}`),
  );

/** One of `values`, or `fallback` when unset. */
export const oneOf = <const T extends readonly string[]>(values: T, fallback: T[number]) =>
  variable.transform((raw, ctx): T[number] => {
    const value = given(raw) ? raw : fallback;
    return values.find((v) => v === value) ?? refuse(ctx, raw, `expected one of ${values.join(', ')}, got "${value}"`);
  });

/** Express's `trust proxy`: a count of proxies, or their addresses; undefined when unset. */
export const trustProxy = () =>
  variable.transform((raw, ctx): number | string | undefined => {
    const value = raw?.trim();
    if (!value) return undefined;
    // `true` would trust any X-Forwarded-For, letting every client pick its own address (and rate-limit bucket).
    if (value === 'true') return refuse(ctx, raw, 'name the proxies (a count such as 1, or their addresses)');
    return /^\d+$/.test(value) ? Number(value) : value;
  });

/**
 * `<ip>:<port>` to listen on, e.g. `127.0.0.1:9464` or `[::1]:9464`, or undefined when unset. An IP, not a host name:
 * the Temporal SDK's native exporter binds a socket address and takes no name.
 */
export const optionalListenAddress = () =>
  variable.transform((raw, ctx) => {
    if (!given(raw)) return undefined;
    const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(raw.trim());
    const ip = match?.[1] ?? match?.[2];
    const port = Number(match?.[3]);
    const ipKind = ip === undefined ? 0 : net.isIP(ip);
    if (!match || ipKind === 0 || (match[1] !== undefined) !== (ipKind === 6) || port < 1 || port > 65_535) {
      return refuse(ctx, raw, `expected <ip>:<port> such as 127.0.0.1:9464 or [::1]:9464, got "${raw}"`);
    }
    return raw.trim();
  });

/** An http:// or https:// URL, or undefined when unset. */
export const optionalHttpUrl = () =>
  variable.transform((raw, ctx) => {
    if (!given(raw)) return undefined;
    let protocol: string | undefined;
    try {
      protocol = new URL(raw.trim()).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      return refuse(ctx, raw, `expected an http:// or https:// URL such as http://127.0.0.1:4318, got "${raw}"`);
    }
    return raw.trim();
  });

/** The least a secret chosen by a person (OMS_BOOTSTRAP_ADMIN_KEY) must have: length, and different characters. */
export const STRONG_SECRET = { minLength: 32, minDistinct: 10 } as const;

/**
 * A secret that must be long and varied enough, or undefined when unset. Not proof of randomness, a floor: it
 * refuses placeholders (`changeme`, `admin-admin-…`, `aaaa…`) and passwords a person made up; 32 random characters
 * of hex or base64 pass (`openssl rand -base64 32`). The message never quotes the value.
 */
export const strongSecret = () =>
  variable.transform((raw, ctx) => {
    if (!given(raw)) return undefined;
    const { minLength, minDistinct } = STRONG_SECRET;
    if (raw.length < minLength || new Set(raw).size < minDistinct) {
      return refuse(
        ctx,
        undefined,
        `too weak: use at least ${minLength} characters with at least ${minDistinct} different ones (e.g. openssl rand -base64 32); got ${raw.length} characters, ${new Set(raw).size} different`,
      );
    }
    return raw;
  });

/**
 * The membership tiers as JSON (domain/loyalty.ts tierRulesSchema): a list of
 * `{ code, name, fromMinor, pointsPerYuan, discountPercent, express, backorderPriority }`; `fallback` when unset.
 */
export const tierList = (fallback: readonly TierRule[]) =>
  variable.transform((raw, ctx): readonly TierRule[] => {
    if (!given(raw)) return fallback;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return refuse(ctx, raw, 'expected a JSON list of tiers, see docs/configuration.md');
    }
    const parsed = tierRulesSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    const first = parsed.error.issues[0];
    return refuse(ctx, raw, `tier ${first.path.join('.')}: ${first.message}`);
  });

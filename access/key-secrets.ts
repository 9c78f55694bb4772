/**
 * The API key format and how its secret is stored.
 *
 * A key is `oms_<publicId>_<secret>`: the public id (12 hex digits) finds the key's row by index, and the whole key
 * is checked against that row's scrypt hash only. scrypt (node:crypto, no native build) is a memory-hard KDF: a
 * stolen database does not let anyone test guesses quickly, which matters for a bootstrap key a person chose. The
 * parameters and a random salt are stored with each hash (`scrypt$N$r$p$<salt>$<hash>`), so they can be raised
 * later: a hash made with other parameters is redone at its next successful check. Rows from before scrypt hold
 * `sha256$<hex>` until their key is checked once and rehashed.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/** N = 2^14, r = 8, p = 1: 16 MiB and about 50 ms per check here; verified keys are cached (verified-keys.ts). */
export const SCRYPT_PARAMS = { N: 16_384, r: 8, p: 1 } as const;
const HASH_BYTES = 32;
const SALT_BYTES = 16;
/** Bounds for parameters read back from the database, so a tampered row cannot make a check take minutes. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

const KEY_PATTERN = /^oms_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  /** The full key, shown once to whoever creates it. */
  key: string;
  publicId: string;
  /** The part that may be shown in lists and logs: `oms_<publicId>`. */
  prefix: string;
}

export function generateApiKey(): NewApiKey {
  const publicId = crypto.randomBytes(6).toString('hex');
  const secret = crypto.randomBytes(32).toString('base64url');
  return { key: `oms_${publicId}_${secret}`, publicId, prefix: `oms_${publicId}` };
}

/** The public id of a key in our format; undefined for any other string (such as a bootstrap key someone chose). */
export function publicIdOf(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

/** What may be shown of a key not in our format: at most 8 characters and at most a quarter of it. */
export function visiblePrefix(key: string): string {
  return key.slice(0, Math.min(8, Math.floor(key.length / 4)));
}

export async function hashSecret(key: string): Promise<string> {
  const { N, r, p } = SCRYPT_PARAMS;
  const salt = crypto.randomBytes(SALT_BYTES);
  const hash = await scrypt(key, salt, HASH_BYTES, { N, r, p, maxmem: maxmem(N, r) });
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** A stored form with today's parameters that no key matches (random salt and hash), for checks without a row. */
export function dummyHash(): string {
  const { N, r, p } = SCRYPT_PARAMS;
  const [salt, hash] = [crypto.randomBytes(SALT_BYTES), crypto.randomBytes(HASH_BYTES)];
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export interface SecretCheck {
  ok: boolean;
  /** The key matched a legacy SHA-256 or older scrypt parameters: store hashSecret(key) instead. */
  rehash: boolean;
}

/** Checks a presented key against a stored hash in constant time; an unknown or malformed stored form never matches. */
export async function verifySecret(key: string, stored: string): Promise<SecretCheck> {
  const [scheme, ...parts] = stored.split('$');
  if (scheme === 'sha256' && parts.length === 1 && /^[0-9a-f]{64}$/.test(parts[0])) {
    const given = crypto.createHash('sha256').update(key).digest();
    const ok = crypto.timingSafeEqual(given, Buffer.from(parts[0], 'hex'));
    return { ok, rehash: ok };
  }
  if (scheme !== 'scrypt' || parts.length !== 5) return { ok: false, rehash: false };
  const [N, r, p] = parts.slice(0, 3).map(Number);
  const salt = Buffer.from(parts[3], 'base64url');
  const expected = Buffer.from(parts[4], 'base64url');
  const sane =
    within(N, 2, MAX_N) &&
    (N & (N - 1)) === 0 &&
    within(r, 1, MAX_R) &&
    within(p, 1, MAX_P) &&
    salt.length >= SALT_BYTES &&
    expected.length === HASH_BYTES;
  if (!sane) return { ok: false, rehash: false };
  const given = await scrypt(key, salt, expected.length, { N, r, p, maxmem: maxmem(N, r) });
  const ok = crypto.timingSafeEqual(given, expected);
  const current = N === SCRYPT_PARAMS.N && r === SCRYPT_PARAMS.r && p === SCRYPT_PARAMS.p;
  return { ok, rehash: ok && !current };
}

const within = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;

/** scrypt needs about 128·N·r bytes; node refuses above `maxmem` (32 MiB by default). */
const maxmem = (N: number, r: number) => 256 * N * r;

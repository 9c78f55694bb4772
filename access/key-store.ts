/**
 * API keys in the database: created, listed and revoked (the admin API and `npm run keys` share these), the
 * bootstrap admin key kept in place at each API start, and a presented key checked against its one row.
 */
import type { Db } from '../db/client';
import { dummyHash, generateApiKey, hashSecret, publicIdOf, verifySecret, visiblePrefix } from './key-secrets';
import { describeError } from '../lib/redact';
import { log } from '../lib/log';
import type { Role } from './roles';

/** The row of OMS_BOOTSTRAP_ADMIN_KEY, whatever that key's format. */
export const BOOTSTRAP_ID = 'bootstrap';
const LEGACY_PREFIX = 'legacy-';
/** What an unknown key is checked against: a hash with today's parameters that no key matches (random salt and hash). */
export const DUMMY_HASH = dummyHash();

/** Who a verified key belongs to. */
export interface KeyHolder {
  keyId: number;
  name: string;
  role: Role;
  prefix: string;
}

export type DenialKind = 'MISSING_KEY' | 'UNKNOWN_KEY' | 'WRONG_SECRET' | 'REVOKED_KEY';

export type KeyCheck =
  { ok: true; holder: KeyHolder } | { ok: false; kind: DenialKind; keyId?: number; prefix?: string };

/** A key as admins see it: never its hash. */
export interface ApiKeyView {
  id: number;
  name: string;
  role: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const VIEW = { id: true, name: true, role: true, prefix: true, createdAt: true, revokedAt: true, lastUsedAt: true };

export async function createApiKey(db: Db, input: { name: string; role: Role }): Promise<ApiKeyView & { key: string }> {
  const { key, publicId, prefix } = generateApiKey();
  const row = await db.apiKey.create({
    data: { name: input.name, role: input.role, publicId, prefix, secretHash: await hashSecret(key) },
    select: VIEW,
  });
  return { ...row, key };
}

export function listApiKeys(db: Db): Promise<ApiKeyView[]> {
  return db.apiKey.findMany({ select: VIEW, orderBy: { id: 'asc' } });
}

/**
 * Revokes a key (once: revoking it again keeps the first time), and ends its sign-in sessions (access/sessions.ts;
 * those are refused from the key's revocation on anyway, since each request reads the key's row with the session's).
 * Undefined when there is no such key.
 */
export async function revokeApiKey(db: Db, id: number): Promise<ApiKeyView | undefined> {
  const now = new Date();
  await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
  await db.staffSession.updateMany({
    where: { apiKeyId: id, revokedAt: null },
    data: { revokedAt: now, revokedReason: 'KEY_REVOKED' },
  });
  return (await db.apiKey.findUnique({ where: { id }, select: VIEW })) ?? undefined;
}

/**
 * Checks a presented key against its one row: found by public id, or the bootstrap row for a key in any other
 * format. A legacy or outdated hash is redone after a match. `lastUsedAt` is written here, so it is as fresh as
 * the cache in front of this allows (one check per key per TTL), without a write per request.
 */
export async function checkApiKey(db: Db, key: string): Promise<KeyCheck> {
  const publicId = publicIdOf(key);
  const row = await db.apiKey.findUnique({ where: { publicId: publicId ?? BOOTSTRAP_ID } });
  // An unknown key id costs the same scrypt as a known one: the time of a refusal does not tell which ids exist.
  const { ok, rehash } = await verifySecret(key, row?.secretHash ?? DUMMY_HASH);
  if (!row) return { ok: false, kind: 'UNKNOWN_KEY', prefix: publicId && `oms_${publicId}` };
  // A key in another format that is not the bootstrap key names no key at all: nothing to attribute it to.
  if (!ok && !publicId) return { ok: false, kind: 'UNKNOWN_KEY' };
  if (!ok) return { ok: false, kind: 'WRONG_SECRET', keyId: row.id, prefix: row.prefix };
  if (row.revokedAt) return { ok: false, kind: 'REVOKED_KEY', keyId: row.id, prefix: row.prefix };
  void recordUse(db, row.id, rehash ? key : undefined).catch((err) =>
    log.warn(`could not record the use of API key ${row.id}: ${describeError(err)}`),
  );
  // The role was checked against ROLES when the key was made.
  return { ok: true, holder: { keyId: row.id, name: row.name, role: row.role as Role, prefix: row.prefix } };
}

/** Whether an un-revoked key has this public id (BOOTSTRAP_ID for the bootstrap key): an indexed lookup, no scrypt. */
export async function keyIdExists(db: Db, publicId: string): Promise<boolean> {
  const row = await db.apiKey.findUnique({ where: { publicId }, select: { revokedAt: true } });
  return row !== null && row.revokedAt === null;
}

/** In the background: the answer does not wait for this write (or for a rehash). */
async function recordUse(db: Db, id: number, rehashKey: string | undefined): Promise<void> {
  const secretHash = rehashKey === undefined ? undefined : await hashSecret(rehashKey);
  await db.apiKey.update({ where: { id }, data: { lastUsedAt: new Date(), secretHash } });
}

/**
 * At each API start: makes sure the admin key OMS_BOOTSTRAP_ADMIN_KEY exists with exactly this value (un-revoked,
 * admin). Its row from before scrypt (`sha256$…`) is checked once and rehashed, keeping its id. A different value
 * than last time replaces the old one, which stops working. Other rows from before scrypt could only ever be earlier
 * bootstrap keys (nothing else made keys then); as no lookup reaches them any more, they are retired.
 */
export async function ensureBootstrapAdmin(db: Db, key: string): Promise<void> {
  const data = { role: 'admin', revokedAt: null, prefix: visiblePrefix(key) };
  const current = await db.apiKey.findUnique({ where: { publicId: BOOTSTRAP_ID } });
  if (current) {
    const { ok, rehash } = await verifySecret(key, current.secretHash);
    await db.apiKey.update({
      where: { id: current.id },
      data: { ...data, ...(ok && !rehash ? {} : { secretHash: await hashSecret(key) }) },
    });
  } else {
    const legacy = await db.apiKey.findMany({ where: { publicId: { startsWith: LEGACY_PREFIX } } });
    let carried: number | undefined;
    for (const row of legacy) if ((await verifySecret(key, row.secretHash)).ok) carried = row.id;
    const secretHash = await hashSecret(key);
    if (carried !== undefined) {
      await db.apiKey.update({ where: { id: carried }, data: { ...data, publicId: BOOTSTRAP_ID, secretHash } });
    } else {
      await db.apiKey
        .create({ data: { ...data, name: 'bootstrap admin', publicId: BOOTSTRAP_ID, secretHash } })
        .catch((err) => {
          if ((err as { code?: string }).code !== 'P2002') throw err; // another API process made it just now
        });
    }
  }
  await retireLegacyKeys(db);
}

/** Rows from before scrypt that were not carried over: revoked, and their SHA-256 erased (it never verifies again). */
export async function retireLegacyKeys(db: Db): Promise<void> {
  const legacy = { publicId: { startsWith: LEGACY_PREFIX } };
  await db.apiKey.updateMany({ where: { ...legacy, revokedAt: null }, data: { revokedAt: new Date() } });
  await db.apiKey.updateMany({ where: legacy, data: { secretHash: 'retired' } });
}

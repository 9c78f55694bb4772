/**
 * API keys in the database, on SQLite and PostgreSQL: rows from before scrypt carried over by the migration and the
 * next start, keys found by their public id, wrong and revoked keys refused, the bootstrap key rotated, and
 * `npm run keys` creating, listing and revoking keys.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { createDb, type Db } from '../../db/client';
import { migrate, readMigrations } from '../../db/migrate';
import { migrationsDir } from '../../db/providers';
import { checkApiKey, createApiKey, ensureBootstrapAdmin, listApiKeys, revokeApiKey } from '../../access/key-store';
import { ROOT_DIR } from '../../lib/config';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';
import { matching } from '../support/matchers';

const SCRYPT_MIGRATION = '20261128053248_api_key_scrypt_and_security_events';
const LEDGER = '_oms_migrations';
const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** The database as the code before scrypt left it: every earlier migration, and API keys stored as SHA-256. */
async function databaseBeforeScrypt(kind: 'sqlite' | 'postgresql', url: string, keys: string[]): Promise<void> {
  const earlier = readMigrations(migrationsDir(kind)).filter((m) => m.name < SCRYPT_MIGRATION);
  const rows = keys.map((key, i) => [`key ${i}`, 'admin', sha256(key), key.slice(0, 8)]);
  if (kind === 'sqlite') {
    const db = new Database(url.slice('file:'.length));
    db.exec(`CREATE TABLE "${LEDGER}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    for (const m of earlier) {
      db.exec(m.sql);
      db.prepare(`INSERT INTO "${LEDGER}" VALUES (?, ?, ?)`).run(m.name, m.checksum, new Date().toISOString());
    }
    for (const row of rows)
      db.prepare('INSERT INTO "ApiKey" (name, role, "keyHash", prefix) VALUES (?, ?, ?, ?)').run(...row);
    db.close();
    return;
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `CREATE TABLE "${LEDGER}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    for (const m of earlier) {
      await client.query(m.sql);
      await client.query(`INSERT INTO "${LEDGER}" (name, checksum) VALUES ($1, $2)`, [m.name, m.checksum]);
    }
    for (const row of rows) {
      await client.query('INSERT INTO "ApiKey" (name, role, "keyHash", prefix) VALUES ($1, $2, $3, $4)', row);
    }
  } finally {
    await client.end();
  }
}

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-keys-'));
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

function keySuite(
  kind: 'sqlite' | 'postgresql',
  newUrl: () => Promise<string>,
  dropUrl?: (url: string) => Promise<void>,
) {
  let url: string;
  let db: Db;
  const bootstrapKey = `oms_test_${crypto.randomBytes(12).toString('hex')}`;
  const formerBootstrapKey = `oms_dev_${crypto.randomBytes(18).toString('base64url')}`;

  beforeAll(async () => {
    url = await newUrl();
    await databaseBeforeScrypt(kind, url, [formerBootstrapKey, bootstrapKey]);
    expect(await migrate(url)).toEqual([SCRYPT_MIGRATION, ...pendingAfter(kind)]);
    db = createDb(url);
  }, 60_000);
  afterAll(async () => {
    await db?.$disconnect();
    if (url) await dropUrl?.(url);
  });

  test('the bootstrap key stored as SHA-256 is checked once and rehashed with scrypt, keeping its row', async () => {
    const before = await db.apiKey.findMany({ orderBy: { id: 'asc' } });
    expect(before.map((k) => [k.publicId, k.secretHash])).toEqual([
      [`legacy-${before[0].id}`, `sha256$${sha256(formerBootstrapKey)}`],
      [`legacy-${before[1].id}`, `sha256$${sha256(bootstrapKey)}`],
    ]);
    await ensureBootstrapAdmin(db, bootstrapKey);

    const [former, current] = await db.apiKey.findMany({ orderBy: { id: 'asc' } });
    expect(current).toMatchObject({ id: before[1].id, publicId: 'bootstrap', role: 'admin', revokedAt: null });
    expect(current.secretHash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    // An earlier bootstrap key could only be found by its SHA-256: it is retired, and no fast hash stays behind.
    expect(former.revokedAt).not.toBeNull();
    expect(former.secretHash).toBe('retired');
    const check = await checkApiKey(db, bootstrapKey);
    expect(check).toMatchObject({ ok: true, holder: { keyId: current.id, role: 'admin' } });
    expect(await checkApiKey(db, formerBootstrapKey)).toMatchObject({ ok: false });

    // The next start finds everything in place and changes nothing.
    await ensureBootstrapAdmin(db, bootstrapKey);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: current.id } })).secretHash).toBe(current.secretHash);
  });

  test('a new key is found by its public id; a wrong secret, an unknown id and a revoked key are refused', async () => {
    const created = await createApiKey(db, { name: 'Anna', role: 'clerk' });
    const [, publicId, secret] = /^oms_([0-9a-f]{12})_([\w-]{43})$/.exec(created.key)!;
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ publicId, prefix: `oms_${publicId}`, role: 'clerk' });
    expect(row.secretHash).not.toContain(secret);

    expect(await checkApiKey(db, created.key)).toMatchObject({ ok: true, holder: { keyId: created.id, name: 'Anna' } });
    const wrong = `oms_${publicId}_${'A'.repeat(43)}`;
    expect(await checkApiKey(db, wrong)).toEqual({
      ok: false,
      kind: 'WRONG_SECRET',
      keyId: created.id,
      prefix: `oms_${publicId}`,
    });
    expect(await checkApiKey(db, `oms_000000000000_${secret}`)).toMatchObject({ ok: false, kind: 'UNKNOWN_KEY' });
    // Any other format is only ever the bootstrap key.
    expect(await checkApiKey(db, 'not-a-key')).toEqual({ ok: false, kind: 'UNKNOWN_KEY' });

    const revoked = await revokeApiKey(db, created.id);
    expect(revoked?.revokedAt).toBeInstanceOf(Date);
    expect((await revokeApiKey(db, created.id))?.revokedAt).toEqual(revoked?.revokedAt); // once
    expect(await checkApiKey(db, created.key)).toMatchObject({ ok: false, kind: 'REVOKED_KEY', keyId: created.id });
    expect(await revokeApiKey(db, 999_999)).toBeUndefined();

    const listed = await listApiKeys(db);
    expect(listed.find((k) => k.id === created.id)).toEqual({
      id: created.id,
      name: 'Anna',
      role: 'clerk',
      prefix: `oms_${publicId}`,
      createdAt: matching.any(Date),
      revokedAt: revoked!.revokedAt,
      lastUsedAt: matching.any(Date),
    });
    expect(JSON.stringify(listed)).not.toMatch(/scrypt|sha256|secretHash/);
  });

  test('a different bootstrap key replaces the previous one, which stops working', async () => {
    const id = (await db.apiKey.findUniqueOrThrow({ where: { publicId: 'bootstrap' } })).id;
    await db.apiKey.update({ where: { id }, data: { revokedAt: new Date(), role: 'clerk' } });
    const next = `oms_test_${crypto.randomBytes(12).toString('hex')}`;
    await ensureBootstrapAdmin(db, next);
    expect(await checkApiKey(db, next)).toMatchObject({ ok: true, holder: { keyId: id, role: 'admin' } });
    expect(await checkApiKey(db, bootstrapKey)).toMatchObject({ ok: false, kind: 'UNKNOWN_KEY' });
  });

  test('npm run keys creates, lists and revokes keys in the database', async () => {
    const keys = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'scripts', 'keys.ts'), ...args], {
        cwd: ROOT_DIR,
        env: { ...process.env, DATABASE_URL: url },
      });
    const created = await keys('create', '--name', 'Till 2', '--role', 'warehouse');
    const key = created.stdout.trim().split('\n').pop()!;
    const check = await checkApiKey(db, key);
    expect(check).toMatchObject({ ok: true, holder: { name: 'Till 2', role: 'warehouse' } });
    const id = check.ok ? check.holder.keyId : -1;

    const listed = (await keys('list')).stdout;
    expect(listed).toMatch(new RegExp(`^${id}\\s+Till 2\\s+warehouse\\s+${key.slice(0, 16)}\\s.*active$`, 'm'));
    expect(listed).not.toContain(key);

    expect((await keys('revoke', String(id))).stdout).toMatch(`Revoked API key ${id} (Till 2)`);
    expect(await checkApiKey(db, key)).toMatchObject({ ok: false, kind: 'REVOKED_KEY' });
    expect((await keys('list')).stdout).toMatch(new RegExp(`^${id}\\s.*revoked \\d{4}-`, 'm'));

    await expect(keys('create', '--name', 'X', '--role', 'owner')).rejects.toMatchObject({
      code: 2,
      stderr: matching.stringContaining('usage: npm run keys'),
    });
    await expect(keys('revoke', '999999')).rejects.toMatchObject({
      code: 2,
      stderr: matching.stringContaining('No API key'),
    });
  }, 60_000);
}

/** Migrations newer than the scrypt one (none yet): applied in the same run. */
function pendingAfter(kind: 'sqlite' | 'postgresql'): string[] {
  return readMigrations(migrationsDir(kind))
    .map((m) => m.name)
    .filter((name) => name > SCRYPT_MIGRATION);
}

describe('API keys on SQLite', () => keySuite('sqlite', () => Promise.resolve(`file:${path.join(tmpDir, 'keys.db')}`)));

(postgresAvailable() ? describe : describe.skip)('API keys on PostgreSQL', () =>
  keySuite('postgresql', () => createTestDatabase('keys'), dropTestDatabase),
);

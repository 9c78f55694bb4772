/**
 * Sign-in sessions in the database, on SQLite and PostgreSQL (access/sessions.ts): only the token's hash is stored; a
 * session acts as its key; it is refused once idle, past its absolute expiry, revoked, or once its key is revoked
 * (also by `revokeApiKey`, as `npm run keys -- revoke` and the admin API do); `lastSeenAt` is written at most once
 * per interval; admins' list shows states and never a token.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { createApiKey, revokeApiKey, type KeyHolder } from '../../access/key-store';
import {
  checkSession,
  createSession,
  hashSessionToken,
  listSessions,
  replaceSession,
  revokeSession,
} from '../../access/sessions';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';
import { eventually } from '../support/system';

const policy = { idleMs: 8 * 3_600_000, maxMs: 12 * 3_600_000 };
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-sessions-'));
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

function sessionSuite(newUrl: () => Promise<string>, dropUrl?: (url: string) => Promise<void>) {
  let url: string;
  let db: Db;

  beforeAll(async () => {
    url = await newUrl();
    await migrate(url);
    db = createDb(url);
  }, 60_000);
  afterAll(async () => {
    await db?.$disconnect();
    if (url) await dropUrl?.(url);
  });

  const newHolder = async (name: string, role: 'clerk' | 'manager' = 'clerk'): Promise<KeyHolder> => {
    const key = await createApiKey(db, { name, role });
    return { keyId: key.id, name: key.name, role, prefix: key.prefix };
  };

  test('a session acts as its key; the row holds the hash of its token, never the token', async () => {
    const holder = await newHolder('Anna');
    const signedIn = new Date();
    const { token, session } = await createSession(
      db,
      holder,
      policy,
      { userAgent: 'jest', ip: '127.0.0.1' },
      signedIn,
    );
    const row = await db.staffSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(row).toMatchObject({
      tokenHash: hashSessionToken(token),
      apiKeyId: holder.keyId,
      userAgent: 'jest',
      ip: '127.0.0.1',
      revokedAt: null,
      expiresAt: new Date(signedIn.getTime() + policy.maxMs),
    });
    expect(JSON.stringify(row)).not.toContain(token);

    const check = await checkSession(db, token, policy);
    expect(check).toEqual({ ok: true, holder, session: { ...session, lastSeenAt: row.lastSeenAt } });
    expect(await checkSession(db, `${token}x`, policy)).toEqual({ ok: false, kind: 'SESSION_UNKNOWN' });
  });

  test('idle, past the absolute expiry, revoked, replaced: refused, with whose session it was', async () => {
    const holder = await newHolder('Ben');
    const start = new Date();
    const later = (ms: number) => new Date(start.getTime() + ms);
    const { token, session } = await createSession(db, holder, policy, {}, start);
    const who = { sessionId: session.id, keyId: holder.keyId, prefix: holder.prefix };
    expect(await checkSession(db, token, policy, later(policy.idleMs - 1))).toMatchObject({ ok: true });
    // That use was recorded (in the background), so the idle time counts from it...
    await eventually('lastSeenAt written', async () => {
      const row = await db.staffSession.findUniqueOrThrow({ where: { id: session.id } });
      return row.lastSeenAt.getTime() === later(policy.idleMs - 1).getTime() ? true : undefined;
    });
    expect(await checkSession(db, token, policy, later(policy.idleMs + 1))).toMatchObject({ ok: true });
    // ...but not past the absolute expiry.
    expect(await checkSession(db, token, policy, later(policy.maxMs))).toEqual({
      ok: false,
      kind: 'SESSION_EXPIRED',
      ...who,
    });
    const unused = await createSession(db, holder, policy, {}, start);
    expect(await checkSession(db, unused.token, policy, later(policy.idleMs))).toMatchObject({
      ok: false,
      kind: 'SESSION_EXPIRED',
    });

    const revoked = await revokeSession(db, session.id, 'SIGNED_OUT', holder.keyId, policy);
    expect(revoked).toMatchObject({ id: session.id, state: 'REVOKED', revokedReason: 'SIGNED_OUT' });
    expect(await revokeSession(db, session.id, 'REVOKED', 1, policy)).toMatchObject({
      revokedAt: revoked!.revokedAt,
      revokedReason: 'SIGNED_OUT', // once
    });
    expect(await checkSession(db, token, policy)).toEqual({ ok: false, kind: 'SESSION_REVOKED', ...who });
    expect(await revokeSession(db, 999_999, 'REVOKED', 1, policy)).toBeUndefined();

    const replaced = await createSession(db, holder, policy, {});
    await replaceSession(db, replaced.token, holder.keyId);
    expect(await checkSession(db, replaced.token, policy)).toMatchObject({ ok: false, kind: 'SESSION_REVOKED' });
  });

  test('lastSeenAt is written at most once per interval', async () => {
    const holder = await newHolder('Cai');
    const start = new Date();
    const { token, session } = await createSession(db, holder, policy, {}, start);
    const lastSeen = async () => (await db.staffSession.findUniqueOrThrow({ where: { id: session.id } })).lastSeenAt;
    await checkSession(db, token, policy, new Date(start.getTime() + 59_000));
    await checkSession(db, token, policy, new Date(start.getTime() + 59_999));
    const touched = new Date(start.getTime() + 60_000);
    await checkSession(db, token, policy, touched);
    await eventually('lastSeenAt written', async () =>
      (await lastSeen()).getTime() === touched.getTime() ? true : undefined,
    );
    await checkSession(db, token, policy, new Date(start.getTime() + 100_000)); // within a minute of the last write
    await db.staffSession.count(); // a round trip after any write that check could have started
    expect(await lastSeen()).toEqual(touched);
  });

  test("revoking the key ends its sessions at once, and the admins' list says so without any token", async () => {
    const holder = await newHolder('Dana', 'manager');
    const other = await newHolder('Eve');
    const a = await createSession(db, holder, policy, { userAgent: 'browser a' });
    const b = await createSession(db, holder, policy, { userAgent: 'browser b' });
    const c = await createSession(db, other, policy, {});

    const active = await listSessions(db, { activeOnly: true, keyId: holder.keyId, limit: 100 }, policy);
    expect(active.map((s) => [s.id, s.state, s.keyName, s.keyRole])).toEqual([
      [b.session.id, 'ACTIVE', 'Dana', 'manager'],
      [a.session.id, 'ACTIVE', 'Dana', 'manager'],
    ]);
    const text = JSON.stringify(await listSessions(db, { activeOnly: false, limit: 1_000 }, policy));
    for (const secret of [a.token, b.token, a.session.csrfToken, hashSessionToken(a.token)]) {
      expect(text).not.toContain(secret);
    }

    // Even if the sessions' rows were not updated (a key revoked by hand), the key's row alone refuses them.
    await db.apiKey.update({ where: { id: holder.keyId }, data: { revokedAt: new Date() } });
    expect(await checkSession(db, a.token, policy)).toMatchObject({ ok: false, kind: 'REVOKED_KEY' });
    await db.apiKey.update({ where: { id: holder.keyId }, data: { revokedAt: null } });
    expect(await checkSession(db, a.token, policy)).toMatchObject({ ok: true });

    await revokeApiKey(db, holder.keyId);
    for (const { token } of [a, b]) {
      expect(await checkSession(db, token, policy)).toMatchObject({ ok: false, kind: 'SESSION_REVOKED' });
    }
    expect(await checkSession(db, c.token, policy)).toMatchObject({ ok: true });
    const ended = await listSessions(db, { activeOnly: false, keyId: holder.keyId, limit: 100 }, policy);
    expect(ended.map((s) => [s.state, s.revokedReason])).toEqual([
      ['REVOKED', 'KEY_REVOKED'],
      ['REVOKED', 'KEY_REVOKED'],
    ]);
    expect(await listSessions(db, { activeOnly: true, keyId: holder.keyId, limit: 100 }, policy)).toEqual([]);
  });
}

describe('sessions on SQLite', () => sessionSuite(() => Promise.resolve(`file:${path.join(tmpDir, 'sessions.db')}`)));

(postgresAvailable() ? describe : describe.skip)('sessions on PostgreSQL', () =>
  sessionSuite(() => createTestDatabase('sessions'), dropTestDatabase),
);

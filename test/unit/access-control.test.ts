/**
 * Access control without the stack: the API key format and its scrypt hashes, the cache of verified keys, the
 * permission matrix against every route the app serves, log masking, and the rate-limit settings.
 */
import crypto from 'node:crypto';
import { generateApiKey, hashSecret, publicIdOf, verifySecret, visiblePrefix } from '../../access/key-secrets';
import type { KeyCheck } from '../../access/key-store';
import { VerifiedKeyCache } from '../../access/verified-keys';
import { ROLES } from '../../access/roles';
import { mayDo, PERMISSIONS, permissionsOf, PUBLIC_ROUTES, type Permission } from '../../api/permissions';
import { loadConfig } from '../../lib/config';
import { describeError, redactText } from '../../lib/redact';
import { listApiRoutes } from '../support/routes';

describe('API keys and their hashes', () => {
  test('a new key is oms_<public id>_<secret>, random each time, and only its public part is a prefix', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^oms_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(publicIdOf(a.key)).toBe(a.publicId);
    expect(a.prefix).toBe(`oms_${a.publicId}`);
    expect(a.key.startsWith(`${a.prefix}_`)).toBe(true);
  });

  test('any other string has no public id (it can only be the bootstrap key), and shows little of itself', () => {
    expect(publicIdOf('oms_test_0123456789abcdef01234567')).toBeUndefined();
    expect(publicIdOf(`oms_0123456789AB_${'a'.repeat(43)}`)).toBeUndefined();
    expect(visiblePrefix('oms_test_0123456789abcdef01234567')).toBe('oms_test');
    expect(visiblePrefix('hunter2secret')).toBe('hun');
  });

  test('scrypt with a random salt and its parameters stored; the right key matches, anything else does not', async () => {
    const { key } = generateApiKey();
    const [first, second] = [await hashSecret(key), await hashSecret(key)];
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(first).not.toBe(second); // salted
    expect(first).not.toContain(key.slice(17));
    expect(await verifySecret(key, first)).toEqual({ ok: true, rehash: false });
    expect(await verifySecret(key, second)).toEqual({ ok: true, rehash: false });
    expect(await verifySecret(`${key.slice(0, -1)}x`, first)).toEqual({ ok: false, rehash: false });
    expect(await verifySecret('', first)).toEqual({ ok: false, rehash: false });
  });

  test('a hash with other parameters still verifies and asks to be redone; absurd parameters are refused', async () => {
    const key = 'oms_test_abc';
    const salt = crypto.randomBytes(16);
    const older = crypto.scryptSync(key, salt, 32, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString('base64url')}$${older.toString('base64url')}`;
    expect(await verifySecret(key, stored)).toEqual({ ok: true, rehash: true });
    const huge = stored.replace('scrypt$1024$', `scrypt$${2 ** 24}$`);
    expect(await verifySecret(key, huge)).toEqual({ ok: false, rehash: false });
    expect(await verifySecret(key, stored.replace('$8$1$', '$8$0$'))).toEqual({ ok: false, rehash: false });
    expect(await verifySecret(key, 'retired')).toEqual({ ok: false, rehash: false });
  });

  test('a legacy SHA-256 row verifies once and asks to be rehashed', async () => {
    const key = 'oms_test_legacy';
    const legacy = `sha256$${crypto.createHash('sha256').update(key).digest('hex')}`;
    expect(await verifySecret(key, legacy)).toEqual({ ok: true, rehash: true });
    expect(await verifySecret('oms_test_other', legacy)).toEqual({ ok: false, rehash: false });
  });
});

describe('verified keys are remembered for a while', () => {
  const holder = { keyId: 7, name: 'Anna', role: 'clerk' as const, prefix: 'oms_0123456789ab' };
  const found: KeyCheck = { ok: true, holder };

  test('one check per key per TTL; concurrent checks share one run; refusals are not remembered', async () => {
    let now = 0;
    const cache = new VerifiedKeyCache(60_000, () => now);
    const check = jest.fn(() => Promise.resolve(found));
    const results = await Promise.all([1, 2, 3].map(() => cache.verify('key-a', check)));
    expect(results).toEqual([found, found, found]);
    expect(check).toHaveBeenCalledTimes(1);
    now = 59_999;
    await cache.verify('key-a', check);
    expect(check).toHaveBeenCalledTimes(1);
    now = 60_000;
    await cache.verify('key-a', check);
    expect(check).toHaveBeenCalledTimes(2);

    const refused = jest.fn((): Promise<KeyCheck> => Promise.resolve({ ok: false, kind: 'WRONG_SECRET' }));
    await cache.verify('key-b', refused);
    await cache.verify('key-b', refused);
    expect(refused).toHaveBeenCalledTimes(2);
  });

  test('forgetting a revoked key drops it at once, also from a check that was running', async () => {
    const cache = new VerifiedKeyCache(60_000);
    const check = jest.fn(() => Promise.resolve(found));
    await cache.verify('key-a', check);
    cache.forget(holder.keyId);
    await cache.verify('key-a', check);
    expect(check).toHaveBeenCalledTimes(2);

    const other = new VerifiedKeyCache(60_000);
    let finish: (check: KeyCheck) => void = () => undefined;
    const running = other.verify('key-a', () => new Promise<KeyCheck>((resolve) => (finish = resolve)));
    other.forget(holder.keyId); // revoked while its check was running
    finish(found);
    await running;
    const again = jest.fn(() => Promise.resolve(found));
    await other.verify('key-a', again);
    expect(again).toHaveBeenCalledTimes(1);
  });

  test('the cache never holds the key itself', async () => {
    const cache = new VerifiedKeyCache(60_000);
    const key = generateApiKey().key;
    await cache.verify(key, () => Promise.resolve(found));
    expect(JSON.stringify([...(cache as unknown as { entries: Map<string, unknown> }).entries])).not.toContain(key);
  });
});

describe('the permission matrix', () => {
  const routes = listApiRoutes();
  const name = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

  test('every route names a permission from the matrix, or is one of the few public ones', () => {
    expect(routes.length).toBeGreaterThan(40);
    const unguarded = routes.filter((r) => !r.permission).map(name);
    expect(unguarded.sort()).toEqual([...PUBLIC_ROUTES].sort());
    for (const route of routes) if (route.permission) expect(Object.keys(PERMISSIONS)).toContain(route.permission);
  });

  test('each route needs the permission the matrix intends (a reviewed list: a new route must be added here)', () => {
    const expected: Record<string, Permission> = {
      'POST /api/orders': 'orders.create',
      'GET /api/orders': 'orders.read',
      'GET /api/orders/summary': 'orders.read',
      'GET /api/changes': 'session.own',
      'GET /api/orders/:orderNumber': 'orders.read',
      'GET /api/orders/:orderNumber/pick-list': 'orders.read',
      'GET /api/orders/:orderNumber/shipments/:seq/packing-slip': 'orders.pick',
      'GET /api/orders/:orderNumber/actions': 'orders.read',
      'POST /api/orders/:orderNumber/approve': 'orders.review',
      'POST /api/orders/:orderNumber/reject': 'orders.review',
      'POST /api/orders/:orderNumber/cancel': 'orders.cancel',
      'PATCH /api/orders/:orderNumber': 'orders.edit',
      'POST /api/orders/:orderNumber/pick': 'orders.pick',
      'POST /api/orders/:orderNumber/ship-available': 'orders.backorder',
      'POST /api/orders/:orderNumber/substitute': 'orders.backorder',
      'POST /api/orders/:orderNumber/collect': 'orders.collect',
      'POST /api/orders/:orderNumber/shipments/:seq/resolve': 'orders.resolve-exception',
      'POST /api/orders/:orderNumber/returns': 'returns.open',
      'GET /api/returns': 'returns.read',
      'GET /api/returns/:returnNumber': 'returns.read',
      'POST /api/returns/:returnNumber/approve': 'returns.decide',
      'POST /api/returns/:returnNumber/reject': 'returns.decide',
      'POST /api/returns/:returnNumber/receive': 'returns.receive',
      'POST /api/returns/:returnNumber/refund': 'returns.refund',
      'GET /api/customers': 'customers.read',
      'GET /api/customers/:id': 'customers.read',
      'PATCH /api/customers/:id': 'customers.edit',
      'POST /api/customers/:id/merge': 'customers.merge',
      'POST /api/customers/:id/points': 'customers.points',
      'GET /api/customers/:id/export': 'customers.privacy',
      'POST /api/customers/:id/erase': 'customers.privacy',
      'GET /api/customers/segment': 'customers.segment',
      'GET /api/customers/segment.csv': 'customers.segment',
      'POST /api/customers/:id/feedback': 'customers.edit',
      'GET /api/customers/blocked': 'customers.read-blocked',
      'POST /api/customers/blocked': 'customers.block',
      'DELETE /api/customers/blocked/:id': 'customers.block',
      'GET /api/repairs/units/:serial': 'repairs.read',
      'POST /api/repairs': 'repairs.handle',
      'GET /api/repairs': 'repairs.read',
      'GET /api/repairs/:ticketNumber': 'repairs.read',
      'POST /api/repairs/:ticketNumber/steps': 'repairs.handle',
      'GET /api/promotions': 'promotions.manage',
      'POST /api/promotions': 'promotions.manage',
      'GET /api/promotions/:code': 'promotions.manage',
      'PATCH /api/promotions/:code': 'promotions.manage',
      'POST /api/promotions/:code/end': 'promotions.manage',
      'POST /api/promotions/:code/coupons': 'promotions.manage',
      'GET /api/promotions/:code/coupons': 'promotions.manage',
      'POST /api/pricing/quote': 'pricing.quote',
      'GET /api/reports/promotions': 'reports.read',
      'POST /api/transfers': 'transfers.move',
      'GET /api/transfers': 'transfers.read',
      'GET /api/transfers/:transferNumber': 'transfers.read',
      'POST /api/transfers/:transferNumber/ship': 'transfers.move',
      'POST /api/transfers/:transferNumber/cancel': 'transfers.move',
      'POST /api/transfers/:transferNumber/receive': 'transfers.move',
      'GET /api/products.csv': 'catalogue.read',
      'GET /api/inventory.csv': 'inventory.read',
      'POST /api/products/import': 'catalogue.write',
      'POST /api/inventory/import': 'inventory.adjust',
      'GET /api/products': 'catalogue.read',
      'POST /api/products': 'catalogue.write',
      'GET /api/locations': 'catalogue.read',
      'POST /api/locations': 'catalogue.write',
      'GET /api/inventory': 'inventory.read',
      'GET /api/inventory/movements': 'inventory.read',
      'GET /api/inventory/check': 'inventory.check',
      'POST /api/inventory/receipts': 'inventory.receive',
      'POST /api/inventory/write-offs': 'inventory.write-off',
      'POST /api/inventory/counts': 'inventory.count',
      'PUT /api/inventory/levels/:sku/:location': 'inventory.adjust',
      'GET /api/serials/:serial': 'inventory.read',
      'GET /api/warnings': 'warnings.read',
      'POST /api/admin/keys': 'keys.manage',
      'GET /api/admin/keys': 'keys.manage',
      'DELETE /api/admin/keys/:id': 'keys.manage',
      'GET /api/admin/security-events': 'security-events.read',
      'GET /api/admin/sessions': 'sessions.manage',
      'POST /api/admin/sessions/:id/revoke': 'sessions.manage',
      'GET /api/session': 'session.own',
      'DELETE /api/session': 'session.own',
      'POST /api/codec/decode': 'payloads.decode',
      'POST /api/codec/encode': 'payloads.decode',
      'GET /api/metrics': 'metrics.read',
    };
    const actual = Object.fromEntries(routes.filter((r) => r.permission).map((r) => [name(r), r.permission]));
    expect(actual).toEqual(expected);
  });

  test('every permission is used by a route', () => {
    const used = new Set(routes.map((r) => r.permission));
    expect(Object.keys(PERMISSIONS).filter((p) => !used.has(p as Permission))).toEqual([]);
  });

  test('admin may do everything; key and session management and the audit are admin only', () => {
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) expect(mayDo('admin', permission)).toBe(true);
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      expect(mayDo(role, 'keys.manage')).toBe(false);
      expect(mayDo(role, 'sessions.manage')).toBe(false);
      expect(mayDo(role, 'security-events.read')).toBe(false);
      // Everyone signed in may see who they are and sign out.
      expect(mayDo(role, 'session.own')).toBe(true);
    }
    // Prometheus's key: a manager's, never the everyday keys of tills and channels (clerks) or the warehouse.
    expect(ROLES.filter((role) => mayDo(role, 'metrics.read'))).toEqual(['manager', 'admin']);
  });

  test("a role's permission list (GET /api/session) is exactly the matrix's row", () => {
    expect(permissionsOf('admin')).toEqual(Object.keys(PERMISSIONS));
    for (const role of ROLES) {
      const listed = permissionsOf(role);
      for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
        expect(listed.includes(permission)).toBe(mayDo(role, permission));
      }
    }
    expect(permissionsOf('clerk')).toContain('orders.create');
    expect(permissionsOf('clerk')).not.toContain('payloads.decode');
  });
});

describe('logs carry no secrets and no full personal data', () => {
  test('emails, phone numbers and key secrets are masked; order numbers and dates stay', () => {
    const { key, prefix } = generateApiKey();
    expect(
      redactText(`order SO-20261128-000001 for li.lei@example.com, +86 138 0013 8000, 2026-11-28T05:28:38Z, ${key}`),
    ).toBe(`order SO-20261128-000001 for l***@example.com, ***8000, 2026-11-28T05:28:38Z, ${prefix}_***`);
  });

  test("an error quoting a call's arguments over several lines keeps its first and last line only", () => {
    const err = new Error(
      'Invalid `prisma.order.create()` invocation:\n\n{\n  data: { customerName: "Li Lei", line1: "88 Nanjing Road" }\n}\n\nUnknown argument `foo`.',
    );
    expect(describeError(err)).toBe('Error: Invalid `prisma.order.create()` invocation: … Unknown argument `foo`.');
  });
});

describe('rate-limit and key-cache settings', () => {
  test('defaults, overrides, and a bad value names the variable', () => {
    expect(loadConfig({})).toMatchObject({
      intakeRateLimit: { limit: 3000, windowMs: 60_000 },
      authFailureLimit: { limit: 100, windowMs: 900_000 },
      keyCacheTtlMs: 60_000,
      trustProxy: undefined,
    });
    expect(loadConfig({ OMS_INTAKE_RATE_LIMIT: '20/10s', OMS_TRUST_PROXY: '1' })).toMatchObject({
      intakeRateLimit: { limit: 20, windowMs: 10_000 },
      trustProxy: 1,
    });
    expect(() => loadConfig({ OMS_INTAKE_RATE_LIMIT: '3000' })).toThrow(/OMS_INTAKE_RATE_LIMIT/);
    expect(() => loadConfig({ OMS_AUTH_FAILURE_LIMIT: '0/1m' })).toThrow(/OMS_AUTH_FAILURE_LIMIT/);
    expect(() => loadConfig({ OMS_TRUST_PROXY: 'true' })).toThrow(/OMS_TRUST_PROXY/);
  });
});

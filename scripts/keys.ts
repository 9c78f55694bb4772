/**
 * npm run keys -- create --name "Anna" --role clerk | list | revoke <id>
 * Manages API keys directly in the database at DATABASE_URL (the API need not run). A new key is printed once, on
 * the last line; only its scrypt hash is stored. A running API process notices a revocation made here within its
 * key cache TTL (OMS_KEY_CACHE_TTL), and ends the key's sign-in sessions at once; revoking through the API
 * (DELETE /api/admin/keys/:id) applies there at once.
 */
import { parseArgs } from 'node:util';
import { createDb, type Db } from '../db/client';
import { loadConfig } from '../lib/config';
import { createApiKey, listApiKeys, revokeApiKey } from '../access/key-store';
import { isRole, ROLES } from '../access/roles';
import { describeError } from '../lib/redact';

const USAGE = `usage: npm run keys -- create --name <name> --role <${ROLES.join('|')}>
       npm run keys -- list
       npm run keys -- revoke <id>`;

class UsageError extends Error {}

const when = (d: Date | null) => (d ? d.toISOString().replace(/\.\d+Z$/, 'Z') : '-');

async function run(db: Db, argv: string[], ttlS: number): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, role: { type: 'string' } },
  });
  const [command, ...rest] = positionals;
  if (command === 'create') {
    const name = values.name?.trim();
    const role = values.role ?? '';
    if (!name || name.length > 100 || !isRole(role) || rest.length) throw new UsageError(USAGE);
    const created = await createApiKey(db, { name, role });
    console.log(`Created API key ${created.id} for ${created.name} (${created.role}). It is shown only now:`);
    console.log(created.key);
  } else if (command === 'list') {
    const rows = (await listApiKeys(db)).map((k) => [
      String(k.id),
      k.name,
      k.role,
      k.prefix,
      when(k.createdAt),
      when(k.lastUsedAt),
      k.revokedAt ? `revoked ${when(k.revokedAt)}` : 'active',
    ]);
    const header = ['id', 'name', 'role', 'prefix', 'created', 'last used', 'status'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    for (const row of [header, ...rows])
      console.log(
        row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      );
  } else if (command === 'revoke') {
    const id = Number(rest[0]);
    if (!Number.isSafeInteger(id) || rest.length !== 1) throw new UsageError(USAGE);
    const key = await revokeApiKey(db, id);
    if (!key) throw new UsageError(`No API key ${rest[0]}`);
    console.log(
      `Revoked API key ${key.id} (${key.name}); its sign-in sessions end now. A running API may accept the key itself for up to ${ttlS} s more.`,
    );
  } else {
    throw new UsageError(USAGE);
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const db = createDb(config.databaseUrl);
  try {
    await run(db, process.argv.slice(2), Math.ceil(config.keyCacheTtlMs / 1000));
  } finally {
    await db.$disconnect();
  }
}

main().catch((err: unknown) => {
  const usage = err instanceof UsageError || String((err as { code?: string }).code).startsWith('ERR_PARSE_ARGS');
  console.error(usage && err instanceof Error ? err.message : describeError(err, true));
  process.exit(usage ? 2 : 1);
});

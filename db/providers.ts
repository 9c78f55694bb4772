/** Shop OMS runs on SQLite (default) or PostgreSQL, chosen by the shape of DATABASE_URL. */
import path from 'node:path';
import { ROOT_DIR } from '../lib/root';

export type DbProvider = 'sqlite' | 'postgresql';
export const DB_PROVIDERS: readonly DbProvider[] = ['sqlite', 'postgresql'];

export function providerFor(databaseUrl: string): DbProvider {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgresql';
  if (databaseUrl.startsWith('file:')) return 'sqlite';
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL), got "${databaseUrl}"`);
}

/** prisma/ beside package.json: its migrations are read at run time, from source and from dist/ alike. */
const PRISMA_DIR = path.join(ROOT_DIR, 'prisma');

export function schemaPath(provider: DbProvider): string {
  return path.join(PRISMA_DIR, provider, 'schema.prisma');
}

export function migrationsDir(provider: DbProvider): string {
  return path.join(PRISMA_DIR, provider, 'migrations');
}

/** The file path inside a `file:` URL, resolved against the working directory as Prisma does. */
export function sqliteFilePath(databaseUrl: string): string {
  return path.resolve(databaseUrl.slice('file:'.length));
}

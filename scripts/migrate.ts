// npm run db:migrate: applies pending migrations to DATABASE_URL (SQLite or PostgreSQL).
import { loadConfig } from '../lib/config';
import { migrate } from '../db/migrate';

migrate(loadConfig().databaseUrl)
  .then((applied) => console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date'))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });

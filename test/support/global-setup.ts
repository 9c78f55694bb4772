// Runs once before all suites: decides whether the PostgreSQL suites run, and says so visibly.
import { ADMIN_URL, canReachPostgres } from './postgres';

export default async function globalSetup(): Promise<void> {
  if (await canReachPostgres()) {
    process.env.OMS_TEST_POSTGRES = 'available';
    return;
  }
  if (process.env.CI === 'true') {
    throw new Error(`CI=true but PostgreSQL is not reachable at ${ADMIN_URL}: the PostgreSQL tests must run in CI`);
  }
  process.env.OMS_TEST_POSTGRES = 'unavailable';
  console.log(
    `\n*** PostgreSQL not reachable at ${ADMIN_URL}: SKIPPING the PostgreSQL tests (set TEST_POSTGRES_URL) ***\n`,
  );
}

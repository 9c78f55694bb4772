import { systemSuite } from './system-suite';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';

(postgresAvailable() ? describe : describe.skip)('order path end to end on PostgreSQL', () =>
  systemSuite({ createDatabase: () => createTestDatabase('e2e'), dropDatabase: dropTestDatabase }),
);

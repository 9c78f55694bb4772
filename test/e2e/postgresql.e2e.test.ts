import { orderPathSuite } from './order-path';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';

(postgresAvailable() ? describe : describe.skip)('order path end to end on PostgreSQL', () =>
  orderPathSuite({ createDatabase: () => createTestDatabase('e2e'), dropDatabase: dropTestDatabase }),
);

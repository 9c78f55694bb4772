import { lifecycleSuite } from './lifecycle-suite';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';

(postgresAvailable() ? describe : describe.skip)('order lifecycle end to end on PostgreSQL', () =>
  lifecycleSuite({ createDatabase: () => createTestDatabase('lifecycle'), dropDatabase: dropTestDatabase }),
);

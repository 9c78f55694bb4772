/**
 * Which database errors the API answers with 503 (try again shortly) rather than 500. The shapes are the ones
 * PostgreSQL produced when its connections were cut mid-request (test/e2e/faults-postgresql.e2e.test.ts).
 */
import { Prisma } from '../../generated/prisma/postgresql/client';
import { isUnavailable } from '../../api/errors';
import { isDatabaseUnreachable } from '../../db/unreachable';

const known = (code: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError('failed', { code, clientVersion: Prisma.prismaVersion.client, meta });
const adapterError = (kind: string) => Object.assign(new Error(kind), { name: 'DriverAdapterError', cause: { kind } });

describe('a database that cannot be reached is told apart from a failing query', () => {
  test.each([
    ['no server at the address', known('P1001')],
    ['the server closed the connection', known('P1017')],
    ['no pooled connection in time', known('P2024')],
    [
      'a raw query whose connection closed',
      known('P2010', { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'ConnectionClosed' } } }),
    ],
    ['a transaction whose connection closed', adapterError('ConnectionClosed')],
    ['a transaction that could not connect', adapterError('DatabaseNotReachable')],
    ["pg's own error for a dropped connection", new Error('Connection terminated unexpectedly')],
  ])('%s: unreachable, answered 503', (_label, err) => {
    expect(isDatabaseUnreachable(err)).toBe(true);
    expect(isUnavailable(err)).toBe(true);
  });

  test.each([
    ['a unique constraint broken', known('P2002')],
    ['a record not found', known('P2025')],
    [
      'a raw query the server rejected',
      known('P2010', {
        driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'postgres', code: '42601' } },
      }),
    ],
    ['a constraint the adapter reported', adapterError('UniqueConstraintViolation')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'sku')")],
    ['not an error at all', undefined],
  ])('%s: a fault, answered 500', (_label, err) => {
    expect(isDatabaseUnreachable(err)).toBe(false);
    expect(isUnavailable(err)).toBe(false);
  });
});

/**
 * Whether a Prisma error means the database could not be reached (so trying again shortly may well succeed), as
 * opposed to a fault in the query or the data.
 */

/** Prisma's codes for a database it cannot reach: unreachable, timed out, connection closed, no pooled connection. */
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/**
 * The driver adapter's kinds for the same (`@prisma/adapter-pg` maps socket errors to them). Prisma does not always
 * convert them to a P1xxx code: a raw query that loses its connection fails as P2010 carrying the kind in its meta,
 * and a transaction that loses its connection can throw the adapter's own error.
 */
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

interface MaybePrismaError {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: { kind?: unknown };
  meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
}

export function isDatabaseUnreachable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as MaybePrismaError;
  if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
  const kind = e.name === 'DriverAdapterError' ? e.cause?.kind : e.meta?.driverAdapterError?.cause?.kind;
  if (typeof kind === 'string' && UNREACHABLE_KINDS.has(kind)) return true;
  // A connection that dies mid-query can reach us as pg's own error, unconverted by the driver adapter.
  return typeof e.message === 'string' && /^Connection terminated/.test(e.message);
}

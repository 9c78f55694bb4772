/** Turning codes in a request into rows, with a 422 naming what is unknown. */
import type { Db } from '../db/client';
import { HttpError } from './errors';

export async function locationByCode(db: Db, code: string) {
  const location = await db.location.findUnique({ where: { code } });
  if (!location) throw new HttpError(422, 'UNKNOWN_LOCATION', `No location ${code}`, { location: code });
  return location;
}

export async function requireKnownSkus(db: Db, list: string[]): Promise<void> {
  const skus = [...new Set(list)];
  const known = new Set((await db.productVariant.findMany({ where: { sku: { in: skus } } })).map((v) => v.sku));
  const unknown = skus.filter((s) => !known.has(s));
  if (unknown.length)
    throw new HttpError(422, 'UNKNOWN_SKU', `Unknown SKU(s): ${unknown.join(', ')}`, { skus: unknown });
}

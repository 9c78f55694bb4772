/** What a customer reads for an order line: the product's name and what tells the variant apart (size, colour). */
import type { Db } from '../db/client';

export interface NamedLine {
  /** The product's name; the SKU for a variant no longer in the catalogue. */
  name: string;
  /** The variant's attributes in the catalogue's order (`M`, `black`). */
  attributes: string[];
}

/** One read of the variants of `skus`: each SKU's name and attributes. */
export async function lineNames(db: Db, skus: readonly string[]): Promise<Map<string, NamedLine>> {
  const variants = await db.productVariant.findMany({
    where: { sku: { in: [...new Set(skus)] } },
    select: { sku: true, attributes: true, product: { select: { name: true } } },
  });
  const named = new Map(
    variants.map((v) => [
      v.sku,
      { name: v.product.name, attributes: Object.values((v.attributes ?? {}) as Record<string, string>) },
    ]),
  );
  for (const sku of skus) if (!named.has(sku)) named.set(sku, { name: sku, attributes: [] });
  return named;
}

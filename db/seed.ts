/**
 * Demo shop, loaded by `npm start` when the database has no products: a clothing store with
 * size/colour variants and a phone shop with storage variants (each phone with its IMEI), a warehouse
 * and a store, and stock with safety stock. And the birthday coupon promotion (a coupon's 9折, OMS_BIRTHDAY_PROMOTION),
 * which takes nothing off an order that gives no code.
 */
import type { Db } from './client';
import { withImeiCheckDigit } from '../domain/imei';

interface DemoProduct {
  code: string;
  name: string;
  category: string;
  serialised: boolean;
  variants: { sku: string; barcode: string; attributes: Record<string, string>; priceMinor: number }[];
}

const CLOTHING: DemoProduct[] = [
  {
    code: 'TEE-CLASSIC',
    name: 'Classic cotton T-shirt',
    category: 'clothing',
    serialised: false,
    variants: ['S', 'M', 'L'].flatMap((size, i) =>
      ['white', 'black'].map((colour, j) => ({
        sku: `TEE-${colour.toUpperCase().slice(0, 3)}-${size}`,
        barcode: `69012345${String(10 + i * 2 + j).padStart(5, '0')}`,
        attributes: { size, colour },
        priceMinor: 9_900,
      })),
    ),
  },
  {
    code: 'JEANS-SLIM',
    name: 'Slim-fit jeans',
    category: 'clothing',
    serialised: false,
    variants: ['30', '32', '34'].map((waist, i) => ({
      sku: `JEANS-BLU-${waist}`,
      barcode: `69012345${String(30 + i).padStart(5, '0')}`,
      attributes: { size: waist, colour: 'blue' },
      priceMinor: 29_900,
    })),
  },
];

const PHONES: DemoProduct[] = [
  {
    code: 'PHONE-X1',
    name: 'X1 smartphone',
    category: 'phones',
    serialised: true,
    variants: ['128GB', '256GB'].map((storage, i) => ({
      sku: `PHONE-X1-${storage}`,
      barcode: `69098765${String(10 + i).padStart(5, '0')}`,
      attributes: { storage, colour: 'graphite' },
      priceMinor: i === 0 ? 399_900 : 459_900,
    })),
  },
];

export async function seedDemoShop(db: Db): Promise<boolean> {
  if ((await db.product.count()) > 0) return false;
  let imeis = 0;
  await db.$transaction(async (tx) => {
    const warehouse = await tx.location.create({
      data: { code: 'WH-SH', name: 'Shanghai warehouse', kind: 'WAREHOUSE', priority: 10, ships: true, pickup: false },
    });
    const store = await tx.location.create({
      data: { code: 'ST-NJR', name: 'Nanjing Road store', kind: 'STORE', priority: 20, ships: true, pickup: true },
    });
    await tx.promotion.create({
      data: {
        code: 'BIRTHDAY',
        name: '生日九折券',
        kind: 'ORDER_PERCENT_OFF',
        definition: { rule: { kind: 'ORDER_PERCENT_OFF', percent: 10, fromMinor: 0 } },
        couponRequired: true,
        createdBy: 'demo data',
      },
    });
    for (const product of [...CLOTHING, ...PHONES]) {
      const { variants, ...fields } = product;
      await tx.product.create({ data: { ...fields, variants: { create: variants } } });
      for (const variant of variants) {
        const stock: [number, number, number][] = [
          [warehouse.id, product.serialised ? 20 : 100, product.serialised ? 5 : 10],
          [store.id, product.serialised ? 5 : 20, product.serialised ? 2 : 5],
        ];
        for (const [locationId, onHand, safetyStock] of stock) {
          await tx.stockLevel.create({ data: { sku: variant.sku, locationId, onHand, safetyStock } });
          await tx.stockMovement.create({
            data: {
              key: `seed:${variant.sku}:${locationId}`,
              kind: 'RECEIPT',
              sku: variant.sku,
              locationId,
              onHandDelta: onHand,
              reason: 'demo data',
            },
          });
          if (product.serialised) {
            const serials = Array.from({ length: onHand }, () =>
              withImeiCheckDigit(`35${String(++imeis).padStart(12, '0')}`),
            );
            await tx.serialUnit.createMany({
              data: serials.map((serial) => ({
                serial,
                sku: variant.sku,
                locationId,
                status: 'IN_STOCK',
                reference: 'demo data',
              })),
            });
            await tx.serialEvent.createMany({
              data: serials.map((serial) => ({ serial, kind: 'RECEIPT', locationId, reference: 'demo data' })),
            });
          }
        }
      }
    }
  });
  return true;
}

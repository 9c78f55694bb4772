/** The catalogue (products and their variants) and the shop's locations. */
import { Router } from 'express';
import { z } from 'zod';
import { text } from '../../domain/text';
import type { Db } from '../../db/client';
import { HttpError } from '../errors';
import { apiGroup, route } from '../operations';
import { parseBody } from '../validate';

const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash or underscore; at most 64');
const productSchema = z
  .object({
    code,
    name: text(200),
    category: text(64),
    serialised: z.boolean().default(false),
    variants: z
      .array(
        z
          .object({
            sku: code,
            barcode: z.string().regex(/^\d{8,14}$/, '8 to 14 digits'),
            priceMinor: z.number().int().min(0).max(1_000_000_000),
            attributes: z.record(text(50), text(100)),
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict();
const locationSchema = z
  .object({
    code,
    name: text(200),
    kind: z.enum(['STORE', 'WAREHOUSE']),
    priority: z.number().int().min(0).max(10_000).default(100),
    ships: z.boolean().default(true),
    pickup: z.boolean().default(false),
  })
  .strict();

/** A unique constraint hit: the code, SKU or barcode is taken. */
async function refuseDuplicates<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002')
      throw new HttpError(409, 'ALREADY_EXISTS', `${what} already exists`);
    throw err;
  }
}

export const catalogueApi = apiGroup({
  mount: '/api',
  tag: 'Catalogue',
  description: "Products with their variants (SKU, barcode, price), and the shop's locations.",
  operations: {
    listProducts: {
      method: 'get',
      path: '/products',
      summary: 'Every product with its variants',
      permission: 'catalogue.read',
      responses: { 200: '`{products}`, each with its `variants`' },
    },
    createProduct: {
      method: 'post',
      path: '/products',
      summary: 'Add a product and its variants',
      permission: 'catalogue.write',
      body: productSchema,
      responses: { 201: 'The product with its variants' },
      errors: { 409: '`ALREADY_EXISTS`: the code, a SKU or a barcode is taken' },
    },
    listLocations: {
      method: 'get',
      path: '/locations',
      summary: 'Every location (stores and warehouses), by priority',
      permission: 'catalogue.read',
      responses: { 200: '`{locations}`' },
    },
    createLocation: {
      method: 'post',
      path: '/locations',
      summary: 'Add a store or warehouse',
      permission: 'catalogue.write',
      body: locationSchema,
      responses: { 201: 'The location' },
      errors: { 409: '`ALREADY_EXISTS`: the code is taken' },
    },
  },
});

export function catalogueRoutes(db: Db): Router {
  const router = Router();
  const { operations } = catalogueApi;

  route(router, operations.listProducts, async (_req, res) => {
    const products = await db.product.findMany({
      include: { variants: { orderBy: { sku: 'asc' } } },
      orderBy: { code: 'asc' },
    });
    res.json({ products });
  });

  route(router, operations.createProduct, async (req, res) => {
    const { variants, ...product } = parseBody(productSchema, req.body);
    const created = await refuseDuplicates('A product with that code, or a variant with that SKU or barcode,', () =>
      db.product.create({
        data: {
          ...product,
          variants: { create: variants.map((v) => ({ ...v, attributes: v.attributes })) },
        },
        include: { variants: true },
      }),
    );
    res.status(201).json(created);
  });

  route(router, operations.listLocations, async (_req, res) => {
    res.json({ locations: await db.location.findMany({ orderBy: [{ priority: 'asc' }, { id: 'asc' }] }) });
  });

  route(router, operations.createLocation, async (req, res) => {
    const location = parseBody(locationSchema, req.body);
    res
      .status(201)
      .json(await refuseDuplicates(`Location ${location.code}`, () => db.location.create({ data: location })));
  });

  return router;
}

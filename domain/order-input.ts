/** The intake schema: what any sales channel must send to POST /api/orders. */
import { z } from 'zod';
import { SALES_CHANNELS } from './order-status';

const text = (max: number) => z.string().trim().min(1).max(max);

export const orderInputSchema = z
  .object({
    channel: z.enum(SALES_CHANNELS),
    externalId: text(100),
    customer: z
      .object({
        name: text(200),
        email: z.email().max(254),
        phone: text(40),
      })
      .strict(),
    shippingAddress: z
      .object({
        line1: text(200),
        line2: z.string().trim().max(200).optional(),
        city: text(100),
        region: z.string().trim().max(100).optional(),
        postalCode: text(20),
        country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 two-letter country code, e.g. CN'),
      })
      .strict(),
    lines: z
      .array(
        z
          .object({
            sku: text(64),
            quantity: z.number().int().min(1).max(10_000),
          })
          .strict(),
      )
      .min(1)
      .max(100),
    payment: z.object({ status: z.enum(['PAID', 'PENDING', 'COD']) }).strict(),
    language: z.enum(['en', 'zh-CN']).default('en'),
  })
  .strict();

export type OrderInput = z.infer<typeof orderInputSchema>;
export type ShippingAddress = OrderInput['shippingAddress'];

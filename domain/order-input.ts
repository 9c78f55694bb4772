/** The intake schema: what any sales channel must send to POST /api/orders. */
import { z } from 'zod';
import { optionalText, text } from './text';
import { SALES_CHANNELS, type SalesChannel } from './order-status';

export const LANGUAGES = ['en', 'zh-CN'] as const;

/**
 * What each channel must know of its customer besides a name: a web or marketplace order is confirmed and tracked
 * by email and delivered to a phone; a phone order is called back; a till sale needs nobody (a walk-in who pays and
 * takes the goods), and names what it is given.
 */
export const CUSTOMER_DETAILS_NEEDED: Record<SalesChannel, readonly ('email' | 'phone')[]> = {
  web: ['email', 'phone'],
  marketplace: ['email', 'phone'],
  phone: ['phone'],
  pos: [],
};

/** Where a SHIP order goes: at intake, and when staff or the customer correct it (domain/order-edits.ts). */
export const shippingAddressSchema = z
  .object({
    line1: text(200),
    line2: optionalText(200),
    city: text(100),
    region: optionalText(100),
    postalCode: text(20),
    country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 two-letter country code, e.g. CN'),
  })
  .strict();

const customerRequiredMessage = 'Required unless the order is a till (pos) sale';

export const orderInputSchema = z
  .object({
    channel: z.enum(SALES_CHANNELS),
    externalId: text(100),
    /** Who buys. A till (pos) sale may name nobody; pos and phone sales may give no email (such customers get none). */
    customer: z
      .object({
        name: text(200),
        email: z.email().max(254).optional(),
        phone: text(40).optional(),
      })
      .strict()
      .optional()
      .describe(
        'Required unless a till (pos) sale. web and marketplace orders give email and phone; a phone order its phone; a pos sale may give a name alone, or nothing.',
      ),
    shippingAddress: shippingAddressSchema.optional(),
    /** Location code of the store where the customer collects (click & collect; required for pos sales). */
    pickupStore: text(32).optional(),
    urgent: z.boolean().default(false),
    lines: z
      .array(
        z
          .object({
            sku: text(64),
            quantity: z.number().int().min(1).max(10_000),
            paidMinor: z
              .number()
              .int()
              .min(0)
              .max(1_000_000_000)
              .optional()
              .describe(
                'Marketplace orders only: what the platform charged for the line (its promotions taken off). Kept as the price; our own quote is compared at review.',
              ),
          })
          .strict(),
      )
      .min(1)
      .max(100),
    couponCodes: z
      .array(text(40))
      .min(1)
      .max(5)
      .optional()
      .describe(
        'Coupon codes the customer gives. Each must exist, be valid now and take something off, or the order is refused (422); a use is taken with the order and given back if it is cancelled.',
      ),
    payment: z
      .object({
        status: z.enum(['PAID', 'PENDING', 'COD']),
        /**
         * The payment provider's reference for the money a PAID order was paid with (a card terminal's, the web
         * shop's checkout's, the till's). The provider must confirm it at review, or the order waits for staff.
         */
        reference: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{3,99}$/, '4 to 100 letters, digits and . _ : / -')
          .optional(),
      })
      .strict(),
    /** The customer's language for emails; the shop's (OMS_LANGUAGE) when omitted. */
    language: z.enum(LANGUAGES).optional(),
    pointsToRedeem: z
      .number()
      .int()
      .min(1)
      .max(100_000_000)
      .optional()
      .describe(
        "Points (积分) the customer pays with, each worth OMS_POINT_VALUE_MINOR fen; the payment covers the rest. Taken off the customer's balance with the order, or the order is refused (422). Not for marketplace orders.",
      ),
  })
  .strict()
  .superRefine((order, ctx) => {
    const needs = CUSTOMER_DETAILS_NEEDED[order.channel];
    if (!order.customer) {
      if (needs.length) ctx.addIssue({ code: 'custom', path: ['customer'], message: customerRequiredMessage });
    } else {
      for (const field of needs) {
        if (!order.customer[field]) {
          ctx.addIssue({
            code: 'custom',
            path: ['customer', field],
            message: `Required for ${order.channel} orders (${field === 'email' ? 'only pos and phone sales may leave it out' : 'only a pos sale may leave it out'})`,
          });
        }
      }
    }
    if (order.payment.reference && order.payment.status !== 'PAID') {
      ctx.addIssue({
        code: 'custom',
        path: ['payment', 'reference'],
        message: 'Only a PAID order names the payment it was paid with',
      });
    }
    if (order.pointsToRedeem && order.channel === 'marketplace') {
      ctx.addIssue({
        code: 'custom',
        path: ['pointsToRedeem'],
        message: 'A marketplace order is paid on the platform: our points are not taken there',
      });
    }
    if (order.channel === 'marketplace') {
      if (order.couponCodes) {
        ctx.addIssue({
          code: 'custom',
          path: ['couponCodes'],
          message: "A marketplace order is priced by the platform: the shop's coupons are not taken there",
        });
      }
      const priced = order.lines.filter((l) => l.paidMinor !== undefined).length;
      if (priced > 0 && priced < order.lines.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines'],
          message: 'Give paidMinor on every line of the order, or on none',
        });
      }
    } else {
      order.lines.forEach((line, i) => {
        if (line.paidMinor !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['lines', i, 'paidMinor'],
            message: 'Only a marketplace order brings its own price: the shop prices the others itself',
          });
        }
      });
    }
    if (order.channel === 'pos' && !order.pickupStore) {
      ctx.addIssue({ code: 'custom', path: ['pickupStore'], message: 'An in-store (pos) sale names its store' });
    }
    if (!order.pickupStore && !order.shippingAddress) {
      ctx.addIssue({
        code: 'custom',
        path: ['shippingAddress'],
        message: 'Required unless the order is collected in store',
      });
    }
  });

export type OrderInput = z.infer<typeof orderInputSchema>;
export type ShippingAddress = NonNullable<OrderInput['shippingAddress']>;

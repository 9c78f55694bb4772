/** What an order edit may send (PATCH /api/orders/:orderNumber; the rules of when are domain/order-edits.ts). */
import { z } from 'zod';
import { shippingAddressSchema } from './order-input';
import { note, text } from './text';

const lineEditSchema = z
  .object({
    lineNo: z.number().int().min(1),
    sku: text(64).optional(),
    quantity: z.number().int().min(1).max(10_000).optional(),
    remove: z.literal(true).optional(),
  })
  .strict()
  .refine((l) => l.remove || l.sku !== undefined || l.quantity !== undefined, {
    message: 'Give a new sku or quantity, or remove: true',
  })
  .refine((l) => !(l.remove && (l.sku !== undefined || l.quantity !== undefined)), {
    message: 'A removed line takes no sku or quantity',
  });

export const orderEditSchema = z
  .object({
    shippingAddress: shippingAddressSchema.optional(),
    customer: z
      .object({
        name: text(200).optional(),
        // null takes the email or phone off (a phone or till sale may have none; review says if it is needed)
        email: z.email().max(254).nullable().optional(),
        phone: text(40).nullable().optional(),
      })
      .strict()
      .refine((c) => Object.keys(c).length > 0, { message: 'Give a name, email or phone to change' })
      .optional(),
    note: note(500),
    lines: z.array(lineEditSchema).min(1).max(100).optional(),
    /** Why (kept in the timeline), e.g. "customer called". */
    reason: note(500),
  })
  .strict();

export type OrderEdit = z.infer<typeof orderEditSchema>;
export type LineEdit = NonNullable<OrderEdit['lines']>[number];

/** An edit that changes nothing (only a reason, or nothing at all): refused with 422 by the route. */
export const changesNothing = (edit: OrderEdit) =>
  !edit.shippingAddress && !edit.customer && edit.note === undefined && !edit.lines;

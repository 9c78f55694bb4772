/**
 * Customer segments for a campaign (精准营销): staff pick customers by tier, last purchase, a category or SKU they
 * bought and what they spent. Only customers who said yes to marketing are ever in a segment, whatever is asked.
 */
import { z } from 'zod';

const day = z.iso.date('A date as YYYY-MM-DD');
const amount = z.coerce.number().int().min(0).max(2_147_483_647);

/** The criteria as a query string gives them; every one is optional, and all that are given must hold. */
export const segmentCriteriaSchema = z
  .object({
    /** Tier codes, comma-separated (`GOLD,VIP`). */
    tiers: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*(,[A-Z][A-Z0-9_]*)*$/, 'Tier codes, comma-separated, e.g. GOLD,VIP')
      .transform((s) => s.split(','))
      .optional(),
    /** Last purchase on or after this day. */
    lastPurchaseFrom: day.optional(),
    /** Last purchase on or before this day (a customer who has not bought since a day: a win-back campaign). */
    lastPurchaseTo: day.optional(),
    /** Bought something of this product category. */
    category: z.string().trim().min(1).max(100).optional(),
    /** Bought this SKU. */
    sku: z.string().trim().min(1).max(64).optional(),
    /** Spend net of refunds (fen), at least / at most. */
    minSpendMinor: amount.optional(),
    maxSpendMinor: amount.optional(),
  })
  .strict()
  .refine((c) => !c.lastPurchaseFrom || !c.lastPurchaseTo || c.lastPurchaseFrom <= c.lastPurchaseTo, {
    message: 'lastPurchaseFrom is after lastPurchaseTo',
    path: ['lastPurchaseFrom'],
  })
  .refine((c) => c.minSpendMinor === undefined || c.maxSpendMinor === undefined || c.minSpendMinor <= c.maxSpendMinor, {
    message: 'minSpendMinor is above maxSpendMinor',
    path: ['minSpendMinor'],
  });

export type SegmentCriteria = z.output<typeof segmentCriteriaSchema>;

/** What a segment is decided on, per customer. */
export interface CustomerFacts {
  marketingConsent: boolean;
  /** Merged away or erased: not a person to contact any more. */
  active: boolean;
  tierCode: string;
  lastPurchaseAt: Date | null;
  spendMinor: number;
  skus: ReadonlySet<string>;
  categories: ReadonlySet<string>;
}

/** Whether a customer is in the segment: they consented, and every criterion given holds. */
export function inSegment(facts: CustomerFacts, criteria: SegmentCriteria): boolean {
  if (!facts.marketingConsent || !facts.active) return false;
  if (criteria.tiers && !criteria.tiers.includes(facts.tierCode)) return false;
  const last = facts.lastPurchaseAt?.toISOString().slice(0, 10);
  if (criteria.lastPurchaseFrom && (!last || last < criteria.lastPurchaseFrom)) return false;
  if (criteria.lastPurchaseTo && (!last || last > criteria.lastPurchaseTo)) return false;
  if (criteria.category && !facts.categories.has(criteria.category)) return false;
  if (criteria.sku && !facts.skus.has(criteria.sku)) return false;
  if (criteria.minSpendMinor !== undefined && facts.spendMinor < criteria.minSpendMinor) return false;
  if (criteria.maxSpendMinor !== undefined && facts.spendMinor > criteria.maxSpendMinor) return false;
  return true;
}

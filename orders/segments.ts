/**
 * A customer segment from the database (the rule is domain/segments.ts): consenting customers, a page at a time,
 * with what they bought, decided one by one; as rows for a CSV file an SMS or WeChat tool can import.
 */
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../db/client';
import { inSegment, type SegmentCriteria } from '../domain/segments';
import { NOT_PURCHASES } from '../domain/customers';
import { spreadsheetSafe } from '../domain/spreadsheet-cells';
import { tierByCode, type TierRule } from '../domain/loyalty';

const PAGE = 500;

export interface SegmentMember {
  id: number;
  name: string;
  mobile: string | null;
  email: string | null;
  tier: string;
  lastPurchaseAt: Date | null;
  orderCount: number;
  spendMinor: number;
}

/** Every consenting customer the criteria pick, oldest record first. */
export async function segmentMembers(
  db: Db,
  criteria: SegmentCriteria,
  tiers: readonly TierRule[],
): Promise<SegmentMember[]> {
  const members: SegmentMember[] = [];
  for (let after = 0; ;) {
    const page = await db.customer.findMany({
      // Consent first in the query too: nobody else's purchases are even read.
      where: { id: { gt: after }, marketingConsent: true, mergedIntoId: null, erasedAt: null },
      orderBy: { id: 'asc' },
      take: PAGE,
      select: {
        id: true,
        name: true,
        mobile: true,
        email: true,
        tierCode: true,
        marketingConsent: true,
        orders: {
          where: { status: { notIn: [...NOT_PURCHASES] } },
          select: {
            totalMinor: true,
            createdAt: true,
            refunds: { select: { amountMinor: true } },
            lines: { select: { sku: true } },
          },
        },
      },
    });
    if (!page.length) return members;
    const skus = [...new Set(page.flatMap((c) => c.orders.flatMap((o) => o.lines.map((l) => l.sku))))];
    const variants = await db.productVariant.findMany({
      where: { sku: { in: skus } },
      select: { sku: true, product: { select: { category: true } } },
    });
    const categoryOf = new Map(variants.map((v) => [v.sku, v.product.category]));
    for (const c of page) {
      const bought = new Set(c.orders.flatMap((o) => o.lines.map((l) => l.sku)));
      const times = c.orders.map((o) => o.createdAt.getTime());
      const facts = {
        marketingConsent: c.marketingConsent,
        active: true,
        tierCode: c.tierCode,
        lastPurchaseAt: times.length ? new Date(Math.max(...times)) : null,
        spendMinor: c.orders.reduce(
          (sum, o) => sum + o.totalMinor - o.refunds.reduce((r, x) => r + x.amountMinor, 0),
          0,
        ),
        skus: bought,
        categories: new Set([...bought].map((sku) => categoryOf.get(sku)).filter((x): x is string => Boolean(x))),
      };
      if (!inSegment(facts, criteria)) continue;
      members.push({
        id: c.id,
        name: c.name,
        mobile: c.mobile,
        email: c.email,
        tier: tierByCode(c.tierCode, tiers).name,
        lastPurchaseAt: facts.lastPurchaseAt,
        orderCount: c.orders.length,
        spendMinor: facts.spendMinor,
      });
    }
    after = page[page.length - 1].id;
  }
}

const COLUMNS = ['customerId', 'name', 'mobile', 'email', 'tier', 'lastPurchase', 'orders', 'spendYuan'];

/** The segment as CSV (UTF-8 with a BOM, so a spreadsheet shows the Chinese names right). */
export function segmentCsv(members: readonly SegmentMember[]): string {
  const rows = members.map((m) =>
    [
      m.id,
      m.name,
      m.mobile ?? '',
      m.email ?? '',
      m.tier,
      m.lastPurchaseAt?.toISOString().slice(0, 10) ?? '',
      m.orderCount,
      Number((m.spendMinor / 100).toFixed(2)),
    ].map(spreadsheetSafe),
  );
  return `\uFEFF${stringify([COLUMNS, ...rows])}`;
}

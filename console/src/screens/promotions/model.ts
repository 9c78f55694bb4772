/**
 * The promotions editor's form and the POST /api/promotions body built from it (domain/promotions.ts): amounts typed
 * in yuan and sent in fen, lists typed with spaces or commas between. Price lists and member prices, long lists of
 * SKUs, are set up through the API or its CSV-minded callers, not here.
 */
export const EDITABLE_KINDS = [
  'THRESHOLD_OFF',
  'PERCENT_OFF',
  'AMOUNT_OFF',
  'BUY_N_GET_M',
  'ORDER_PERCENT_OFF',
  'THRESHOLD_GIFT',
] as const;
export type EditableKind = (typeof EDITABLE_KINDS)[number];

export type TargetBy = 'all' | 'skus' | 'products' | 'categories';

export interface PromotionDraft {
  code: string;
  name: string;
  kind: EditableKind;
  /** 满减 steps in yuan: from, off. */
  steps: { from: number | null; off: number | null }[];
  percent: number | null;
  amountYuan: number | null;
  fromYuan: number | null;
  buy: number | null;
  free: number | null;
  giftSku: string;
  giftQuantity: number | null;
  targetBy: TargetBy;
  target: string;
  channels: string[];
  couponRequired: boolean;
  exclusive: boolean;
  priority: number;
  /** ISO instants, or none. */
  startsAt?: string;
  endsAt?: string;
}

export const emptyPromotion = (): PromotionDraft => ({
  code: '',
  name: '',
  kind: 'THRESHOLD_OFF',
  steps: [{ from: 300, off: 30 }],
  percent: 10,
  amountYuan: 10,
  fromYuan: 0,
  buy: 2,
  free: 1,
  giftSku: '',
  giftQuantity: 1,
  targetBy: 'all',
  target: '',
  channels: [],
  couponRequired: false,
  exclusive: false,
  priority: 0,
});

const fen = (yuan: number | null) => Math.round((yuan ?? 0) * 100);
export const listOf = (text: string) =>
  text
    .split(/[\s,，]+/)
    .map((s) => s.trim())
    .filter(Boolean);

function target(d: PromotionDraft) {
  const items = listOf(d.target);
  return d.targetBy === 'all' || items.length === 0 ? {} : { target: { [d.targetBy]: items } };
}

export function ruleOf(d: PromotionDraft): Record<string, unknown> {
  switch (d.kind) {
    case 'THRESHOLD_OFF':
      return {
        kind: d.kind,
        steps: d.steps.map((s) => ({ fromMinor: fen(s.from), offMinor: fen(s.off) })),
        ...target(d),
      };
    case 'PERCENT_OFF':
      return { kind: d.kind, percent: d.percent, ...target(d) };
    case 'AMOUNT_OFF':
      return { kind: d.kind, amountMinor: fen(d.amountYuan), ...target(d) };
    case 'BUY_N_GET_M':
      return { kind: d.kind, buy: d.buy, free: d.free, ...target(d) };
    case 'ORDER_PERCENT_OFF':
      return { kind: d.kind, percent: d.percent, fromMinor: fen(d.fromYuan), ...target(d) };
    case 'THRESHOLD_GIFT':
      return {
        kind: d.kind,
        fromMinor: fen(d.fromYuan),
        giftSku: d.giftSku.trim(),
        giftQuantity: d.giftQuantity,
        ...target(d),
      };
  }
}

/** The body of POST /api/promotions, and the `draft` of a live quote. */
export function promotionBody(d: PromotionDraft): Record<string, unknown> {
  return {
    code: d.code.trim().toUpperCase(),
    name: d.name.trim(),
    rule: ruleOf(d),
    ...(d.channels.length ? { channels: d.channels } : {}),
    ...(d.startsAt ? { startsAt: d.startsAt } : {}),
    ...(d.endsAt ? { endsAt: d.endsAt } : {}),
    couponRequired: d.couponRequired,
    exclusive: d.exclusive,
    priority: d.priority,
  };
}

/** A test basket typed as `SKU×2 SKU` (one unit when no count is given). */
export function basketOf(text: string): { sku: string; quantity: number }[] {
  return listOf(text).map((item) => {
    const [sku, count] = item.split(/[×x*]/i);
    const quantity = Number(count);
    return { sku: sku.trim(), quantity: Number.isInteger(quantity) && quantity > 0 ? quantity : 1 };
  });
}

export interface PromotionRow {
  code: string;
  name: string;
  kind: string;
  status: 'RUNNING' | 'SCHEDULED' | 'ENDED';
  rule: Record<string, unknown>;
  channels?: string[];
  startsAt: string | null;
  endsAt: string | null;
  couponRequired: boolean;
  exclusive: boolean;
  priority: number;
}

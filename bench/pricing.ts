/**
 * The pricing scenario: a 50-line basket against 200 running promotions of every kind, priced by the engine in
 * process (domain/pricing.ts, the goal: under 5 ms) and quoted through the API (POST /api/pricing/quote: the
 * promotions read from the database, the customer's tier, gift stock). The promotions aim at the scenario's own
 * product and are ended afterwards, so they price no other scenario's orders.
 */
import { performance } from 'node:perf_hooks';
import { quoteBasket, type CatalogueEntry } from '../domain/pricing';
import type { PromotionInput, PromotionRule } from '../domain/promotions';
import { promotionInputSchema } from '../domain/promotions';
import { newProduct } from '../test/support/orders';
import type { BenchContext } from './scenarios';
import { check } from './scenarios';
import type { PricingResult } from './result';
import { summarize } from './stats';

const GOAL_MS = 5;

/** 200 promotions as a busy shop might run them: item discounts, 满减 steps, coupons, gifts, price lists. */
function promotionsFor(runId: string, product: string, skus: string[]): PromotionInput[] {
  const sku = (i: number) => skus[i % skus.length];
  const kinds: ((i: number) => PromotionRule)[] = [
    (i) => ({ kind: 'PERCENT_OFF', percent: 5 + (i % 20), target: { skus: [sku(i), sku(i + 7)] } }),
    (i) => ({ kind: 'AMOUNT_OFF', amountMinor: 100 + i, target: { skus: [sku(i * 3)] } }),
    (i) => ({ kind: 'BUY_N_GET_M', buy: 2, free: 1, target: { skus: [sku(i * 5)] } }),
    (i) => ({
      kind: 'THRESHOLD_OFF',
      steps: [
        { fromMinor: 30_000 + i * 100, offMinor: 3_000 },
        { fromMinor: 50_000 + i * 100, offMinor: 6_000 },
        { fromMinor: 100_000 + i * 100, offMinor: 15_000 },
      ],
      target: { products: [product] },
    }),
    (i) => ({ kind: 'ORDER_PERCENT_OFF', percent: 2 + (i % 5), fromMinor: 20_000, target: { products: [product] } }),
    (i) => ({
      kind: 'THRESHOLD_GIFT',
      fromMinor: 40_000 + i * 1_000,
      giftSku: sku(i),
      giftQuantity: 1,
      target: { products: [product] },
    }),
    (i) => ({ kind: 'PRICE_LIST', prices: [{ sku: sku(i), priceMinor: 8_000 + (i % 10) * 100 }] }),
    (i) => ({ kind: 'MEMBER_PRICE', prices: [{ sku: sku(i * 11), tiers: ['GOLD', 'VIP'], priceMinor: 7_500 }] }),
  ];
  return Array.from({ length: 200 }, (_, i) =>
    promotionInputSchema.parse({
      code: `B${runId.toUpperCase()}${i}`,
      name: `bench ${i}`,
      rule: kinds[i % kinds.length](i),
      exclusive: i % 9 === 0,
      priority: i % 4,
      ...(i % 13 === 0 ? { channels: ['web', 'pos'] } : {}),
      ...(i % 17 === 0 ? { hours: { weekdays: [1, 2, 3, 4, 5, 6, 7], from: '00:00', until: '23:59' } } : {}),
    }),
  );
}

export async function pricingScenario(
  ctx: BenchContext,
  options: { iterations: number; quotes: number },
): Promise<PricingResult> {
  const sizes = Array.from({ length: 50 }, (_, i) => `S${i + 1}`);
  const product = await newProduct(ctx.system, { sizes, priceMinor: 9_900, stock: { 'WH-SH': 20 } });
  const skus = product.variants.map((v) => v.sku);
  const inputs = promotionsFor(ctx.runId, product.code, skus);
  const lines = skus.map((sku, i) => ({ sku, quantity: 1 + (i % 3) }));

  // In process: the engine alone, on promotions as the database hands them over.
  const promotions = inputs.map((p, i) => ({
    id: i + 1,
    code: p.code,
    name: p.name,
    rule: p.rule,
    channels: p.channels,
    hours: p.hours,
    couponRequired: false,
    exclusive: p.exclusive,
    priority: p.priority,
  }));
  const catalogue = new Map<string, CatalogueEntry>(
    skus.map((sku) => [sku, { priceMinor: 9_900, product: product.code, category: 'clothing' }]),
  );
  const request = {
    lines,
    catalogue,
    promotions,
    channel: 'web' as const,
    tier: { code: 'GOLD', name: '金卡', discountPercent: 5 },
    at: new Date(),
    timeZone: 'Asia/Shanghai',
  };
  for (let i = 0; i < 100; i++) quoteBasket(request);
  const engineUs: number[] = [];
  let discountMinor = 0;
  for (let i = 0; i < options.iterations; i++) {
    const t0 = performance.now();
    discountMinor = quoteBasket(request).discountMinor;
    engineUs.push((performance.now() - t0) * 1000);
  }

  // Through the API: the same promotions stored and running.
  for (const input of inputs) {
    const created = await ctx.system.api('POST', '/api/promotions', input);
    if (created.status !== 201)
      throw new Error(`POST /api/promotions: ${created.status} ${JSON.stringify(created.body)}`);
  }
  const quoteMs: number[] = [];
  let apiTotal: number | undefined;
  try {
    for (let i = 0; i < options.quotes; i++) {
      const t0 = performance.now();
      const answer = await ctx.system.api<{ totalMinor: number }>('POST', '/api/pricing/quote', {
        channel: 'web',
        lines,
      });
      quoteMs.push(performance.now() - t0);
      if (answer.status !== 200) throw new Error(`POST /api/pricing/quote: ${answer.status}`);
      apiTotal = answer.body.totalMinor;
    }
  } finally {
    for (const input of inputs) await ctx.system.api('POST', `/api/promotions/${input.code}/end`, {});
  }

  const engine = summarize(engineUs);
  // The goal is read from full runs: a quick run's 200 baskets on a busy machine say little about it.
  if (!ctx.quick) {
    check(
      ctx,
      `pricing: ${lines.length} lines against ${inputs.length} promotions in under ${GOAL_MS} ms (p50)`,
      engine.p50 !== null && engine.p50 < GOAL_MS * 1000,
      `p50 ${engine.p50} µs, p99 ${engine.p99} µs`,
    );
  }
  check(
    ctx,
    'pricing: the promotions took something off',
    discountMinor > 0 && apiTotal !== undefined,
    `${discountMinor} fen`,
  );
  return {
    lines: lines.length,
    promotions: inputs.length,
    iterations: options.iterations,
    engineUs: engine,
    quoteMs: summarize(quoteMs),
    goalMs: GOAL_MS,
  };
}

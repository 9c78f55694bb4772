/** Who a campaign segment picks (domain/segments.ts): only consenting, active customers, and every criterion given. */
import { inSegment, segmentCriteriaSchema, type CustomerFacts } from '../../domain/segments';

const facts: CustomerFacts = {
  marketingConsent: true,
  active: true,
  tierCode: 'GOLD',
  lastPurchaseAt: new Date('2026-06-15T08:00:00Z'),
  spendMinor: 350_000,
  skus: new Set(['JEANS-BLU-32']),
  categories: new Set(['clothing']),
};
const criteria = (query: Record<string, string>) => segmentCriteriaSchema.parse(query);

test('no criteria: every consenting, active customer; never one who said no, or a merged or erased record', () => {
  expect(inSegment(facts, criteria({}))).toBe(true);
  expect(inSegment({ ...facts, marketingConsent: false }, criteria({}))).toBe(false);
  expect(inSegment({ ...facts, active: false }, criteria({}))).toBe(false);
});

test('every criterion given must hold', () => {
  expect(inSegment(facts, criteria({ tiers: 'GOLD,VIP' }))).toBe(true);
  expect(inSegment(facts, criteria({ tiers: 'VIP' }))).toBe(false);
  expect(inSegment(facts, criteria({ lastPurchaseFrom: '2026-06-15', lastPurchaseTo: '2026-06-15' }))).toBe(true);
  expect(inSegment(facts, criteria({ lastPurchaseFrom: '2026-06-16' }))).toBe(false);
  // Win-back: nothing bought since the spring.
  expect(inSegment(facts, criteria({ lastPurchaseTo: '2026-04-30' }))).toBe(false);
  expect(inSegment({ ...facts, lastPurchaseAt: null }, criteria({ lastPurchaseTo: '2026-04-30' }))).toBe(false);
  expect(inSegment(facts, criteria({ category: 'clothing', sku: 'JEANS-BLU-32' }))).toBe(true);
  expect(inSegment(facts, criteria({ category: 'phones' }))).toBe(false);
  expect(inSegment(facts, criteria({ minSpendMinor: '350000', maxSpendMinor: '350000' }))).toBe(true);
  expect(inSegment(facts, criteria({ minSpendMinor: '350001' }))).toBe(false);
  expect(inSegment(facts, criteria({ tiers: 'GOLD', category: 'phones' }))).toBe(false);
});

test('criteria that cannot be are refused with the reason', () => {
  const issues = (query: Record<string, string>) =>
    segmentCriteriaSchema.safeParse(query).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  expect(issues({ tiers: 'gold' })).toEqual(['tiers: Tier codes, comma-separated, e.g. GOLD,VIP']);
  expect(issues({ lastPurchaseFrom: '2026-13-01' })).toEqual(['lastPurchaseFrom: A date as YYYY-MM-DD']);
  expect(issues({ lastPurchaseFrom: '2026-06-02', lastPurchaseTo: '2026-06-01' })).toEqual([
    'lastPurchaseFrom: lastPurchaseFrom is after lastPurchaseTo',
  ]);
  expect(issues({ minSpendMinor: '10', maxSpendMinor: '5' })).toEqual([
    'minSpendMinor: minSpendMinor is above maxSpendMinor',
  ]);
  expect(issues({ minSpendMinor: '-1' })?.[0]).toMatch(/^minSpendMinor:/);
  expect(issues({ colour: 'red' })?.[0]).toMatch(/colour/);
});

/**
 * Property-based tests (fast-check) for the pure rules: whatever the input, routing never plans
 * stock that is not there, prices add up, review answers with known reasons, picking accepts exactly
 * the shipment, and refunds never exceed what was paid.
 */
import fc from 'fast-check';
import { planAllocation, type Availability } from '../../domain/routing';
import { orderTotalMinor } from '../../domain/pricing';
import { REVIEW_REASON_CODES, reviewOrder } from '../../domain/review';
import { checkPickScans } from '../../domain/picking';
import { checkReturnLines, refundAmountMinor } from '../../domain/after-sales';

const SKUS = ['A', 'B', 'C'];
const sku = fc.constantFrom(...SKUS);
const lines = fc
  .array(fc.record({ sku, quantity: fc.integer({ min: 0, max: 12 }) }), { minLength: 1, maxLength: 5 })
  .map((ls) => ls.map((l, i) => ({ ...l, lineNo: i + 1 })));
const locations = fc.uniqueArray(
  fc.record({ id: fc.integer({ min: 1, max: 6 }), priority: fc.integer({ min: 1, max: 50 }), ships: fc.boolean() }),
  { minLength: 1, maxLength: 4, selector: (l) => l.id },
);
/** (sku, quantity) pairs spread over the locations; negative figures stand for corrupt data and count as 0. */
const stockFor = (ids: number[]) =>
  fc.array(fc.tuple(sku, fc.integer({ min: -2, max: 15 })), { maxLength: 3 * ids.length });

function availability(ids: number[], pairs: [string, number][]): Availability {
  const map = new Map<number, Map<string, number>>();
  pairs.forEach(([s, qty], i) => {
    const id = ids[i % ids.length];
    const stock = map.get(id) ?? new Map<string, number>();
    stock.set(s, qty);
    map.set(id, stock);
  });
  return map;
}

describe('routing (property)', () => {
  test('never plans more than is available, and a full plan covers every line exactly', () => {
    fc.assert(
      fc.property(
        lines,
        locations.chain((locs) => fc.tuple(fc.constant(locs), stockFor(locs.map((l) => l.id)))),
        fc.boolean(),
        (orderLines, [locs, pairs], partial) => {
          const available = availability(
            locs.map((l) => l.id),
            pairs,
          );
          const plan = planAllocation(orderLines, locs, available, { partial });
          if (plan === null) return !partial;
          const used = new Map<string, number>();
          for (const shipment of plan) {
            const location = locs.find((l) => l.id === shipment.locationId);
            if (!location?.ships) return false; // only shipping locations send parcels
            for (const line of shipment.lines) {
              if (line.quantity <= 0) return false;
              const key = `${shipment.locationId}:${line.sku}`;
              used.set(key, (used.get(key) ?? 0) + line.quantity);
            }
          }
          for (const [key, qty] of used) {
            const [id, s] = key.split(':');
            if (qty > Math.max(0, available.get(Number(id))?.get(s) ?? 0)) return false;
          }
          for (const line of orderLines) {
            const planned = plan.flatMap((p) => p.lines).filter((l) => l.lineNo === line.lineNo);
            const total = planned.reduce((sum, l) => sum + l.quantity, 0);
            if (total > line.quantity) return false;
            if (!partial && total !== line.quantity) return false;
          }
          return true;
        },
      ),
      { numRuns: 500 },
    );
  });

  test('a pickup order takes stock only from its own store', () => {
    fc.assert(
      fc.property(lines, stockFor([1, 2]), fc.boolean(), (orderLines, pairs, partial) => {
        const locs = [
          { id: 1, priority: 1, ships: true },
          { id: 2, priority: 2, ships: false },
        ];
        const plan = planAllocation(orderLines, locs, availability([1, 2], pairs), { onlyLocationId: 2, partial });
        return plan === null || plan.every((s) => s.locationId === 2);
      }),
    );
  });
});

describe('pricing (property)', () => {
  const priced = fc.array(
    fc.record({
      sku,
      quantity: fc.integer({ min: 1, max: 10_000 }),
      unitPriceMinor: fc.integer({ min: 0, max: 10_000_000 }),
    }),
    { maxLength: 20 },
  );
  test('the total is the sum of quantity × price, in whole minor units, and splits add up', () => {
    fc.assert(
      fc.property(priced, priced, (a, b) => {
        const total = orderTotalMinor([...a, ...b]);
        return Number.isInteger(total) && total >= 0 && total === orderTotalMinor(a) + orderTotalMinor(b);
      }),
    );
  });
});

describe('review (property)', () => {
  const text = fc.string({ maxLength: 30 });
  test('any order gets only known reasons, and never throws', () => {
    fc.assert(
      fc.property(
        fc.record({
          channel: fc.constantFrom('pos', 'web', 'phone', 'marketplace'),
          customerName: text,
          customerEmail: text,
          customerPhone: text,
          shippingAddress: fc.record({ line1: text, city: text, postalCode: text, country: fc.constant('CN') }),
          paymentStatus: fc.constantFrom('PAID', 'PENDING', 'COD'),
          totalMinor: fc.integer({ min: 0, max: 100_000_000 }),
          lines: fc.array(fc.record({ sku: fc.constantFrom('A', 'Z'), quantity: fc.integer({ min: 1, max: 100 }) })),
        }),
        (order) =>
          reviewOrder(order, new Set(['A'])).every((r) => (REVIEW_REASON_CODES as readonly string[]).includes(r.code)),
      ),
    );
  });
});

describe('picking (property)', () => {
  const shipment = fc
    .uniqueArray(
      fc.record({ barcode: fc.constantFrom('1', '2', '3', '4'), quantity: fc.integer({ min: 1, max: 4 }) }),
      {
        minLength: 1,
        maxLength: 4,
        selector: (l) => l.barcode,
      },
    )
    .map((ls) => ls.map((l) => ({ ...l, sku: `SKU-${l.barcode}`, serialised: false })));
  test('exactly the shipment, in any order, passes; one unit more or less is refused', () => {
    fc.assert(
      fc.property(shipment, fc.integer({ min: 0, max: 1000 }), fc.boolean(), (expected, seed, addOne) => {
        const scans = expected.flatMap((l) => Array.from({ length: l.quantity }, () => ({ barcode: l.barcode })));
        const shuffled = [...scans].sort(
          (a, b) => ((a.barcode.charCodeAt(0) * seed) % 7) - ((b.barcode.charCodeAt(0) * seed) % 7),
        );
        if (checkPickScans(expected, shuffled).length !== 0) return false;
        const changed = addOne ? [...shuffled, shuffled[seed % shuffled.length]] : shuffled.slice(1);
        return checkPickScans(expected, changed).length > 0;
      }),
    );
  });
});

describe('returns (property)', () => {
  test('an accepted return never refunds more than was paid for the lines shipped', () => {
    const shippedLines = fc
      .array(
        fc.record({ shipped: fc.integer({ min: 1, max: 5 }), unitPriceMinor: fc.integer({ min: 0, max: 100_000 }) }),
        {
          minLength: 1,
          maxLength: 4,
        },
      )
      .map((ls) => ls.map((l, i) => ({ ...l, lineNo: i + 1, sku: `S${i}` })));
    fc.assert(
      fc.property(
        shippedLines,
        fc.array(fc.record({ lineNo: fc.integer({ min: 0, max: 5 }), quantity: fc.integer({ min: -1, max: 6 }) }), {
          maxLength: 5,
        }),
        (shipped, requested) => {
          if (checkReturnLines(requested, shipped, new Map(), 'RETURN').length > 0) return true;
          const paid = shipped.reduce((sum, l) => sum + l.shipped * l.unitPriceMinor, 0);
          const refund = refundAmountMinor(requested, shipped);
          return refund >= 0 && refund <= paid;
        },
      ),
    );
  });
});

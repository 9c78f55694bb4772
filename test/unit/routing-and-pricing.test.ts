import { chooseSingleLocation } from '../../domain/routing';
import { orderTotalMinor } from '../../domain/pricing';
import { formatOrderNumber, orderDay, ORDER_NUMBER_PATTERN } from '../../domain/order-number';

const warehouse = { id: 1, priority: 10, ships: true };
const store = { id: 2, priority: 20, ships: true };
const showroom = { id: 3, priority: 1, ships: false };
const stock = (entries: [number, Record<string, number>][]) =>
  new Map(entries.map(([id, skus]) => [id, new Map(Object.entries(skus))]));

describe('routing to one location', () => {
  test('the highest-priority shipping location that has everything', () => {
    const available = stock([
      [1, { A: 5, B: 1 }],
      [2, { A: 5, B: 5 }],
    ]);
    expect(chooseSingleLocation([{ sku: 'A', quantity: 2 }], [store, warehouse], available)).toBe(1);
    expect(
      chooseSingleLocation(
        [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 2 },
        ],
        [warehouse, store],
        available,
      ),
    ).toBe(2);
  });

  test('lines of the same SKU are added up', () => {
    const available = stock([[1, { A: 3 }]]);
    expect(
      chooseSingleLocation(
        [
          { sku: 'A', quantity: 2 },
          { sku: 'A', quantity: 2 },
        ],
        [warehouse],
        available,
      ),
    ).toBeNull();
  });

  test('locations that do not ship are never chosen', () => {
    expect(chooseSingleLocation([{ sku: 'A', quantity: 1 }], [showroom], stock([[3, { A: 9 }]]))).toBeNull();
  });

  test('null when no single location can supply the order', () => {
    expect(chooseSingleLocation([{ sku: 'A', quantity: 1 }], [warehouse, store], stock([]))).toBeNull();
  });
});

describe('pricing and order numbers', () => {
  test('total is the sum of quantity × unit price in minor units', () => {
    expect(
      orderTotalMinor([
        { sku: 'A', quantity: 3, unitPriceMinor: 9_900 },
        { sku: 'B', quantity: 1, unitPriceMinor: 1 },
      ]),
    ).toBe(29_701);
  });

  test('order numbers read SO-<day>-<sequence>', () => {
    const number = formatOrderNumber(orderDay(new Date('2026-11-23T10:00:00Z')), 42);
    expect(number).toBe('SO-20261123-000042');
    expect(number).toMatch(ORDER_NUMBER_PATTERN);
  });
});

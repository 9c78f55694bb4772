import { chooseSingleLocation, planAllocation } from '../../domain/routing';
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

describe('allocation plan', () => {
  const outlet = { id: 4, priority: 30, ships: true };
  const all = [outlet, store, showroom, warehouse];

  test('one location that has everything gives one shipment, even when a higher-priority one has part', () => {
    const available = stock([
      [1, { A: 5 }],
      [2, { A: 5, B: 5 }],
    ]);
    const lines = [
      { lineNo: 1, sku: 'A', quantity: 2 },
      { lineNo: 2, sku: 'B', quantity: 1 },
    ];
    expect(planAllocation(lines, all, available)).toEqual([{ locationId: 2, lines }]);
  });

  test('priority ties go to the lower id', () => {
    const twin = { id: 9, priority: 10, ships: true };
    const available = stock([
      [9, { A: 1 }],
      [1, { A: 1 }],
    ]);
    expect(planAllocation([{ lineNo: 1, sku: 'A', quantity: 1 }], [twin, warehouse], available)).toEqual([
      { locationId: 1, lines: [{ lineNo: 1, sku: 'A', quantity: 1 }] },
    ]);
  });

  test('a split across three locations, in priority order, splitting a line', () => {
    const available = stock([
      [4, { A: 2, B: 2 }],
      [2, { B: 1 }],
      [1, { A: 2 }],
    ]);
    const lines = [
      { lineNo: 1, sku: 'A', quantity: 4 },
      { lineNo: 2, sku: 'B', quantity: 3 },
    ];
    expect(planAllocation(lines, all, available)).toEqual([
      { locationId: 1, lines: [{ lineNo: 1, sku: 'A', quantity: 2 }] },
      { locationId: 2, lines: [{ lineNo: 2, sku: 'B', quantity: 1 }] },
      {
        locationId: 4,
        lines: [
          { lineNo: 1, sku: 'A', quantity: 2 },
          { lineNo: 2, sku: 'B', quantity: 2 },
        ],
      },
    ]);
  });

  test('the same SKU on two lines draws on one stock', () => {
    const available = stock([
      [1, { A: 3 }],
      [2, { A: 2 }],
    ]);
    const lines = [
      { lineNo: 1, sku: 'A', quantity: 2 },
      { lineNo: 2, sku: 'A', quantity: 2 },
    ];
    expect(planAllocation(lines, [warehouse, store], available)).toEqual([
      {
        locationId: 1,
        lines: [
          { lineNo: 1, sku: 'A', quantity: 2 },
          { lineNo: 2, sku: 'A', quantity: 1 },
        ],
      },
      { locationId: 2, lines: [{ lineNo: 2, sku: 'A', quantity: 1 }] },
    ]);
    expect(planAllocation(lines, [warehouse], stock([[1, { A: 3 }]]))).toBeNull();
  });

  test('non-shipping locations are skipped, however much they have', () => {
    const available = stock([
      [3, { A: 9 }],
      [1, { A: 1 }],
    ]);
    expect(planAllocation([{ lineNo: 1, sku: 'A', quantity: 2 }], all, available)).toBeNull();
    expect(planAllocation([{ lineNo: 1, sku: 'A', quantity: 2 }], all, available, { partial: true })).toEqual([
      { locationId: 1, lines: [{ lineNo: 1, sku: 'A', quantity: 1 }] },
    ]);
  });

  test('onlyLocationId takes everything from that location, even one that does not ship', () => {
    const available = stock([
      [3, { A: 2, B: 1 }],
      [1, { A: 9, B: 9 }],
    ]);
    const lines = [
      { lineNo: 1, sku: 'A', quantity: 2 },
      { lineNo: 2, sku: 'B', quantity: 2 },
    ];
    expect(planAllocation(lines.slice(0, 1), all, available, { onlyLocationId: 3 })).toEqual([
      { locationId: 3, lines: lines.slice(0, 1) },
    ]);
    expect(planAllocation(lines, all, available, { onlyLocationId: 3 })).toBeNull();
    expect(planAllocation(lines, all, available, { onlyLocationId: 3, partial: true })).toEqual([
      {
        locationId: 3,
        lines: [
          { lineNo: 1, sku: 'A', quantity: 2 },
          { lineNo: 2, sku: 'B', quantity: 1 },
        ],
      },
    ]);
    expect(planAllocation(lines, all, stock([]), { onlyLocationId: 3, partial: true })).toEqual([]);
  });

  test('partial covers what is available and never more; nothing available gives []', () => {
    const available = stock([
      [1, { A: 1 }],
      [2, { B: 2, C: -1 }],
    ]);
    const lines = [
      { lineNo: 1, sku: 'A', quantity: 3 },
      { lineNo: 2, sku: 'B', quantity: 5 },
      { lineNo: 3, sku: 'C', quantity: 1 },
    ];
    expect(planAllocation(lines, all, available)).toBeNull();
    expect(planAllocation(lines, all, available, { partial: true })).toEqual([
      { locationId: 1, lines: [{ lineNo: 1, sku: 'A', quantity: 1 }] },
      { locationId: 2, lines: [{ lineNo: 2, sku: 'B', quantity: 2 }] },
    ]);
    expect(planAllocation(lines, all, stock([]), { partial: true })).toEqual([]);
  });

  test('lines with quantity 0 are ignored', () => {
    const lines = [
      { lineNo: 1, sku: 'A', quantity: 1 },
      { lineNo: 2, sku: 'GONE', quantity: 0 },
    ];
    expect(planAllocation(lines, all, stock([[1, { A: 1 }]]))).toEqual([{ locationId: 1, lines: [lines[0]] }]);
    expect(planAllocation([{ lineNo: 1, sku: 'A', quantity: 0 }], all, stock([]))).toEqual([]);
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

import { chooseService } from '../../domain/shipping-rules';
import {
  afterSalesWindowOpen,
  checkReturnLines,
  refundAmountMinor,
  RETURN_REASONS,
  type ShippedLine,
} from '../../domain/after-sales';
import { matching } from '../support/matchers';

describe('shipping service', () => {
  const rules = { carrier: 'local', expressFromMinor: 100_000, expressChannels: ['marketplace'] };
  const order = { totalMinor: 5_000, urgent: false, channel: 'web' };

  test('standard by default', () => {
    expect(chooseService(order, rules)).toEqual({ carrier: 'local', service: 'standard' });
  });

  test('express when urgent, at or above the amount, or on an express channel', () => {
    expect(chooseService({ ...order, urgent: true }, rules).service).toBe('express');
    expect(chooseService({ ...order, totalMinor: 100_000 }, rules).service).toBe('express');
    expect(chooseService({ ...order, totalMinor: 99_999 }, rules).service).toBe('standard');
    expect(chooseService({ ...order, channel: 'marketplace' }, rules).service).toBe('express');
  });

  test('no express channels configured', () => {
    const { expressChannels: _, ...plain } = rules;
    expect(chooseService({ ...order, channel: 'marketplace' }, plain)).toEqual({
      carrier: 'local',
      service: 'standard',
    });
  });
});

describe('return and exchange requests', () => {
  const shipped: ShippedLine[] = [
    { lineNo: 1, sku: 'TEE-WHI-M', shipped: 3, unitPriceMinor: 9_900 },
    { lineNo: 2, sku: 'CAP-BLK', shipped: 1, unitPriceMinor: 4_500 },
  ];
  const none = new Map<number, number>();
  const codes = (problems: { code: string }[]) => problems.map((p) => p.code);

  test('a valid return and a valid exchange have no problems', () => {
    expect(checkReturnLines([{ lineNo: 1, quantity: 3 }], shipped, none, 'RETURN')).toEqual([]);
    expect(
      checkReturnLines([{ lineNo: 2, quantity: 1, replacementSku: 'CAP-RED' }], shipped, none, 'EXCHANGE'),
    ).toEqual([]);
  });

  test('an empty request', () => {
    expect(codes(checkReturnLines([], shipped, none, 'RETURN'))).toEqual(['NO_LINES']);
  });

  test('unknown and duplicate lines', () => {
    const problems = checkReturnLines(
      [
        { lineNo: 7, quantity: 1 },
        { lineNo: 1, quantity: 1 },
        { lineNo: 1, quantity: 1 },
      ],
      shipped,
      none,
      'RETURN',
    );
    expect(problems).toEqual([
      { lineNo: 7, code: 'UNKNOWN_LINE', message: matching.stringContaining('Line 7') },
      { lineNo: 1, code: 'DUPLICATE_LINE', message: matching.stringContaining('Line 1 (TEE-WHI-M)') },
    ]);
  });

  test('more than shipped minus already returned names the line, SKU and returnable quantity', () => {
    const returned = new Map([[1, 2]]);
    const [problem] = checkReturnLines([{ lineNo: 1, quantity: 2 }], shipped, returned, 'RETURN');
    expect(problem).toMatchObject({ lineNo: 1, code: 'TOO_MANY' });
    expect(problem.message).toContain('Line 1 (TEE-WHI-M)');
    expect(problem.message).toContain('only 1 can be returned');
    expect(checkReturnLines([{ lineNo: 1, quantity: 1 }], shipped, returned, 'RETURN')).toEqual([]);
    expect(codes(checkReturnLines([{ lineNo: 1, quantity: 1 }], shipped, new Map([[1, 3]]), 'RETURN'))).toEqual([
      'TOO_MANY',
    ]);
  });

  test.each([0, -1, 1.5])('quantity %s is rejected', (quantity) => {
    const [problem] = checkReturnLines([{ lineNo: 2, quantity }], shipped, none, 'RETURN');
    expect(problem).toMatchObject({ lineNo: 2, code: 'TOO_MANY' });
    expect(problem.message).toContain('Line 2 (CAP-BLK)');
    expect(problem.message).toContain('returnable: 1');
  });

  test('exchanges need a replacement; returns must not have one', () => {
    const exchange = checkReturnLines([{ lineNo: 1, quantity: 1, replacementSku: ' ' }], shipped, none, 'EXCHANGE');
    expect(exchange).toEqual([{ lineNo: 1, code: 'NO_REPLACEMENT', message: matching.stringContaining('TEE-WHI-M') }]);
    const ret = checkReturnLines([{ lineNo: 1, quantity: 1, replacementSku: 'TEE-WHI-L' }], shipped, none, 'RETURN');
    expect(ret).toEqual([
      { lineNo: 1, code: 'UNEXPECTED_REPLACEMENT', message: matching.stringContaining('Line 1 (TEE-WHI-M)') },
    ]);
  });

  test('several problems on one line are all reported', () => {
    expect(codes(checkReturnLines([{ lineNo: 2, quantity: 5 }], shipped, none, 'EXCHANGE'))).toEqual([
      'TOO_MANY',
      'NO_REPLACEMENT',
    ]);
  });

  test('refund is quantity × price paid', () => {
    expect(
      refundAmountMinor(
        [
          { lineNo: 1, quantity: 2 },
          { lineNo: 2, quantity: 1 },
        ],
        shipped,
      ),
    ).toBe(24_300);
    expect(refundAmountMinor([], shipped)).toBe(0);
    expect(() => refundAmountMinor([{ lineNo: 9, quantity: 1 }], shipped)).toThrow('Line 9');
  });

  test('return reasons', () => {
    expect(RETURN_REASONS).toContain('CHANGED_MIND');
  });
});

describe('after-sales window', () => {
  const delivered = new Date('2026-11-23T10:00:00Z');
  const day = 24 * 60 * 60 * 1000;
  const at = (ms: number) => new Date(delivered.getTime() + ms);

  test('open until just before windowMs, closed exactly at it', () => {
    expect(afterSalesWindowOpen(delivered, delivered, 14 * day)).toBe(true);
    expect(afterSalesWindowOpen(delivered, at(14 * day - 1), 14 * day)).toBe(true);
    expect(afterSalesWindowOpen(delivered, at(14 * day), 14 * day)).toBe(false);
    expect(afterSalesWindowOpen(delivered, at(30 * day), 14 * day)).toBe(false);
  });
});

/** Customer data by need (domain/customer-privacy.ts) and how far a count may lower stock (domain/stock-count.ts). */
import { customerDataFor, maskAddress, maskPhone } from '../../domain/customer-privacy';
import { loweringsPastLimit } from '../../domain/stock-count';
import { likePatternFor } from '../../orders/order-list';

const order = {
  orderNumber: 'SO-20261202-000001',
  customerName: 'Li Lei',
  customerEmail: 'li.lei@example.com',
  customerPhone: '+86 138 0013 8000',
  shippingAddress: { line1: '88 Nanjing Road', city: 'Shanghai', region: 'SH', postalCode: '200001', country: 'CN' },
  reviewReasons: [{ code: 'BAD_PHONE', message: 'Phone number "+86 138 0013 8000" is not in a valid format' }],
  timeline: [{ kind: 'staff', reason: 'customer li.lei@example.com called from 13800138000' }],
};

describe('what a role sees of a customer', () => {
  test('phones are masked to the first three and last four digits of the number, or only the last four', () => {
    expect(maskPhone('+86 138 0013 8000')).toBe('138****8000');
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('021 6123 4567')).toBe('021****4567');
    expect(maskPhone('6123 4567')).toBe('****4567');
    expect(maskPhone('12345')).toBe('****');
  });

  test('an address keeps only city, region and country', () => {
    expect(maskAddress(order.shippingAddress)).toEqual({ city: 'Shanghai', region: 'SH', country: 'CN' });
    expect(maskAddress({})).toEqual({});
    expect(maskAddress(null)).toBeNull();
  });

  test('the warehouse sees the name, a masked phone, no email, the city, and no contact in reasons or notes', () => {
    const seen = customerDataFor('warehouse', order);
    expect(seen).toMatchObject({
      customerName: 'Li Lei',
      customerEmail: null,
      customerPhone: '138****8000',
      shippingAddress: { city: 'Shanghai', region: 'SH', country: 'CN' },
    });
    const text = JSON.stringify(seen);
    for (const secret of ['li.lei@', '0013', '13800138000', 'Nanjing', '200001']) expect(text).not.toContain(secret);
    expect(seen.reviewReasons[0].message).toBe('Phone number "138****8000" is not in a valid format');
  });

  test.each(['clerk', 'manager', 'admin'] as const)('a %s sees everything', (role) => {
    expect(customerDataFor(role, order)).toEqual(order);
  });

  test('a list row (no email, no address) is masked without gaining fields', () => {
    expect(customerDataFor('warehouse', { customerName: 'Li Lei', customerPhone: '13800138000' })).toEqual({
      customerName: 'Li Lei',
      customerPhone: '138****8000',
    });
  });
});

test('search patterns escape LIKE wildcards and the escape character', () => {
  expect(likePatternFor('%')).toBe('%\\%%');
  expect(likePatternFor('li_lei')).toBe('%li\\_lei%');
  expect(likePatternFor('a\\b')).toBe('%a\\\\b%');
  expect(likePatternFor('Li Lei')).toBe('%Li Lei%');
});

describe('how far a count may lower stock without a manager', () => {
  test('lowerings within the day limit pass; past it they are named; raising stock is never limited', () => {
    const lines = [
      { sku: 'A', recorded: 10, counted: 8, loweredInWindow: 2 },
      { sku: 'B', recorded: 10, counted: 0, loweredInWindow: 10 },
      { sku: 'C', recorded: 3, counted: 2, loweredInWindow: 3 }, // small now, but the day's earlier counts add up
      { sku: 'D', recorded: 1, counted: 50, loweredInWindow: 9 },
    ];
    expect(loweringsPastLimit(lines, 2).map((l) => l.sku)).toEqual(['B', 'C']);
    expect(loweringsPastLimit(lines, 10).map((l) => l.sku)).toEqual([]);
  });
});

import { isPlausiblePhone, reviewOrder, type ReviewableOrder } from '../../domain/review';

const clean: ReviewableOrder = {
  channel: 'web',
  customerName: 'Han Meimei',
  customerEmail: 'han@example.com',
  customerPhone: '+86 139 1234 5678',
  shippingAddress: { line1: '12 Huaihai Road', city: 'Shanghai', postalCode: '200031', country: 'CN' },
  paymentStatus: 'PAID',
  totalMinor: 19_800,
  lines: [{ sku: 'TEE-WHI-M', quantity: 2 }],
};
const known = new Set(['TEE-WHI-M']);
const codes = (order: ReviewableOrder) => reviewOrder(order, known).map((r) => r.code);

describe('automatic review', () => {
  test('a clean order passes', () => expect(codes(clean)).toEqual([]));

  test('an address without a door number is flagged', () => {
    expect(codes({ ...clean, shippingAddress: { ...clean.shippingAddress, line1: 'Huaihai Road' } })).toEqual([
      'NO_DOOR_NUMBER',
    ]);
  });

  test('a phone number in a wrong format is flagged', () => {
    expect(codes({ ...clean, customerPhone: 'call me maybe' })).toEqual(['BAD_PHONE']);
  });

  test('prepaid channels need confirmed payment; in-store orders do not', () => {
    expect(codes({ ...clean, paymentStatus: 'PENDING' })).toEqual(['PAYMENT_NOT_CONFIRMED']);
    expect(codes({ ...clean, channel: 'marketplace', paymentStatus: 'PENDING' })).toEqual(['PAYMENT_NOT_CONFIRMED']);
    expect(codes({ ...clean, channel: 'pos', paymentStatus: 'PENDING' })).toEqual([]);
    expect(codes({ ...clean, channel: 'phone', paymentStatus: 'COD' })).toEqual([]);
  });

  test('amount and quantity limits are flagged', () => {
    expect(codes({ ...clean, totalMinor: 5_000_001 })).toEqual(['AMOUNT_OVER_LIMIT']);
    expect(codes({ ...clean, lines: [{ sku: 'TEE-WHI-M', quantity: 21 }] })).toEqual(['QUANTITY_OVER_LIMIT']);
  });

  test('unknown SKUs are flagged, each by name', () => {
    const reasons = reviewOrder({ ...clean, lines: [{ sku: 'GONE-1', quantity: 1 }] }, known);
    expect(reasons).toEqual([{ code: 'UNKNOWN_SKU', message: 'Unknown SKU GONE-1' }]);
  });

  test('several problems give several reasons', () => {
    expect(codes({ ...clean, customerPhone: '12', paymentStatus: 'PENDING' })).toEqual([
      'BAD_PHONE',
      'PAYMENT_NOT_CONFIRMED',
    ]);
  });

  test.each([
    ['+86 138 0013 8000', true],
    ['(021) 6321-1234', true],
    ['13800138000', true],
    ['12345', false],
    ['+1234567890123456', false],
    ['138-abc-8000', false],
  ])('phone %s plausible: %s', (phone, ok) => expect(isPlausiblePhone(phone)).toBe(ok));
});

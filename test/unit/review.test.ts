import {
  isPlausiblePhone,
  normalisePhone,
  REVIEW_REASON_CODES,
  reviewOrder,
  type ReviewableOrder,
} from '../../domain/review';

const clean: ReviewableOrder = {
  channel: 'web',
  customerName: 'Han Meimei',
  customerEmail: 'han@example.com',
  customerPhone: '+86 139 1234 5678',
  shippingAddress: { line1: '12 Huaihai Road', city: 'Shanghai', postalCode: '200031', country: 'CN' },
  paymentStatus: 'PAID',
  totalMinor: 19_800,
  currency: 'CNY',
  paymentReference: 'LPC-0123456789ABCDEF',
  capture: { amountMinor: 19_800, currency: 'CNY' },
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

  test('a PAID claim on any channel holds only with a payment the provider confirms for at least the total', () => {
    const unverified = (order: Partial<ReviewableOrder>) =>
      reviewOrder({ ...clean, ...order }, known).filter((r) => r.code === 'PAYMENT_UNVERIFIED');
    for (const channel of ['web', 'marketplace', 'phone', 'pos']) {
      // A clerk's word: no reference, or one the provider does not know.
      expect(unverified({ channel, paymentReference: undefined, capture: undefined })).toEqual([
        { code: 'PAYMENT_UNVERIFIED', message: 'Marked paid, but names no payment reference' },
      ]);
      expect(unverified({ channel, capture: null })).toEqual([
        {
          code: 'PAYMENT_UNVERIFIED',
          message: 'Marked paid, but the payment provider has no payment LPC-0123456789ABCDEF',
        },
      ]);
      expect(unverified({ channel })).toEqual([]);
    }
    // Less than the total, or in another currency.
    expect(unverified({ capture: { amountMinor: 19_799, currency: 'CNY' } })).toEqual([
      {
        code: 'PAYMENT_UNVERIFIED',
        message: 'Payment LPC-0123456789ABCDEF captured 19799, less than the order total 19800',
      },
    ]);
    expect(unverified({ capture: { amountMinor: 19_800, currency: 'USD' } })).toHaveLength(1);
    expect(unverified({ capture: { amountMinor: 50_000, currency: 'CNY' } })).toEqual([]);
    // Unpaid orders name no payment: the rule is about PAID claims only.
    expect(unverified({ channel: 'phone', paymentStatus: 'COD', paymentReference: null, capture: null })).toEqual([]);
    expect(codes({ ...clean, channel: 'pos', paymentStatus: 'PENDING', paymentReference: null })).toEqual([]);
    // Marked PAID before payments were verified (the upgrade sets paymentLegacy): taken then, not re-judged now.
    expect(unverified({ paymentReference: null, capture: undefined, paymentLegacy: true })).toEqual([]);
  });

  test('amount and quantity limits are flagged', () => {
    const paidInFull = { amountMinor: 5_000_001, currency: 'CNY' };
    expect(codes({ ...clean, totalMinor: 5_000_001, capture: paidInFull })).toEqual(['AMOUNT_OVER_LIMIT']);
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

describe('block list', () => {
  const blocked = {
    emails: new Set(['  Fraud@Example.COM ']),
    phones: new Set(['+86 (139) 0000-1111']),
  };
  const blockedCodes = (order: ReviewableOrder, list = blocked) =>
    reviewOrder(order, known, undefined, list).map((r) => r.code);

  test('a blocked email matches whatever its case and spacing', () => {
    const reasons = reviewOrder({ ...clean, customerEmail: 'fraud@example.com ' }, known, undefined, blocked);
    expect(reasons).toEqual([{ code: 'BLOCKED_CUSTOMER', message: 'Customer is on the block list' }]);
  });

  test('a blocked phone matches by digits only', () => {
    expect(blockedCodes({ ...clean, customerPhone: '86-139-0000-1111' })).toEqual(['BLOCKED_CUSTOMER']);
    expect(blockedCodes({ ...clean, customerPhone: '+86 139 0000 1112' })).toEqual([]);
  });

  test('customers not on the list, and orders reviewed without a list, pass', () => {
    expect(blockedCodes(clean)).toEqual([]);
    expect(codes({ ...clean, customerEmail: 'fraud@example.com' })).toEqual([]);
  });

  test('blank entries on the list block nobody', () => {
    const blank = { emails: new Set(['  ']), phones: new Set(['n/a']) };
    expect(blockedCodes({ ...clean, customerEmail: ' ', customerPhone: 'none' }, blank)).not.toContain(
      'BLOCKED_CUSTOMER',
    );
  });

  test('normalisePhone keeps digits only', () => {
    expect(normalisePhone('+86 (021) 6321-1234')).toBe('8602163211234');
  });

  test('REVIEW_REASON_CODES lists every code returned', () => {
    const everything = reviewOrder(
      {
        ...clean,
        customerName: '',
        customerEmail: 'fraud@example.com',
        customerPhone: 'x',
        shippingAddress: { ...clean.shippingAddress, city: '' },
        paymentStatus: 'PENDING',
        totalMinor: 9_999_999,
        lines: [{ sku: 'GONE-1', quantity: 99 }],
      },
      known,
      undefined,
      blocked,
    ).map((r) => r.code);
    const noDoor = codes({ ...clean, shippingAddress: { ...clean.shippingAddress, line1: 'Huaihai Road' } });
    const unverified = codes({ ...clean, capture: null });
    const repriced = codes({ ...clean, quotedMinor: clean.totalMinor - 100 });
    expect(repriced).toEqual(['PRICE_DIFFERS']);
    expect(codes({ ...clean, quotedMinor: clean.totalMinor })).toEqual([]);
    expect(new Set([...everything, ...noDoor, ...unverified, ...repriced])).toEqual(new Set(REVIEW_REASON_CODES));
  });
});

/**
 * Who is whom (domain/customers.ts): one person, one customer, recognised by a mainland mobile number however it was
 * typed, or an email in any case; what an order teaches a known customer; and the history's figures. And what each
 * channel must say of its customer: a till sale may name nobody, a phone sale may give no email.
 */
import {
  customerKeysOf,
  customerStats,
  keysToLearn,
  matchCustomer,
  normaliseEmail,
  normaliseMobile,
} from '../../domain/customers';
import { orderInputSchema } from '../../domain/order-input';
import { reviewOrder, type ReviewableOrder } from '../../domain/review';

describe('a mainland mobile number', () => {
  test.each([
    ['13800138000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['86-138-0013-8000', '13800138000'],
    ['(0086) 139 1234 5678', '13912345678'],
    ['  199-0000-1111 ', '19900001111'],
  ])('%s is %s', (typed, normalised) => expect(normaliseMobile(typed)).toBe(normalised));

  test.each([
    ['a landline', '021 6234 5678'],
    ['too short', '138 0013 800'],
    ['not a mobile prefix', '12800138000'],
    ['abroad', '+44 20 7946 0958'],
    ['letters in it', '138-0013-80OO'],
    ['nothing', ''],
  ])('%s recognises nobody', (_, typed) => expect(normaliseMobile(typed)).toBeNull());
});

test('an email is compared trimmed and in lower case; a blank one is none', () => {
  expect(normaliseEmail(' Li.Lei@Example.CN ')).toBe('li.lei@example.cn');
  expect(normaliseEmail('  ')).toBeNull();
  expect(customerKeysOf({ phone: '021 6234 5678', email: undefined })).toEqual({ mobile: null, email: null });
});

describe('matching an order to a customer', () => {
  const byMobile = { id: 1, mobile: '13800138000', email: null };
  const byEmail = { id: 2, mobile: null, email: 'li@example.cn' };
  const keys = { mobile: '13800138000', email: 'li@example.cn' };

  test('the mobile number decides before the email', () => {
    expect(matchCustomer(keys, byMobile, byEmail)).toBe(byMobile);
    expect(matchCustomer(keys, null, byEmail)).toBe(byEmail);
    expect(matchCustomer(keys, null, null)).toBeUndefined();
  });

  test('a known customer learns a key it lacks, unless another customer has it (staff merge those)', () => {
    expect(keysToLearn(byMobile, keys, { mobile: false, email: false })).toEqual({ email: 'li@example.cn' });
    expect(keysToLearn(byMobile, keys, { mobile: false, email: true })).toEqual({});
    // A key it has already is never overwritten by another order's.
    expect(
      keysToLearn(byEmail, { mobile: '13912345678', email: 'other@example.cn' }, { mobile: false, email: false }),
    ).toEqual({ mobile: '13912345678' });
  });
});

test("a customer's figures count accepted orders, net of refunds; rejected and cancelled ones do not count", () => {
  const at = (day: number) => new Date(Date.UTC(2026, 10, day));
  const stats = customerStats([
    { status: 'COMPLETED', totalMinor: 10_000, refundedMinor: 2_500, createdAt: at(3) },
    { status: 'PICKING', totalMinor: 5_001, refundedMinor: 0, createdAt: at(9) },
    { status: 'CANCELLED', totalMinor: 99_900, refundedMinor: 0, createdAt: at(20) },
    { status: 'REJECTED', totalMinor: 1_000, refundedMinor: 0, createdAt: at(1) },
  ]);
  expect(stats).toEqual({
    orderCount: 2,
    lifetimeSpendMinor: 12_501,
    averageOrderMinor: 6_251,
    firstPurchaseAt: at(3),
    lastPurchaseAt: at(9),
  });
  expect(customerStats([])).toEqual({
    orderCount: 0,
    lifetimeSpendMinor: 0,
    averageOrderMinor: 0,
    firstPurchaseAt: null,
    lastPurchaseAt: null,
  });
});

describe('what each channel must say of its customer', () => {
  const base = {
    externalId: 'X-1',
    lines: [{ sku: 'TEE-M', quantity: 1 }],
    payment: { status: 'PENDING' },
  };
  const shipped = { shippingAddress: { line1: '1 Road', city: 'Shanghai', postalCode: '200001', country: 'CN' } };
  const issues = (body: object) => {
    const result = orderInputSchema.safeParse(body);
    return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
  };

  test('a till sale may name nobody, or a name without email or phone', () => {
    expect(issues({ ...base, channel: 'pos', pickupStore: 'ST-01' })).toEqual([]);
    expect(issues({ ...base, channel: 'pos', pickupStore: 'ST-01', customer: { name: '王芳' } })).toEqual([]);
  });

  test('a phone sale gives a phone but may leave out the email; web and marketplace orders give both', () => {
    expect(issues({ ...base, ...shipped, channel: 'phone', customer: { name: '王芳', phone: '13912345678' } })).toEqual(
      [],
    );
    expect(issues({ ...base, ...shipped, channel: 'phone', customer: { name: '王芳' } })).toEqual(['customer.phone']);
    expect(issues({ ...base, ...shipped, channel: 'phone' })).toEqual(['customer']);
    expect(issues({ ...base, ...shipped, channel: 'web', customer: { name: 'Li', phone: '13912345678' } })).toEqual([
      'customer.email',
    ]);
    expect(issues({ ...base, ...shipped, channel: 'marketplace', customer: { name: 'Li', email: 'l@x.cn' } })).toEqual([
      'customer.phone',
    ]);
  });

  const reviewed = (order: Partial<ReviewableOrder>) =>
    reviewOrder(
      {
        channel: 'pos',
        fulfilment: 'PICKUP',
        customerName: null,
        customerEmail: null,
        customerPhone: null,
        shippingAddress: {} as ReviewableOrder['shippingAddress'],
        paymentStatus: 'PENDING',
        totalMinor: 100,
        lines: [{ sku: 'TEE-M', quantity: 1 }],
        ...order,
      },
      new Set(['TEE-M']),
    ).map((r) => r.code);

  test('review checks what is given: a walk-in passes, a bad phone at the till does not, a web order needs its email', () => {
    expect(reviewed({})).toEqual([]);
    expect(reviewed({ customerName: '王芳', customerPhone: 'call me' })).toEqual(['BAD_PHONE']);
    expect(reviewed({ customerPhone: '13912345678' })).toEqual(['MISSING_CUSTOMER']);
    expect(reviewed({ channel: 'phone', customerName: '王芳', customerPhone: '13912345678' })).toEqual([]);
    expect(
      reviewed({
        channel: 'web',
        paymentStatus: 'PAID',
        customerName: 'Li',
        customerPhone: '13912345678',
        paymentLegacy: true,
      }),
    ).toEqual(['MISSING_CUSTOMER']);
  });
});

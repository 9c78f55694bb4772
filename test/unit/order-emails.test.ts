import {
  ORDER_EMAIL_KINDS,
  formatMoney,
  renderOrderEmail,
  type OrderEmailData,
  type OrderEmailKind,
} from '../../mail/templates';

const LANGUAGES = ['en', 'zh-CN'] as const;

const full = (language: string): OrderEmailData => ({
  orderNumber: 'SO-20261123-000042',
  customerName: 'Han Meimei',
  language,
  trackingNumber: 'LC123CN',
  carrier: 'local',
  reason: 'The address could not be verified',
  storeName: 'Shop West Lake',
  storeAddress: '1 Nanshan Road, Hangzhou',
  amountMinor: 19900,
  currency: 'CNY',
  returnNumber: 'RMA-000007',
  items: [
    { sku: 'TEA-GREEN-250', quantity: 2 },
    { sku: 'CUP-WHITE', quantity: 1 },
  ],
  shipmentCount: 2,
  shipmentSeq: 1,
});

const minimal = (language: string): OrderEmailData => ({
  orderNumber: 'SO-20261123-000043',
  customerName: 'Li Lei',
  language,
});

const allText = (email: { subject: string; text: string; html: string }) =>
  [email.subject, email.text, email.html].join('\n');

describe('order email kinds', () => {
  test('the list of kinds is exactly the supported union, without duplicates', () => {
    expect([...ORDER_EMAIL_KINDS]).toEqual([
      'received',
      'needs_attention',
      'rejected',
      'backordered',
      'shipped',
      'ready_for_pickup',
      'delivered',
      'return_accepted',
      'return_rejected',
      'refund_issued',
      'cancelled',
      'partially_cancelled',
    ]);
    expect(new Set(ORDER_EMAIL_KINDS).size).toBe(ORDER_EMAIL_KINDS.length);
  });

  describe.each(LANGUAGES)('in %s', (language) => {
    test.each(ORDER_EMAIL_KINDS)('%s renders with full data', (kind) => {
      const data = full(language);
      const email = renderOrderEmail(kind, data);
      expect(email.subject).toContain(data.orderNumber);
      expect(email.text).toContain(data.customerName);
      expect(email.text.length).toBeGreaterThan(email.subject.length);
      expect(allText(email)).not.toMatch(/undefined|null|NaN|\[object/);
    });

    test.each(ORDER_EMAIL_KINDS)('%s renders with only the order number, name and language', (kind) => {
      const data = minimal(language);
      const email = renderOrderEmail(kind, data);
      expect(email.subject).toContain(data.orderNumber);
      expect(email.text).toContain(data.customerName);
      expect(allText(email)).not.toMatch(/undefined|null|NaN|\[object/);
    });

    test.each(ORDER_EMAIL_KINDS)('%s escapes the customer name in html', (kind) => {
      const email = renderOrderEmail(kind, { ...full(language), customerName: '<b>&"' });
      expect(email.html).not.toContain('<b>');
      // React escapes every text of the layout (mail/order-email-layout.ts).
      expect(email.html).toContain('&lt;b&gt;&amp;&quot;');
      expect(email.text).toContain('<b>&"');
    });
  });

  test('the two languages differ for every kind', () => {
    for (const kind of ORDER_EMAIL_KINDS) {
      expect(renderOrderEmail(kind, full('zh-CN')).subject).not.toBe(renderOrderEmail(kind, full('en')).subject);
    }
  });

  test('an unknown language falls back to English for the new kinds too', () => {
    expect(renderOrderEmail('cancelled', minimal('fr'))).toEqual(renderOrderEmail('cancelled', minimal('en')));
  });
});

describe('formatMoney', () => {
  test.each([
    [19900, 'CNY', 'en', 'CNY 199.00'],
    [19900, 'CNY', 'zh-CN', '¥199.00'],
    [19900, undefined, 'zh-CN', '¥199.00'],
    [19900, undefined, 'en', 'CNY 199.00'],
    [1234, 'USD', 'en', 'USD 12.34'],
    [1234, 'USD', 'zh-CN', 'USD 12.34'],
    [5, 'EUR', 'en', 'EUR 0.05'],
    [0, 'CNY', 'zh-CN', '¥0.00'],
    [123456789, 'CNY', 'en', 'CNY 1,234,567.89'],
    [-250, 'CNY', 'zh-CN', '-¥2.50'],
    [1234, 'usd', 'en', 'USD 12.34'],
    [1234, 'JPY', 'en', 'JPY 1,234'],
  ] as const)('%d %s in %s is %s', (amountMinor, currency, language, expected) => {
    expect(formatMoney(amountMinor, currency, language)).toBe(expected);
  });

  test('language defaults to English', () => {
    expect(formatMoney(100)).toBe('CNY 1.00');
  });

  test('the refund and cancellation emails use it', () => {
    const zh = { ...full('zh-CN'), amountMinor: 19900 };
    expect(renderOrderEmail('refund_issued', zh).text).toContain('¥199.00');
    expect(renderOrderEmail('cancelled', zh).text).toContain('¥199.00');
    expect(renderOrderEmail('partially_cancelled', zh).text).toContain('¥199.00');
    const en = { ...full('en'), amountMinor: 1234, currency: 'USD' };
    expect(renderOrderEmail('refund_issued', en).text).toContain('USD 12.34');
  });
});

describe('kind-specific content', () => {
  const text = (kind: OrderEmailKind, data: OrderEmailData) => renderOrderEmail(kind, data).text;

  test('a multi-parcel shipment says which parcel this is, and only then', () => {
    expect(text('shipped', { ...full('en'), shipmentCount: 3, shipmentSeq: 2 })).toContain('This is parcel 2 of 3.');
    expect(text('shipped', { ...full('zh-CN'), shipmentCount: 3, shipmentSeq: 2 })).toContain(
      '这是第 2 个包裹，共 3 个。',
    );
    for (const language of LANGUAGES) {
      for (const shipmentCount of [undefined, 0, 1]) {
        const body = text('shipped', { ...full(language), shipmentCount, shipmentSeq: 1 });
        expect(body).not.toMatch(/parcel|包裹/);
      }
      expect(text('shipped', minimal(language))).not.toMatch(/parcel|包裹/);
    }
  });

  test("the shipped email's message is as before, signed by the shop", () => {
    const en = renderOrderEmail('shipped', { ...full('en'), shipmentCount: 1 });
    expect(en.subject).toBe('Your order SO-20261123-000042 has shipped');
    expect(en.text).toBe(
      [
        'Dear Han Meimei,',
        'Your order SO-20261123-000042 is on its way with local.',
        'Tracking number: LC123CN',
        '— Shop OMS',
      ].join('\n\n'),
    );
    const zh = renderOrderEmail('shipped', { ...full('zh-CN'), shipmentCount: 1 });
    expect(zh.text).toBe(
      ['Han Meimei，您好：', '您的订单 SO-20261123-000042 已由 local 发出。', '运单号：LC123CN', '— Shop OMS'].join(
        '\n\n',
      ),
    );
  });

  test('items are listed as quantity × SKU', () => {
    for (const kind of ['backordered', 'partially_cancelled'] as const) {
      expect(text(kind, full('en'))).toContain('2 × TEA-GREEN-250, 1 × CUP-WHITE');
      expect(text(kind, full('zh-CN'))).toContain('2 × TEA-GREEN-250、1 × CUP-WHITE');
      expect(text(kind, { ...full('en'), items: [] })).not.toContain('×');
    }
  });

  test('pickup names the store and its address', () => {
    const body = text('ready_for_pickup', full('zh-CN'));
    expect(body).toContain('Shop West Lake');
    expect(body).toContain('1 Nanshan Road, Hangzhou');
    expect(body).toContain('自提');
    expect(text('ready_for_pickup', { ...full('en'), storeAddress: undefined })).not.toContain('Address');
  });

  test('returns and refunds mention the return number', () => {
    for (const kind of ['return_accepted', 'return_rejected', 'refund_issued'] as const) {
      for (const language of LANGUAGES) expect(text(kind, full(language))).toContain('RMA-000007');
    }
    expect(text('return_rejected', full('en'))).toContain('Reason: The address could not be verified');
  });

  test('the reason appears for needs_attention and cancelled only when given', () => {
    for (const kind of ['needs_attention', 'cancelled'] as const) {
      expect(text(kind, full('en'))).toContain('The address could not be verified');
      expect(text(kind, minimal('en'))).not.toContain('Reason');
      expect(text(kind, minimal('zh-CN'))).not.toContain('原因');
    }
  });

  test('cancelled mentions a refund only when there is an amount', () => {
    expect(text('cancelled', full('en'))).toContain('A refund of CNY 199.00 has been recorded');
    expect(text('cancelled', minimal('en'))).not.toMatch(/refund/i);
    expect(text('cancelled', minimal('zh-CN'))).not.toContain('退款');
  });
});

test("every email ends with the link to the order's tracking page, in both parts", () => {
  const url = 'https://shop.example.cn/track/AbCdEfGhIjKlMnOpQrStUvWx';
  for (const kind of ORDER_EMAIL_KINDS) {
    for (const language of LANGUAGES) {
      const email = renderOrderEmail(kind, { ...full(language), trackingPageUrl: url });
      expect(email.text.trim().endsWith(url)).toBe(true);
      expect(email.html).toContain(`<a href="${url}">${url}</a>`);
    }
  }
  expect(renderOrderEmail('received', full('zh-CN')).text).not.toContain('/track/');
});

/** The customer's tracking page as drawn (domain/tracking-page.ts): their words, what they may do, nothing unescaped. */
import { customerActions, renderTrackingPage, type TrackingView } from '../../domain/tracking-page';

const view: TrackingView = {
  shopName: 'Shop <b>&</b> Co',
  orderNumber: 'SO-20261203-000007',
  status: 'PICKING',
  createdAt: new Date('2026-12-03T08:00:00Z'),
  totalMinor: 25_800,
  pointsMinor: 800,
  currency: 'CNY',
  destination: 'Shanghai',
  lines: [{ lineNo: 1, sku: 'TEE-M', name: '<img src=x onerror=alert(1)>', quantity: 2, unitPriceMinor: 12_900 }],
  shipsToAddress: true,
  shipments: [],
  returns: [],
};
const token = 'AbCdEfGhIjKlMnOpQrStUvWx';

test('the customer may cancel until something ships, change the address until picking, return once delivered', () => {
  const at = (status: TrackingView['status'], more: Partial<TrackingView> = {}) =>
    customerActions({ ...view, status, ...more });
  expect(at('IN_REVIEW')).toEqual({ cancel: true, requestReturn: false, changeAddress: true });
  expect(at('PICKING')).toEqual({ cancel: true, requestReturn: false, changeAddress: true });
  const booked = { seq: 1, carrier: 'local', trackingNumber: 'LC1', events: [] };
  expect(at('PICKING', { shipments: [booked] })).toEqual({ cancel: true, requestReturn: false, changeAddress: false });
  expect(at('PICKING', { shipsToAddress: false })).toEqual({
    cancel: true,
    requestReturn: false,
    changeAddress: false,
  });
  expect(at('READY_FOR_PICKUP')).toEqual({ cancel: true, requestReturn: false, changeAddress: false });
  expect(at('SHIPPED')).toEqual({ cancel: false, requestReturn: false, changeAddress: false });
  expect(at('DELIVERED')).toEqual({ cancel: false, requestReturn: true, changeAddress: false });
  expect(at('COMPLETED')).toEqual({ cancel: false, requestReturn: false, changeAddress: false });
});

test('the page says where the order is in the customer’s language, with what was paid and the forms allowed', () => {
  const zh = renderTrackingPage(view, 'zh-CN', token);
  expect(zh).toContain('<h1>我们正在为您打包</h1>');
  expect(zh).toContain('¥258.00'); // two tees
  expect(zh).toContain('-¥8.00'); // points
  expect(zh).toContain('¥250.00'); // what was paid
  expect(zh).toContain(`action="/track/${token}/cancel?lang=zh-CN"`);
  expect(zh).toContain(`action="/track/${token}/address?lang=zh-CN"`);
  expect(zh).toContain('<input name="line1" maxlength="200" required>');
  expect(zh).not.toContain('/return');
  const en = renderTrackingPage({ ...view, status: 'DELIVERED', notice: 'return' }, 'en', token);
  expect(en).toContain('<h1>Delivered</h1>');
  expect(en).toContain(`action="/track/${token}/return?lang=en"`);
  expect(en).toContain('name="line-1"');
  expect(en).toContain('We have your return request');
  expect(en).not.toContain('/cancel');
  expect(en).not.toContain('/address');
});

test('text from the order is escaped', () => {
  const html = renderTrackingPage({ ...view, notice: 'refused', refusal: '<script>alert(1)</script>' }, 'en', token);
  expect(html).not.toContain('<img src=x');
  expect(html).not.toContain('<script>');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(html).toContain('Shop &lt;b&gt;&amp;&lt;/b&gt; Co');
});

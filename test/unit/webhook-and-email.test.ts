import { signPayload, verifySignature } from '../../carriers/webhook-signature';
import { renderOrderEmail } from '../../mail/templates';
import { matching } from '../support/matchers';

describe('carrier webhook signatures', () => {
  const body = '{"eventId":"1","status":"DELIVERED"}';
  const now = 1_800_000_000;

  test('a correctly signed, fresh body is accepted', () => {
    expect(verifySignature('s3cret', signPayload('s3cret', body, now), body, now + 10)).toEqual({ ok: true });
  });

  test('a changed body, another secret, a stale or a missing signature are refused', () => {
    const header = signPayload('s3cret', body, now);
    expect(verifySignature('s3cret', header, body.replace('DELIVERED', 'EXCEPTION'), now).ok).toBe(false);
    expect(verifySignature('other', header, body, now).ok).toBe(false);
    expect(verifySignature('s3cret', header, body, now + 301)).toEqual({
      ok: false,
      reason: matching.stringMatching(/window/),
    });
    expect(verifySignature('s3cret', undefined, body, now).ok).toBe(false);
    expect(verifySignature('s3cret', 't=abc,v1=zz', body, now).ok).toBe(false);
  });
});

describe('customer emails', () => {
  test('English and Chinese copies, with the tracking number when shipped', () => {
    const data = {
      orderNumber: 'SO-20261123-000001',
      customerName: 'Li Lei',
      trackingNumber: 'LC123CN',
      carrier: 'local',
    };
    expect(renderOrderEmail('shipped', { ...data, language: 'en' }).text).toContain('Tracking number: LC123CN');
    const zh = renderOrderEmail('shipped', { ...data, language: 'zh-CN' });
    expect(zh.subject).toBe('您的订单 SO-20261123-000001 已发货');
    expect(zh.text).toContain('运单号：LC123CN');
  });

  test('an unknown language falls back to English', () => {
    expect(renderOrderEmail('received', { orderNumber: 'X', customerName: 'A', language: 'fr' }).subject).toMatch(
      /^We have received/,
    );
  });

  test('customer text cannot inject HTML', () => {
    const email = renderOrderEmail('received', {
      orderNumber: 'X',
      customerName: '<script>alert(1)</script>',
      language: 'en',
    });
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

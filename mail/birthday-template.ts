/** The birthday coupon email: the customer's own code, what it gives, until when; the layout of the order emails. */
import { renderOrderEmailParts, type EmailShop } from './order-email-layout';

type Language = 'en' | 'zh-CN';

export interface BirthdayEmailData {
  customerName: string;
  language: string;
  couponCode: string;
  /** The birthday promotion's name, e.g. 生日九折券. */
  offer: string;
  /** The last day it can be used (YYYY-MM-DD). */
  validUntil: string;
  shop: EmailShop;
}

const COPY: Record<Language, (d: BirthdayEmailData) => { subject: string; lines: string[] }> = {
  en: (d) => ({
    subject: `Happy birthday from ${d.shop.name}`,
    lines: [
      `Dear ${d.customerName},`,
      `Happy birthday! As our thanks, here is a coupon just for you: ${d.offer}.`,
      `Your code: ${d.couponCode}`,
      `Give it with your next order, online, by phone or at the till, until ${d.validUntil}. It can be used once.`,
    ],
  }),
  'zh-CN': (d) => ({
    subject: `${d.shop.name}祝您生日快乐`,
    lines: [
      `${d.customerName}，您好：`,
      `祝您生日快乐！我们为您准备了一张专属优惠券：${d.offer}。`,
      `优惠码：${d.couponCode}`,
      `网购、电话下单或到店结账时出示即可，有效期至 ${d.validUntil}，限用一次。`,
    ],
  }),
};

export function renderBirthdayEmail(d: BirthdayEmailData) {
  const language: Language = d.language === 'en' ? 'en' : 'zh-CN';
  const { subject, lines } = COPY[language](d);
  return { subject, ...renderOrderEmailParts({ language, subject, lines, shop: d.shop }) };
}

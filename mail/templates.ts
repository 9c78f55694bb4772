/** Customer emails in the order's language. Pure: data in, subject and bodies out; customer text is escaped. */
export type OrderEmailKind = 'received' | 'rejected' | 'shipped' | 'delivered';
export type Language = 'en' | 'zh-CN';

export interface OrderEmailData {
  orderNumber: string;
  customerName: string;
  language: string;
  trackingNumber?: string;
  carrier?: string;
  reason?: string;
}

interface Rendered {
  subject: string;
  text: string;
  html: string;
}

type Copy = (d: OrderEmailData) => { subject: string; lines: string[] };

const COPY: Record<Language, Record<OrderEmailKind, Copy>> = {
  en: {
    received: (d) => ({
      subject: `We have received your order ${d.orderNumber}`,
      lines: [`Dear ${d.customerName},`, `Thank you for your order ${d.orderNumber}. We are preparing it now.`],
    }),
    rejected: (d) => ({
      subject: `Your order ${d.orderNumber} could not be accepted`,
      lines: [
        `Dear ${d.customerName},`,
        `We are sorry: we could not accept order ${d.orderNumber}.`,
        `Reason: ${d.reason ?? '-'}`,
      ],
    }),
    shipped: (d) => ({
      subject: `Your order ${d.orderNumber} has shipped`,
      lines: [
        `Dear ${d.customerName},`,
        `Your order ${d.orderNumber} is on its way with ${d.carrier}.`,
        `Tracking number: ${d.trackingNumber}`,
      ],
    }),
    delivered: (d) => ({
      subject: `Your order ${d.orderNumber} has been delivered`,
      lines: [`Dear ${d.customerName},`, `Your order ${d.orderNumber} has been delivered. Enjoy!`],
    }),
  },
  'zh-CN': {
    received: (d) => ({
      subject: `我们已收到您的订单 ${d.orderNumber}`,
      lines: [`${d.customerName}，您好：`, `感谢您的订单 ${d.orderNumber}，我们正在为您备货。`],
    }),
    rejected: (d) => ({
      subject: `您的订单 ${d.orderNumber} 未能受理`,
      lines: [`${d.customerName}，您好：`, `很抱歉，订单 ${d.orderNumber} 未能受理。`, `原因：${d.reason ?? '-'}`],
    }),
    shipped: (d) => ({
      subject: `您的订单 ${d.orderNumber} 已发货`,
      lines: [
        `${d.customerName}，您好：`,
        `您的订单 ${d.orderNumber} 已由 ${d.carrier} 发出。`,
        `运单号：${d.trackingNumber}`,
      ],
    }),
    delivered: (d) => ({
      subject: `您的订单 ${d.orderNumber} 已签收`,
      lines: [`${d.customerName}，您好：`, `您的订单 ${d.orderNumber} 已送达，祝您购物愉快！`],
    }),
  },
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderOrderEmail(kind: OrderEmailKind, data: OrderEmailData): Rendered {
  const language: Language = data.language === 'zh-CN' ? 'zh-CN' : 'en';
  const { subject, lines } = COPY[language][kind](data);
  return {
    subject,
    text: lines.join('\n\n'),
    html: lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n'),
  };
}

export interface LowStockEmailData {
  sku: string;
  locationName: string;
  available: number;
  safetyStock: number;
}

/** To the manager, in English. */
export function renderLowStockEmail(d: LowStockEmailData): Rendered {
  const lines = [
    `Stock of ${d.sku} at ${d.locationName} is below its safety stock.`,
    `Available: ${d.available}. Safety stock: ${d.safetyStock}.`,
    'You will not be told again until it has recovered and dropped once more.',
  ];
  return {
    subject: `Low stock: ${d.sku} at ${d.locationName}`,
    text: lines.join('\n\n'),
    html: lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n'),
  };
}

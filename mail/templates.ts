/**
 * Customer emails in the order's language. Pure: data in, subject and both parts out (the layout is
 * mail/order-email-layout.ts); customer text is escaped.
 */
import { renderOrderEmailParts, type EmailShop } from './order-email-layout';

export const ORDER_EMAIL_KINDS = [
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
] as const;
export type OrderEmailKind = (typeof ORDER_EMAIL_KINDS)[number];
/** The emails that name the parcel (carrier and tracking number); only they need the order's shipments. */
export const SHOWS_PARCEL: ReadonlySet<OrderEmailKind> = new Set<OrderEmailKind>(['shipped']);
export type Language = 'en' | 'zh-CN';

export interface OrderEmailData {
  orderNumber: string;
  customerName: string;
  language: string;
  trackingNumber?: string;
  carrier?: string;
  reason?: string;
  storeName?: string;
  storeAddress?: string;
  /** In the currency's minor unit (fen, cents). */
  amountMinor?: number;
  /** ISO 4217 code; CNY when absent. */
  currency?: string;
  returnNumber?: string;
  items?: { sku: string; quantity: number }[];
  shipmentCount?: number;
  /** 1-based position of this parcel among `shipmentCount`. */
  shipmentSeq?: number;
  /** The customer's tracking page (/track/<token>), linked from every email. */
  trackingPageUrl?: string;
  /** Who sends it (OMS_SHOP_NAME, OMS_SHOP_LOGO_URL, OMS_SHOP_CONTACT). */
  shop?: EmailShop;
  /** The order's lines, for the emails that show what was bought (SHOWS_ORDER). */
  lines?: { name: string; details: string; quantity: number; unitPriceMinor: number; gift?: boolean }[];
  /** What promotions and the member discount took off (the lines show list prices), by promotion. */
  discounts?: { name?: string; amountMinor: number }[];
  /** What the order costs, every discount taken off. */
  totalMinor?: number;
  /** The part of the total paid with points. */
  pointsMinor?: number;
  paymentStatus?: string;
  /** The delivery address, partly masked (maskedAddressLine), or the store to collect from. */
  deliverTo?: string;
  /** The last day of the after-sales window (YYYY-MM-DD), for the delivered email. */
  returnBy?: string;
}

/** The emails that show the items, the total and the payment. */
export const SHOWS_ORDER: ReadonlySet<OrderEmailKind> = new Set<OrderEmailKind>([
  'received',
  'shipped',
  'ready_for_pickup',
  'delivered',
  'cancelled',
]);
/** The emails that say where the goods go. */
const SHOWS_ADDRESS: ReadonlySet<OrderEmailKind> = new Set<OrderEmailKind>(['received', 'shipped', 'ready_for_pickup']);

/** What a 满赠 gift costs, in the lines. */
const GIFT_WORDS: Record<Language, string> = { en: 'free gift', 'zh-CN': '赠品' };
/** A discount no promotion of ours names (a marketplace's). */
const DISCOUNT_WORDS: Record<Language, string> = { en: 'Discount', 'zh-CN': '优惠' };

const PAYMENT_WORDS: Record<Language, Record<string, string>> = {
  en: { PAID: 'Paid', PENDING: 'To be paid', COD: 'Cash on delivery' },
  'zh-CN': { PAID: '已付款', PENDING: '待付款', COD: '货到付款' },
};

/**
 * An address as an email shows it: the street's first characters and the rest masked, then city and postal code, so
 * a forwarded or misdirected email does not give away the door.
 */
export function maskedAddressLine(address: Record<string, string | undefined>): string {
  const street = (address.line1 ?? '').trim();
  const shown = street.length > 4 ? `${street.slice(0, 4)}***` : street ? '***' : '';
  return [shown, address.city, address.region, address.postalCode, address.country]
    .map((p) => (p ?? '').trim())
    .filter(Boolean)
    .join(', ');
}

interface Rendered {
  subject: string;
  text: string;
  html: string;
}

type Copy = (d: OrderEmailData) => { subject: string; lines: string[] };

/** Drops the lines whose condition did not hold. */
function lines(...candidates: (string | false | null | undefined)[]): string[] {
  return candidates.filter((line): line is string => typeof line === 'string' && line !== '');
}

/** '2 × SKU-1' for each item, joined with the language's list separator; undefined when there are none. */
function itemList(items: OrderEmailData['items'], separator: string): string | undefined {
  if (!items || items.length === 0) return undefined;
  return items.map((item) => `${item.quantity} × ${item.sku}`).join(separator);
}

function hasAmount(d: OrderEmailData): d is OrderEmailData & { amountMinor: number } {
  return typeof d.amountMinor === 'number' && Number.isFinite(d.amountMinor);
}

function isMultiParcel(d: OrderEmailData): boolean {
  return typeof d.shipmentCount === 'number' && d.shipmentCount > 1;
}

const COPY: Record<Language, Record<OrderEmailKind, Copy>> = {
  en: {
    received: (d) => ({
      subject: `We have received your order ${d.orderNumber}`,
      lines: [`Dear ${d.customerName},`, `Thank you for your order ${d.orderNumber}. We are preparing it now.`],
    }),
    needs_attention: (d) => ({
      subject: `We are taking a quick look at your order ${d.orderNumber}`,
      lines: lines(
        `Dear ${d.customerName},`,
        `Thank you for your order ${d.orderNumber}. Before we go ahead with it, our team needs to give it a quick check.`,
        d.reason && `Reason: ${d.reason}`,
        'There is nothing you need to do. We will only get in touch if we need anything from you.',
      ),
    }),
    rejected: (d) => ({
      subject: `Your order ${d.orderNumber} could not be accepted`,
      lines: [
        `Dear ${d.customerName},`,
        `We are sorry: we could not accept order ${d.orderNumber}.`,
        `Reason: ${d.reason ?? '-'}`,
      ],
    }),
    backordered: (d) => {
      const items = itemList(d.items, ', ');
      return {
        subject: `Some items in your order ${d.orderNumber} are on backorder`,
        lines: lines(
          `Dear ${d.customerName},`,
          `We are sorry: some items in your order ${d.orderNumber} are currently out of stock.`,
          items && `Waiting for stock: ${items}`,
          'We will ship them as soon as new stock arrives.',
        ),
      };
    },
    shipped: (d) => ({
      subject: `Your order ${d.orderNumber} has shipped`,
      lines: lines(
        `Dear ${d.customerName},`,
        d.carrier
          ? `Your order ${d.orderNumber} is on its way with ${d.carrier}.`
          : `Your order ${d.orderNumber} is on its way.`,
        d.trackingNumber && `Tracking number: ${d.trackingNumber}`,
        isMultiParcel(d) &&
          (d.shipmentSeq
            ? `This is parcel ${d.shipmentSeq} of ${d.shipmentCount}.`
            : `Your order is being sent in ${d.shipmentCount} parcels.`),
      ),
    }),
    ready_for_pickup: (d) => ({
      subject: `Your order ${d.orderNumber} is ready for pickup`,
      lines: lines(
        `Dear ${d.customerName},`,
        d.storeName
          ? `Good news: your order ${d.orderNumber} is ready for pickup at ${d.storeName}.`
          : `Good news: your order ${d.orderNumber} is ready for pickup in store.`,
        d.storeAddress && `Address: ${d.storeAddress}`,
        `Please bring your order number ${d.orderNumber} when you come to collect it.`,
      ),
    }),
    delivered: (d) => ({
      subject: `Your order ${d.orderNumber} has been delivered`,
      lines: [`Dear ${d.customerName},`, `Your order ${d.orderNumber} has been delivered. Enjoy!`],
    }),
    return_accepted: (d) => ({
      subject: d.returnNumber
        ? `Your return ${d.returnNumber} for order ${d.orderNumber} has been accepted`
        : `Your return for order ${d.orderNumber} has been accepted`,
      lines: lines(
        `Dear ${d.customerName},`,
        d.returnNumber
          ? `Your return/exchange request ${d.returnNumber} for order ${d.orderNumber} has been accepted.`
          : `Your return/exchange request for order ${d.orderNumber} has been accepted.`,
        'Please send the goods back to us or bring them to the store.',
      ),
    }),
    return_rejected: (d) => ({
      subject: d.returnNumber
        ? `Your return ${d.returnNumber} for order ${d.orderNumber} could not be accepted`
        : `Your return for order ${d.orderNumber} could not be accepted`,
      lines: [
        `Dear ${d.customerName},`,
        d.returnNumber
          ? `We are sorry: we could not accept your return/exchange request ${d.returnNumber} for order ${d.orderNumber}.`
          : `We are sorry: we could not accept your return/exchange request for order ${d.orderNumber}.`,
        `Reason: ${d.reason ?? '-'}`,
      ],
    }),
    refund_issued: (d) => ({
      subject: `Your refund for order ${d.orderNumber}`,
      lines: lines(
        `Dear ${d.customerName},`,
        hasAmount(d)
          ? `We have issued a refund of ${formatMoney(d.amountMinor, d.currency, 'en')} for your order ${d.orderNumber}.`
          : `We have issued a refund for your order ${d.orderNumber}.`,
        d.returnNumber && `This refund is for your return ${d.returnNumber}.`,
      ),
    }),
    cancelled: (d) => ({
      subject: `Your order ${d.orderNumber} has been cancelled`,
      lines: lines(
        `Dear ${d.customerName},`,
        `Your order ${d.orderNumber} has been cancelled.`,
        d.reason && `Reason: ${d.reason}`,
        hasAmount(d) && `A refund of ${formatMoney(d.amountMinor, d.currency, 'en')} has been recorded for you.`,
      ),
    }),
    partially_cancelled: (d) => {
      const items = itemList(d.items, ', ');
      return {
        subject: `Part of your order ${d.orderNumber} has been cancelled`,
        lines: lines(
          `Dear ${d.customerName},`,
          `We are sorry: we could not supply part of your order ${d.orderNumber}, so that part has been cancelled.`,
          items && `Cancelled: ${items}`,
          'The rest of your order is on its way as planned.',
          hasAmount(d) && `We have refunded ${formatMoney(d.amountMinor, d.currency, 'en')} for the cancelled items.`,
        ),
      };
    },
  },
  'zh-CN': {
    received: (d) => ({
      subject: `我们已收到您的订单 ${d.orderNumber}`,
      lines: [`${d.customerName}，您好：`, `感谢您的订单 ${d.orderNumber}，我们正在为您备货。`],
    }),
    needs_attention: (d) => ({
      subject: `您的订单 ${d.orderNumber} 正在确认中`,
      lines: lines(
        `${d.customerName}，您好：`,
        `感谢您的订单 ${d.orderNumber}。在继续处理之前，我们需要先对订单稍作确认。`,
        d.reason && `原因：${d.reason}`,
        '您无需进行任何操作；如有需要，我们会主动与您联系。',
      ),
    }),
    rejected: (d) => ({
      subject: `您的订单 ${d.orderNumber} 未能受理`,
      lines: [`${d.customerName}，您好：`, `很抱歉，订单 ${d.orderNumber} 未能受理。`, `原因：${d.reason ?? '-'}`],
    }),
    backordered: (d) => {
      const items = itemList(d.items, '、');
      return {
        subject: `您的订单 ${d.orderNumber} 部分商品暂时缺货`,
        lines: lines(
          `${d.customerName}，您好：`,
          `很抱歉，您的订单 ${d.orderNumber} 中有部分商品暂时缺货。`,
          items && `缺货商品：${items}`,
          '到货后我们会第一时间为您发货。',
        ),
      };
    },
    shipped: (d) => ({
      subject: `您的订单 ${d.orderNumber} 已发货`,
      lines: lines(
        `${d.customerName}，您好：`,
        d.carrier ? `您的订单 ${d.orderNumber} 已由 ${d.carrier} 发出。` : `您的订单 ${d.orderNumber} 已发出。`,
        d.trackingNumber && `运单号：${d.trackingNumber}`,
        isMultiParcel(d) &&
          (d.shipmentSeq
            ? `这是第 ${d.shipmentSeq} 个包裹，共 ${d.shipmentCount} 个。`
            : `您的订单将分 ${d.shipmentCount} 个包裹发出。`),
      ),
    }),
    ready_for_pickup: (d) => ({
      subject: `您的订单 ${d.orderNumber} 已可到店自提`,
      lines: lines(
        `${d.customerName}，您好：`,
        d.storeName
          ? `您的订单 ${d.orderNumber} 已备好，欢迎前往 ${d.storeName} 到店自提。`
          : `您的订单 ${d.orderNumber} 已备好，欢迎到店自提。`,
        d.storeAddress && `门店地址：${d.storeAddress}`,
        `取货时请出示订单号 ${d.orderNumber}。`,
      ),
    }),
    delivered: (d) => ({
      subject: `您的订单 ${d.orderNumber} 已签收`,
      lines: [`${d.customerName}，您好：`, `您的订单 ${d.orderNumber} 已送达，祝您购物愉快！`],
    }),
    return_accepted: (d) => ({
      subject: `您的订单 ${d.orderNumber} 退换货申请已通过`,
      lines: lines(
        `${d.customerName}，您好：`,
        d.returnNumber
          ? `您就订单 ${d.orderNumber} 提交的退换货申请 ${d.returnNumber} 已通过。`
          : `您就订单 ${d.orderNumber} 提交的退换货申请已通过。`,
        '请将商品寄回或送至门店。',
      ),
    }),
    return_rejected: (d) => ({
      subject: `您的订单 ${d.orderNumber} 退换货申请未能通过`,
      lines: [
        `${d.customerName}，您好：`,
        d.returnNumber
          ? `很抱歉，您就订单 ${d.orderNumber} 提交的退换货申请 ${d.returnNumber} 未能通过。`
          : `很抱歉，您就订单 ${d.orderNumber} 提交的退换货申请未能通过。`,
        `原因：${d.reason ?? '-'}`,
      ],
    }),
    refund_issued: (d) => ({
      subject: `您的订单 ${d.orderNumber} 已退款`,
      lines: lines(
        `${d.customerName}，您好：`,
        hasAmount(d)
          ? `我们已为您的订单 ${d.orderNumber} 退款 ${formatMoney(d.amountMinor, d.currency, 'zh-CN')}。`
          : `我们已为您的订单 ${d.orderNumber} 办理退款。`,
        d.returnNumber && `本次退款对应退货单 ${d.returnNumber}。`,
      ),
    }),
    cancelled: (d) => ({
      subject: `您的订单 ${d.orderNumber} 已取消`,
      lines: lines(
        `${d.customerName}，您好：`,
        `您的订单 ${d.orderNumber} 已取消。`,
        d.reason && `原因：${d.reason}`,
        hasAmount(d) && `已为您登记退款 ${formatMoney(d.amountMinor, d.currency, 'zh-CN')}。`,
      ),
    }),
    partially_cancelled: (d) => {
      const items = itemList(d.items, '、');
      return {
        subject: `您的订单 ${d.orderNumber} 部分商品已取消`,
        lines: lines(
          `${d.customerName}，您好：`,
          `很抱歉，您的订单 ${d.orderNumber} 中有部分商品无法供货，已为您取消。`,
          items && `已取消商品：${items}`,
          '其余商品将照常为您寄出。',
          hasAmount(d) && `已取消商品的款项 ${formatMoney(d.amountMinor, d.currency, 'zh-CN')} 已为您退款。`,
        ),
      };
    },
  },
};

/** Decimal places of a currency's minor unit (2 for CNY, 0 for JPY); 2 for a code Intl does not know. */
function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * An amount in minor units for a customer: CNY in Chinese as '¥199.00', everything else as 'CNY 199.00'.
 * Integer arithmetic only; thousands are grouped with commas ('CNY 1,999.00').
 */
export function formatMoney(amountMinor: number, currency = 'CNY', language: string = 'en'): string {
  const code = currency.trim().toUpperCase() || 'CNY';
  const digits = minorDigits(code);
  const minor = Math.abs(Math.round(amountMinor));
  const unit = 10 ** digits;
  const major = Math.floor(minor / unit)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const number = digits > 0 ? `${major}.${String(minor % unit).padStart(digits, '0')}` : major;
  const sign = Math.round(amountMinor) < 0 ? '-' : '';
  return language === 'zh-CN' && code === 'CNY' ? `${sign}¥${number}` : `${sign}${code} ${number}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderOrderEmail(kind: OrderEmailKind, data: OrderEmailData): Rendered {
  const language: Language = data.language === 'zh-CN' ? 'zh-CN' : 'en';
  const { subject, lines } = COPY[language][kind](data);
  const money = (minor: number) => formatMoney(minor, data.currency, language);
  const summary =
    SHOWS_ORDER.has(kind) && data.lines?.length && typeof data.totalMinor === 'number'
      ? {
          lines: data.lines.map((l) => ({
            ...l,
            amount: l.gift ? GIFT_WORDS[language] : money(l.unitPriceMinor * l.quantity),
          })),
          discounts: data.discounts?.map((d) => ({
            name: d.name ?? DISCOUNT_WORDS[language],
            amount: money(-d.amountMinor),
          })),
          points: data.pointsMinor ? money(-data.pointsMinor) : undefined,
          total: money(data.totalMinor - (data.pointsMinor ?? 0)),
          payment: data.paymentStatus ? PAYMENT_WORDS[language][data.paymentStatus] : undefined,
        }
      : undefined;
  const parcel =
    SHOWS_PARCEL.has(kind) && data.trackingNumber
      ? { carrier: data.carrier ?? '', trackingNumber: data.trackingNumber }
      : undefined;
  const parts = renderOrderEmailParts({
    language,
    subject,
    lines,
    shop: data.shop ?? { name: 'Shop OMS' },
    summary,
    deliverTo: SHOWS_ADDRESS.has(kind) ? data.deliverTo : undefined,
    parcel,
    returnBy: kind === 'delivered' ? data.returnBy : undefined,
    trackingPageUrl: data.trackingPageUrl,
  });
  return { subject, ...parts };
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

export interface OrderWarningEmailData {
  orderNumber: string;
  kind: 'DELAY' | 'EXCEPTION';
  stage: string;
  message: string;
  publicUrl: string;
}

/** To the manager, in English: an order waits too long in a stage, or its parcel ran into trouble. */
export function renderOrderWarningEmail(d: OrderWarningEmailData): Rendered {
  const lines = [
    d.message,
    `Details: ${d.publicUrl}/api/orders/${d.orderNumber}`,
    'The warning closes by itself when the order moves on; you will not be told twice about this wait.',
  ];
  return {
    subject:
      d.kind === 'EXCEPTION'
        ? `Delivery exception: order ${d.orderNumber}`
        : `Delayed in ${d.stage}: order ${d.orderNumber}`,
    text: lines.join('\n\n'),
    html: lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n'),
  };
}

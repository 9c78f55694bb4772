/**
 * The customer's repair emails, one per step of the ticket, in the ticket's language: what happened, what it costs,
 * where to collect or which parcel to expect, and the ticket's page. Pure; the layout is the order emails'
 * (mail/order-email-layout.ts).
 */
import type { RepairStatus } from '../domain/repairs';
import { renderOrderEmailParts, type EmailShop } from './order-email-layout';
import { escapeHtml, formatMoney } from './templates';

export interface RepairEmailData {
  ticketNumber: string;
  customerName: string;
  language: string;
  /** The product's name and variant, as the customer knows the device. */
  device: string;
  serial: string;
  fault: string;
  diagnosis?: string | null;
  inWarranty: boolean;
  /** YYYY-MM-DD, the warranty's last day; absent for a unit the shop did not sell. */
  warrantyEnds?: string;
  chargeMinor: number;
  replacementSerial?: string | null;
  storeName: string;
  carrier?: string | null;
  trackingNumber?: string | null;
  trackingPageUrl: string;
  shop: EmailShop;
}

type Language = 'en' | 'zh-CN';

/** Only the last four digits of an IMEI: enough for the customer to know the device. */
const lastFour = (serial: string) => `…${serial.slice(-4)}`;

const lines = (...candidates: (string | false | null | undefined)[]) =>
  candidates.filter((line): line is string => typeof line === 'string' && line !== '');

const COPY: Record<
  Language,
  (status: RepairStatus, d: RepairEmailData, money: string) => { subject: string; lines: string[] }
> = {
  en: (status, d, money) => {
    const device = `${d.device} (IMEI ${lastFour(d.serial)})`;
    const hello = `Dear ${d.customerName || 'customer'},`;
    const warranty = d.inWarranty
      ? `It is in warranty${d.warrantyEnds ? ` (until ${d.warrantyEnds})` : ''}: the repair is free of charge.`
      : `It is out of warranty${d.warrantyEnds ? ` (it ended ${d.warrantyEnds})` : ''}: we will tell you the cost before we repair it.`;
    switch (status) {
      case 'RECEIVED':
        return {
          subject: `Repair ${d.ticketNumber}: we have your ${d.device}`,
          lines: [
            hello,
            `We have received your ${device} at ${d.storeName} for repair.`,
            `Fault: ${d.fault}`,
            warranty,
          ],
        };
      case 'DIAGNOSED':
        return {
          subject: `Repair ${d.ticketNumber}: diagnosis`,
          lines: lines(
            hello,
            `We have looked at your ${device}.`,
            d.diagnosis && `Diagnosis: ${d.diagnosis}`,
            d.inWarranty
              ? 'In warranty: free of charge.'
              : `Cost of the repair: ${money}. Please tell us if you agree.`,
          ),
        };
      case 'IN_STORE_REPAIR':
        return {
          subject: `Repair ${d.ticketNumber}: being repaired`,
          lines: [hello, `Our technicians at ${d.storeName} are repairing your ${device}.`],
        };
      case 'AT_VENDOR':
        return {
          subject: `Repair ${d.ticketNumber}: sent to the manufacturer`,
          lines: [
            hello,
            `Your ${device} has gone to the manufacturer's service centre for repair. This takes longer; we will write again as soon as it is back.`,
          ],
        };
      case 'REPAIRED':
      case 'REPLACED':
      case 'REFUSED':
        return {
          subject:
            status === 'REFUSED'
              ? `Repair ${d.ticketNumber}: we could not repair it`
              : `Repair ${d.ticketNumber}: ready${status === 'REPLACED' ? ' (replaced)' : ''}`,
          lines: lines(
            hello,
            status === 'REPAIRED' && `Your ${device} has been repaired.`,
            status === 'REPLACED' &&
              `Your ${device} could not be repaired, so we are giving you a new one (IMEI ${lastFour(d.replacementSerial ?? '')}).`,
            status === 'REFUSED' && `We are sorry: your ${device} could not be repaired.`,
            d.diagnosis && `Diagnosis: ${d.diagnosis}`,
            d.chargeMinor > 0 && status === 'REPAIRED' && `To pay on collection: ${money}.`,
            `You can collect it at ${d.storeName}, or we send it back to you.`,
          ),
        };
      case 'COLLECTED':
        return {
          subject: `Repair ${d.ticketNumber}: collected`,
          lines: [hello, `You have collected your device at ${d.storeName}. Thank you for your trust.`],
        };
      case 'SHIPPED_BACK':
        return {
          subject: `Repair ${d.ticketNumber}: on its way back to you`,
          lines: lines(
            hello,
            `Your device is on its way back to you${d.carrier ? ` with ${d.carrier}` : ''}.`,
            d.trackingNumber && `Tracking number: ${d.trackingNumber}`,
          ),
        };
    }
  },
  'zh-CN': (status, d, money) => {
    const device = `${d.device}（IMEI ${lastFour(d.serial)}）`;
    const hello = `${d.customerName || '顾客'}，您好：`;
    const warranty = d.inWarranty
      ? `该设备在保修期内${d.warrantyEnds ? `（至 ${d.warrantyEnds}）` : ''}，维修免费。`
      : `该设备已过保修期${d.warrantyEnds ? `（${d.warrantyEnds} 到期）` : ''}，维修前我们会先告知费用。`;
    switch (status) {
      case 'RECEIVED':
        return {
          subject: `维修单 ${d.ticketNumber}：已收到您的${d.device}`,
          lines: [hello, `${d.storeName}已收到您送修的${device}。`, `故障描述：${d.fault}`, warranty],
        };
      case 'DIAGNOSED':
        return {
          subject: `维修单 ${d.ticketNumber}：检测结果`,
          lines: lines(
            hello,
            `您的${device}已检测完毕。`,
            d.diagnosis && `检测结果：${d.diagnosis}`,
            d.inWarranty ? '保修期内，维修免费。' : `维修费用：${money}，请告知是否同意维修。`,
          ),
        };
      case 'IN_STORE_REPAIR':
        return {
          subject: `维修单 ${d.ticketNumber}：维修中`,
          lines: [hello, `${d.storeName}的技师正在维修您的${device}。`],
        };
      case 'AT_VENDOR':
        return {
          subject: `维修单 ${d.ticketNumber}：已送厂家维修`,
          lines: [hello, `您的${device}已送往厂家售后维修，所需时间较长，返回后我们会立即通知您。`],
        };
      case 'REPAIRED':
      case 'REPLACED':
      case 'REFUSED':
        return {
          subject:
            status === 'REFUSED'
              ? `维修单 ${d.ticketNumber}：无法维修`
              : `维修单 ${d.ticketNumber}：${status === 'REPLACED' ? '已换新' : '已修好'}`,
          lines: lines(
            hello,
            status === 'REPAIRED' && `您的${device}已修好。`,
            status === 'REPLACED' &&
              `您的${device}无法修复，我们为您更换了新机（IMEI ${lastFour(d.replacementSerial ?? '')}）。`,
            status === 'REFUSED' && `很抱歉，您的${device}无法维修。`,
            d.diagnosis && `检测结果：${d.diagnosis}`,
            d.chargeMinor > 0 && status === 'REPAIRED' && `取机时需支付：${money}。`,
            `您可以到${d.storeName}取回，或由我们寄回给您。`,
          ),
        };
      case 'COLLECTED':
        return {
          subject: `维修单 ${d.ticketNumber}：已取机`,
          lines: [hello, `您已在${d.storeName}取回设备，感谢您的信任。`],
        };
      case 'SHIPPED_BACK':
        return {
          subject: `维修单 ${d.ticketNumber}：已寄回`,
          lines: lines(
            hello,
            `您的设备已寄回${d.carrier ? `（${d.carrier}）` : ''}。`,
            d.trackingNumber && `运单号：${d.trackingNumber}`,
          ),
        };
    }
  },
};

const TRACK_WORDS: Record<Language, { track: string; follow: string }> = {
  en: { track: 'Follow your repair', follow: 'Follow your repair:' },
  'zh-CN': { track: '查看维修进度', follow: '查看维修进度：' },
};

export function renderRepairEmail(status: RepairStatus, d: RepairEmailData) {
  const language: Language = d.language === 'en' ? 'en' : 'zh-CN';
  const { subject, lines: message } = COPY[language](status, d, formatMoney(d.chargeMinor, 'CNY', language));
  const parcel =
    status === 'SHIPPED_BACK' && d.trackingNumber
      ? { carrier: d.carrier ?? '', trackingNumber: d.trackingNumber }
      : undefined;
  return {
    subject,
    ...renderOrderEmailParts({
      language,
      subject,
      lines: message,
      shop: d.shop,
      parcel,
      trackingPageUrl: d.trackingPageUrl,
      trackWords: TRACK_WORDS[language],
    }),
  };
}

/** The manager's email when a ticket waits past a stage's SLA. */
export function renderRepairWarningEmail(d: { ticketNumber: string; message: string; publicUrl: string }) {
  const lines = [
    d.message,
    `Details: ${d.publicUrl}/api/repairs/${d.ticketNumber}`,
    'The warning closes by itself when the ticket moves on; you will not be told twice about this wait.',
  ];
  return {
    subject: `Repair delayed: ${d.ticketNumber}`,
    text: lines.join('\n\n'),
    html: lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n'),
  };
}

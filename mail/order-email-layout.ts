/**
 * The customer email's HTML and plain-text parts, from the message's lines and the order's details: a layout built
 * with React Email (its components render the table-based HTML that mail apps on phones display well) and the same
 * content as text. Written with createElement, not JSX, so the rest of the code base needs no JSX build step, and
 * rendered by React DOM's server renderer directly (what @react-email/render does too, but through a dynamic import
 * that jest's CommonJS runtime cannot load).
 * React escapes every text; the only attributes set from data are URLs from configuration and the tracking page.
 */
import { createElement as h, type ReactNode } from 'react';
import { Body, Button, Container, Head, Heading, Hr, Html, Img, Preview, Section, Text } from '@react-email/components';
import { renderToStaticMarkup } from 'react-dom/server';

export interface EmailShop {
  name: string;
  logoUrl?: string;
  /** A phone number, email or website, as the customer should reach the shop. */
  contact?: string;
}

export interface EmailOrderSummary {
  lines: { name: string; details: string; quantity: number; amount: string }[];
  /** Each promotion's discount, already formatted (`-¥30.00`). */
  discounts?: { name: string; amount: string }[];
  /** Points taken off, already formatted (`-¥8.00`), if any. */
  points?: string;
  total: string;
  payment?: string;
}

export interface EmailContent {
  language: 'en' | 'zh-CN';
  subject: string;
  /** The message itself, one paragraph each. */
  lines: string[];
  shop: EmailShop;
  summary?: EmailOrderSummary;
  /** The delivery address, partly masked, or the store to collect from. */
  deliverTo?: string;
  parcel?: { carrier: string; trackingNumber: string };
  /** The last day a return can be asked for (YYYY-MM-DD). */
  returnBy?: string;
  trackingPageUrl?: string;
  /** The link's words when the page is not an order's (a repair ticket's). */
  trackWords?: { track: string; follow: string };
}

const WORDS = {
  en: {
    items: 'Your items',
    points: 'Paid with points',
    total: 'Total',
    deliverTo: 'Delivering to',
    parcel: 'Your parcel',
    returnBy: 'You can ask to return items until',
    track: 'Follow your order',
    follow: 'Follow your order, or ask to cancel or return:',
    contact: 'Questions? Contact us:',
  },
  'zh-CN': {
    items: '商品明细',
    points: '积分抵扣',
    total: '合计',
    deliverTo: '收货地址',
    parcel: '您的包裹',
    returnBy: '退货申请截止日期',
    track: '查看订单进度',
    follow: '查看订单进度、申请取消或退货：',
    contact: '如有疑问，请联系我们：',
  },
};

const page = {
  backgroundColor: '#f5f5f5',
  margin: 0,
  padding: '8px 0',
  fontFamily: 'Helvetica, Arial, "PingFang SC", "Microsoft YaHei", sans-serif',
};
// The card's padding is on a section inside it: on the table itself it would add to the 100% width of a phone.
const card = { backgroundColor: '#ffffff', maxWidth: '560px', margin: '0 auto', borderRadius: '8px' };
const inside = { padding: '16px 20px' };
const muted = { color: '#777777', fontSize: '13px', margin: '2px 0' };
const row = { margin: '6px 0', fontSize: '14px' };

/** The doctype mail apps expect of an HTML email (React renders none). */
const XHTML_DOCTYPE =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

/** Both parts of the email. */
export function renderOrderEmailParts(content: EmailContent): { html: string; text: string } {
  return { html: XHTML_DOCTYPE + renderToStaticMarkup(layout(content)), text: textOf(content) };
}

function layout(c: EmailContent) {
  const w = WORDS[c.language];
  const blocks: ReactNode[] = [];
  blocks.push(
    c.shop.logoUrl
      ? h(Img, { key: 'logo', src: c.shop.logoUrl, alt: c.shop.name, height: 40 })
      : h(Heading, { key: 'shop', as: 'h2', style: { fontSize: '18px', margin: '0 0 8px' } }, c.shop.name),
  );
  c.lines.forEach((line, i) => blocks.push(h(Text, { key: `line-${i}`, style: { fontSize: '15px' } }, line)));
  if (c.summary) {
    const s = c.summary;
    blocks.push(
      h(
        Section,
        { key: 'summary' },
        h(Hr),
        h(Text, { style: { fontWeight: 600, margin: '8px 0' } }, w.items),
        ...s.lines.map((l, i) =>
          h(
            Section,
            { key: `item-${i}`, style: { margin: '6px 0' } },
            h(Text, { style: { ...row, margin: 0 } }, `${l.name} × ${l.quantity} · ${l.amount}`),
            l.details ? h(Text, { style: muted }, l.details) : null,
          ),
        ),
        ...(s.discounts ?? []).map((d, i) => h(Text, { key: `discount-${i}`, style: row }, `${d.name}: ${d.amount}`)),
        s.points ? h(Text, { style: row }, `${w.points}: ${s.points}`) : null,
        h(Text, { style: { ...row, fontWeight: 600 } }, `${w.total}: ${s.total}`),
        s.payment ? h(Text, { style: muted }, s.payment) : null,
      ),
    );
  }
  if (c.deliverTo) {
    blocks.push(h(Section, { key: 'to' }, h(Hr), h(Text, { style: muted }, w.deliverTo), h(Text, null, c.deliverTo)));
  }
  if (c.parcel) {
    blocks.push(
      h(
        Section,
        { key: 'parcel' },
        h(Hr),
        h(Text, { style: muted }, w.parcel),
        h(Text, { style: { fontSize: '15px', fontWeight: 600 } }, `${c.parcel.carrier} ${c.parcel.trackingNumber}`),
      ),
    );
  }
  if (c.returnBy) blocks.push(h(Text, { key: 'return-by', style: muted }, `${w.returnBy} ${c.returnBy}`));
  if (c.trackingPageUrl) {
    blocks.push(
      h(
        Section,
        { key: 'track', style: { margin: '16px 0 8px' } },
        h(
          Button,
          {
            href: c.trackingPageUrl,
            style: { backgroundColor: '#1677ff', color: '#ffffff', padding: '12px 18px', borderRadius: '6px' },
          },
          (c.trackWords ?? w).track,
        ),
        // A long link breaks anywhere rather than widen the card past a phone's screen.
        h(
          Text,
          { style: { ...muted, wordBreak: 'break-all' as const } },
          `${(c.trackWords ?? w).follow} `,
          h('a', { href: c.trackingPageUrl }, c.trackingPageUrl),
        ),
      ),
    );
  }
  if (c.shop.contact) blocks.push(h(Text, { key: 'contact', style: muted }, `${w.contact} ${c.shop.contact}`));
  return h(
    Html,
    { lang: c.language },
    h(Head),
    h(Preview, null, c.subject),
    h(Body, { style: page }, h(Container, { style: card }, h(Section, { style: inside }, ...blocks))),
  );
}

/** The plain-text part: the message first, then the same details as the HTML, a paragraph each. */
function textOf(c: EmailContent): string {
  const w = WORDS[c.language];
  const parts = [...c.lines];
  if (c.summary) {
    const s = c.summary;
    parts.push(
      [
        `${w.items}:`,
        ...s.lines.map((l) => `- ${l.name}${l.details ? ` (${l.details})` : ''} × ${l.quantity}: ${l.amount}`),
        ...(s.discounts ?? []).map((d) => `${d.name}: ${d.amount}`),
        ...(s.points ? [`${w.points}: ${s.points}`] : []),
        `${w.total}: ${s.total}`,
        ...(s.payment ? [s.payment] : []),
      ].join('\n'),
    );
  }
  if (c.deliverTo) parts.push(`${w.deliverTo}: ${c.deliverTo}`);
  // The parcel is in the message's own lines already (carrier and tracking number); the HTML gives it a box of its own.
  if (c.returnBy) parts.push(`${w.returnBy} ${c.returnBy}`);
  parts.push(`— ${c.shop.name}`);
  if (c.shop.contact) parts.push(`${w.contact} ${c.shop.contact}`);
  // Last, so the link is where a reader of the text looks for it.
  if (c.trackingPageUrl) parts.push(`${(c.trackWords ?? w).follow} ${c.trackingPageUrl}`);
  return parts.join('\n\n');
}

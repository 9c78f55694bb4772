/**
 * The customer's tracking page (/track/<token>) as HTML: where the order is in the customer's words, its items,
 * parcels with their tracking events, returns, and what the customer may do now (cancel before anything ships, a
 * return within the after-sales window). Pure: the view in, a page out; every text from the order is escaped. Plain
 * HTML with its style inline and forms that post: it works on any phone, offline LANs included, without scripts.
 */
import { CANCELLABLE_STATUSES, EDITABLE_STATUSES, STAFF_ACTIONS } from './staff-actions';
import type { OrderStatus } from './order-status';
import { RETURN_REASONS } from './after-sales';

export type PageLanguage = 'en' | 'zh-CN';

export interface TrackingView {
  shopName: string;
  orderNumber: string;
  status: OrderStatus;
  createdAt: Date;
  totalMinor: number;
  pointsMinor: number;
  currency: string;
  /** The city (and region) the parcel goes to, or the store for a pickup: no street on a page anyone with the link sees. */
  destination: string;
  /** Sent by carrier to an address (not collected in store): the customer may correct the address before picking. */
  shipsToAddress: boolean;
  /** Each line at what it costs after its discounts (discountMinor), the list price struck through beside it. */
  lines: {
    lineNo: number;
    sku: string;
    name: string;
    quantity: number;
    unitPriceMinor: number;
    discountMinor?: number;
    gift?: boolean;
  }[];
  shipments: {
    seq: number;
    carrier: string;
    trackingNumber: string;
    events: { status: string; occurredAt: Date }[];
  }[];
  returns: { returnNumber: string; kind: string; status: string; refundMinor: number | null }[];
  /** What the customer asked just now (`?done=`), to say it was received. */
  notice?: 'cancel' | 'return' | 'address' | 'refused';
  /** The reason a request was refused, in the API's words. */
  refusal?: string;
}

const STAGES = ['RECEIVED', 'PREPARING', 'SHIPPED', 'DELIVERED', 'COMPLETED'] as const;
type Stage = (typeof STAGES)[number];

/** The five steps a customer follows; staff statuses fold into them. */
function stageOf(status: OrderStatus): Stage | undefined {
  switch (status) {
    case 'RECEIVED':
    case 'IN_REVIEW':
      return 'RECEIVED';
    case 'ALLOCATING':
    case 'BACKORDERED':
    case 'PICKING':
      return 'PREPARING';
    case 'SHIPPED':
    case 'READY_FOR_PICKUP':
      return 'SHIPPED';
    case 'DELIVERED':
    case 'AFTER_SALES':
      return 'DELIVERED';
    case 'COMPLETED':
      return 'COMPLETED';
    default:
      return undefined; // cancelled or not accepted: no progress to show
  }
}

const WORDS = {
  en: {
    title: 'Your order',
    placed: 'Placed',
    status: {
      RECEIVED: 'We have your order',
      IN_REVIEW: 'We are checking your order',
      ALLOCATING: 'We are preparing your order',
      BACKORDERED: 'Some items are on their way to us; we will send them as soon as they arrive',
      PICKING: 'We are packing your order',
      SHIPPED: 'On its way to you',
      READY_FOR_PICKUP: 'Ready for you to collect',
      DELIVERED: 'Delivered',
      AFTER_SALES: 'Delivered; we are handling your return',
      COMPLETED: 'Completed',
      REJECTED: 'We could not accept this order',
      CANCELLED: 'Cancelled',
    } satisfies Record<OrderStatus, string>,
    stages: {
      RECEIVED: 'Received',
      PREPARING: 'Preparing',
      SHIPPED: 'Shipped',
      DELIVERED: 'Delivered',
      COMPLETED: 'Done',
    },
    items: 'Items',
    total: 'Total',
    points: 'Paid with points',
    gift: 'Free gift',
    to: 'Delivering to',
    parcels: 'Parcels',
    parcel: 'Parcel',
    tracking: {
      PICKED_UP: 'Picked up by the carrier',
      IN_TRANSIT: 'In transit',
      OUT_FOR_DELIVERY: 'Out for delivery',
      DELIVERED: 'Delivered',
      EXCEPTION: 'A delivery problem: we are on it',
      RETURNED: 'Returned to us',
    } as Record<string, string>,
    noEvents: 'No tracking news yet',
    returns: 'Returns and exchanges',
    returnStatus: {
      REQUESTED: 'Requested: we will reply soon',
      APPROVED: 'Accepted: please send the items back',
      RECEIVED: 'Received back',
      REJECTED: 'Not accepted',
      REFUNDED: 'Refunded',
      EXCHANGED: 'Exchanged',
    } as Record<string, string>,
    cancelTitle: 'Cancel this order',
    cancelHelp: 'Nothing has left us yet: cancelling refunds whatever you paid.',
    cancelButton: 'Cancel my order',
    addressTitle: 'Change the delivery address',
    addressHelp: 'Until we pick your order. We check the new address as we checked the first.',
    addressButton: 'Send the new address',
    address: {
      line1: 'Street and number',
      line2: 'Flat, floor (optional)',
      city: 'City',
      region: 'Province or region (optional)',
      postalCode: 'Postal code',
    } as Record<string, string>,
    returnTitle: 'Return items',
    returnHelp: 'Choose how many of each you are sending back, and why.',
    returnButton: 'Request a return',
    reason: 'Reason',
    quantity: 'How many',
    reasons: {
      DAMAGED: 'Arrived damaged',
      DEFECTIVE: 'Does not work',
      WRONG_ITEM: 'Not what I ordered',
      NOT_AS_DESCRIBED: 'Not as described',
      SIZE_OR_FIT: 'Size or fit',
      CHANGED_MIND: 'Changed my mind',
      OTHER: 'Other',
    } as Record<string, string>,
    cancelReasons: {
      'Changed my mind': 'Changed my mind',
      'Ordered by mistake': 'Ordered by mistake',
      'Found it cheaper': 'Found it cheaper',
      'Takes too long': 'Takes too long',
    } as Record<string, string>,
    notice: {
      cancel: 'We have your cancellation request.',
      return: 'We have your return request: we will email you once we have looked at it.',
      address: 'We have your new address.',
      refused: 'We could not do that:',
    },
    language: '中文',
  },
  'zh-CN': {
    title: '您的订单',
    placed: '下单时间',
    status: {
      RECEIVED: '我们已收到您的订单',
      IN_REVIEW: '我们正在确认您的订单',
      ALLOCATING: '我们正在为您备货',
      BACKORDERED: '部分商品正在补货，到货后会立即为您发出',
      PICKING: '我们正在为您打包',
      SHIPPED: '包裹正在路上',
      READY_FOR_PICKUP: '已可到店自提',
      DELIVERED: '已签收',
      AFTER_SALES: '已签收，售后处理中',
      COMPLETED: '已完成',
      REJECTED: '订单未能受理',
      CANCELLED: '已取消',
    } satisfies Record<OrderStatus, string>,
    stages: { RECEIVED: '已下单', PREPARING: '备货中', SHIPPED: '已发货', DELIVERED: '已签收', COMPLETED: '已完成' },
    items: '商品',
    total: '合计',
    points: '积分抵扣',
    gift: '赠品',
    to: '收货地',
    parcels: '包裹',
    parcel: '包裹',
    tracking: {
      PICKED_UP: '快递已揽收',
      IN_TRANSIT: '运输中',
      OUT_FOR_DELIVERY: '派送中',
      DELIVERED: '已签收',
      EXCEPTION: '派送异常，我们正在处理',
      RETURNED: '已退回',
    } as Record<string, string>,
    noEvents: '暂无物流信息',
    returns: '退换货',
    returnStatus: {
      REQUESTED: '已申请，我们会尽快回复',
      APPROVED: '已同意，请寄回商品',
      RECEIVED: '已收到退回商品',
      REJECTED: '未同意',
      REFUNDED: '已退款',
      EXCHANGED: '已换货',
    } as Record<string, string>,
    cancelTitle: '取消订单',
    cancelHelp: '商品尚未发出，取消后将全额退款。',
    cancelButton: '取消订单',
    addressTitle: '修改收货地址',
    addressHelp: '拣货前均可修改，新地址将与原地址一样经过审核。',
    addressButton: '提交新地址',
    address: {
      line1: '街道和门牌号',
      line2: '楼层、房间号（选填）',
      city: '城市',
      region: '省份或地区（选填）',
      postalCode: '邮政编码',
    } as Record<string, string>,
    returnTitle: '申请退货',
    returnHelp: '请选择每件商品退回的数量和原因。',
    returnButton: '提交退货申请',
    reason: '原因',
    quantity: '数量',
    reasons: {
      DAMAGED: '商品破损',
      DEFECTIVE: '商品故障',
      WRONG_ITEM: '发错商品',
      NOT_AS_DESCRIBED: '与描述不符',
      SIZE_OR_FIT: '尺码不合适',
      CHANGED_MIND: '不想要了',
      OTHER: '其他',
    } as Record<string, string>,
    cancelReasons: {
      'Changed my mind': '不想要了',
      'Ordered by mistake': '拍错了',
      'Found it cheaper': '别处更便宜',
      'Takes too long': '等太久了',
    } as Record<string, string>,
    notice: {
      cancel: '我们已收到您的取消申请。',
      return: '我们已收到您的退货申请，审核后会邮件通知您。',
      address: '我们已收到您的新地址。',
      refused: '操作未能完成：',
    },
    language: 'English',
  },
};

/** The customer's cancellation reasons, as the workflow records them (the customer's language only on the page). */
export const CUSTOMER_CANCEL_REASONS = Object.keys(WORDS.en.cancelReasons);

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function money(minor: number, currency: string): string {
  const symbol = currency === 'CNY' ? '¥' : `${currency} `;
  return `${minor < 0 ? '-' : ''}${symbol}${(Math.abs(minor) / 100).toFixed(2)}`;
}

const when = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');

/** The address form's fields, as the edit takes them (domain/order-edit-input.ts); the country stays CN. */
export const ADDRESS_FIELDS = ['line1', 'line2', 'city', 'region', 'postalCode'] as const;
const OPTIONAL_ADDRESS_FIELDS: readonly string[] = ['line2', 'region'];

/**
 * What the customer may ask for now: the same statuses the staff rules allow (domain/staff-actions.ts). The address
 * until a parcel is picked (a parcel on the page has been booked, so picked).
 */
export function customerActions(view: Pick<TrackingView, 'status' | 'shipsToAddress' | 'shipments'>): {
  cancel: boolean;
  requestReturn: boolean;
  changeAddress: boolean;
} {
  const { status } = view;
  return {
    cancel: (CANCELLABLE_STATUSES as readonly OrderStatus[]).includes(status),
    requestReturn: (STAFF_ACTIONS.requestReturn.statuses as readonly OrderStatus[]).includes(status),
    changeAddress:
      view.shipsToAddress &&
      view.shipments.length === 0 &&
      (EDITABLE_STATUSES as readonly OrderStatus[]).includes(status),
  };
}

export function renderTrackingPage(view: TrackingView, language: PageLanguage, token: string): string {
  const w = WORDS[language];
  const other: PageLanguage = language === 'en' ? 'zh-CN' : 'en';
  const stage = stageOf(view.status);
  const actions = customerActions(view);
  const base = `/track/${token}`;
  // The customer's choice of language goes along with what they send.
  const lang = `?lang=${language}`;
  const section = (title: string, body: string) => `<section><h2>${escape(title)}</h2>${body}</section>`;

  const progress = stage
    ? `<ol class="steps">${STAGES.map((s) => {
        const reached = STAGES.indexOf(s) <= STAGES.indexOf(stage);
        return `<li class="${reached ? 'done' : ''}">${escape(w.stages[s])}</li>`;
      }).join('')}</ol>`
    : '';
  const notice =
    view.notice === 'refused'
      ? `<p class="notice refused" role="alert">${escape(w.notice.refused)} ${escape(view.refusal ?? '')}</p>`
      : view.notice
        ? `<p class="notice" role="status">${escape(w.notice[view.notice])}</p>`
        : '';
  const lineAmount = (l: TrackingView['lines'][number]) => {
    const list = l.unitPriceMinor * l.quantity;
    if (l.gift) return escape(w.gift);
    if (!l.discountMinor) return money(list, view.currency);
    return `<s>${money(list, view.currency)}</s> ${money(list - l.discountMinor, view.currency)}`;
  };
  const items = `<table>${view.lines
    .map(
      (l) =>
        `<tr><td>${escape(l.name)}<br><small>${escape(l.sku)}</small></td><td>× ${l.quantity}</td><td class="n">${lineAmount(l)}</td></tr>`,
    )
    .join('')}${
    view.pointsMinor
      ? `<tr><td colspan="2">${escape(w.points)}</td><td class="n">${money(-view.pointsMinor, view.currency)}</td></tr>`
      : ''
  }<tr class="total"><td colspan="2">${escape(w.total)}</td><td class="n">${money(view.totalMinor - view.pointsMinor, view.currency)}</td></tr></table>`;
  const parcels = view.shipments
    .map((s) => {
      const events = s.events.length
        ? `<ul class="events">${[...s.events]
            .reverse()
            .map((e) => `<li><time>${when(e.occurredAt)}</time> ${escape(w.tracking[e.status] ?? e.status)}</li>`)
            .join('')}</ul>`
        : `<p class="muted">${escape(w.noEvents)}</p>`;
      return `<div class="parcel"><strong>${escape(w.parcel)} ${s.seq}</strong> · ${escape(s.carrier)} ${escape(s.trackingNumber)}${events}</div>`;
    })
    .join('');
  const returns = view.returns
    .map(
      (r) =>
        `<li>${escape(r.returnNumber)}: ${escape(w.returnStatus[r.status] ?? r.status)}${r.refundMinor ? ` (${money(r.refundMinor, view.currency)})` : ''}</li>`,
    )
    .join('');
  const cancelForm = actions.cancel
    ? section(
        w.cancelTitle,
        `<p class="muted">${escape(w.cancelHelp)}</p><form method="post" action="${base}/cancel${lang}"><label>${escape(w.reason)} <select name="reason">${CUSTOMER_CANCEL_REASONS.map((r) => `<option value="${escape(r)}">${escape(w.cancelReasons[r])}</option>`).join('')}</select></label><button type="submit">${escape(w.cancelButton)}</button></form>`,
      )
    : '';
  const addressForm = actions.changeAddress
    ? section(
        w.addressTitle,
        `<p class="muted">${escape(w.addressHelp)}</p><form method="post" action="${base}/address${lang}">${ADDRESS_FIELDS.map(
          (f) =>
            `<label>${escape(w.address[f])} <input name="${f}" maxlength="200"${OPTIONAL_ADDRESS_FIELDS.includes(f) ? '' : ' required'}></label>`,
        ).join('')}<button type="submit">${escape(w.addressButton)}</button></form>`,
      )
    : '';
  const returnForm = actions.requestReturn
    ? section(
        w.returnTitle,
        `<p class="muted">${escape(w.returnHelp)}</p><form method="post" action="${base}/return${lang}">${view.lines
          .map(
            (l) =>
              `<label>${escape(l.name)} · ${escape(w.quantity)} <select name="line-${l.lineNo}">${Array.from({ length: Math.min(l.quantity, 20) + 1 }, (_, n) => `<option value="${n}">${n}</option>`).join('')}</select></label>`,
          )
          .join(
            '',
          )}<label>${escape(w.reason)} <select name="reason">${RETURN_REASONS.map((r) => `<option value="${r}">${escape(w.reasons[r])}</option>`).join('')}</select></label><button type="submit">${escape(w.returnButton)}</button></form>`,
      )
    : '';

  return customerPageShell({
    language,
    title: `${view.shopName} · ${view.orderNumber}`,
    shopName: view.shopName,
    switchLanguage: { href: `${base}?lang=${other}`, label: w.language },
    main: `${notice}
<section><p class="muted">${escape(w.title)} ${escape(view.orderNumber)} · ${escape(w.placed)} ${when(view.createdAt)}</p>
<h1>${escape(w.status[view.status])}</h1>${progress}</section>
${section(w.items, items)}
${view.destination ? section(w.to, `<p>${escape(view.destination)}</p>`) : ''}
${view.shipments.length ? section(w.parcels, parcels) : ''}
${returns ? section(w.returns, `<ul>${returns}</ul>`) : ''}
${addressForm}${cancelForm}${returnForm}
`,
  });
}

/** The page around a customer's page (an order's, a repair ticket's): phone-sized, the shop's name, a language switch. */
export function customerPageShell(page: {
  language: PageLanguage;
  title: string;
  shopName: string;
  switchLanguage: { href: string; label: string };
  main: string;
}): string {
  return `<!doctype html>
<html lang="${page.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(page.title)}</title>
<style>
body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f5f5f5;color:#222}
header{background:#001529;color:#fff;padding:14px 16px;display:flex;justify-content:space-between;align-items:center}
header a{color:#fff}main{max-width:560px;margin:0 auto;padding:12px}
section{background:#fff;border-radius:8px;padding:12px 14px;margin:12px 0}h1{font-size:20px;margin:4px 0}h2{font-size:16px;margin:0 0 8px}
.muted,small,time{color:#777}table{width:100%;border-collapse:collapse}td{padding:6px 0;border-bottom:1px solid #eee;vertical-align:top}
.n{text-align:right;white-space:nowrap}.total td{font-weight:600;border:0}
.steps{display:flex;list-style:none;padding:0;margin:12px 0 0;gap:4px}.steps li{flex:1;text-align:center;font-size:12px;padding:6px 0;border-top:4px solid #ddd;color:#999}
.steps li.done{border-color:#1677ff;color:#1677ff}.events{padding-left:18px;margin:6px 0}.parcel{margin:8px 0}
form label{display:block;margin:8px 0}select{font-size:16px;margin-left:6px}
input{display:block;box-sizing:border-box;width:100%;font-size:16px;padding:8px;margin-top:4px;border:1px solid #ccc;border-radius:6px}
button{font-size:16px;padding:10px 16px;border:0;border-radius:6px;background:#1677ff;color:#fff;margin-top:6px}
.notice{background:#e6f4ff;border-radius:8px;padding:10px 14px}.notice.refused{background:#fff2f0}
</style></head>
<body><header><span>${escape(page.shopName)}</span><a href="${page.switchLanguage.href}">${escape(page.switchLanguage.label)}</a></header>
<main>${page.main}</main></body></html>`;
}

export { escape as escapeHtml, when as pageTime, money as pageMoney };

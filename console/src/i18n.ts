/** The console's words in Chinese and English; each person's choice is kept in localStorage. */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { SECTIONS } from './words';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORED = 'oms.language';

const en = {
  appName: 'Shop OMS',
  signIn: {
    title: 'Sign in',
    key: 'API key',
    keyHelp: 'Paste the API key you were given (an admin: data/dev-admin-key).',
    submit: 'Sign in',
  },
  menu: { today: 'Today', orders: 'Orders', apiDocs: 'API' },
  signOut: 'Sign out',
  language: 'Language',
  notFound: 'No such page',
  today: {
    title: 'Today',
    byStatus: 'Orders by status',
    orders: "Today's orders",
    sales: "Today's sales",
    late: 'Late orders',
    exceptions: 'Delivery exceptions',
    lowStock: 'Low stock',
    lateByStage: 'Late, by stage',
  },
  stage: {
    REVIEW: 'Review',
    BACKORDER: 'Backorder',
    PICKING: 'Picking',
    PICKUP: 'Pickup',
    DELIVERY: 'Delivery',
    RETURN: 'Return',
  },
  orders: {
    title: 'Orders',
    search: 'Order number, external id, name, email or phone',
    allStatuses: 'All statuses',
    allChannels: 'All channels',
    number: 'Order',
    channel: 'Channel',
    status: 'Status',
    customer: 'Customer',
    total: 'Total',
    created: 'Created',
    phone: 'Phone',
    location: 'Location',
    allLocations: 'All locations',
    warning: 'Delay warning',
    anyWarning: 'Late or not',
    lateAnywhere: 'Late (any stage)',
    lateIn: 'Late in',
    exception: 'Delivery exception',
    total_count: '{{count}} orders',
    previous: 'Previous page',
    next: 'Next page',
  },
  order: {
    back: 'Orders',
    customer: 'Customer',
    walkIn: 'Walk-in (no customer named)',
    points: '{{points}} points',
    paidWithPoints: '{{amount}} of it paid with points',
    address: 'Address',
    payment: 'Payment',
    fulfilment: 'Fulfilment',
    total: 'Total',
    channel: 'Channel',
    created: 'Created',
    urgent: 'Urgent',
    review: 'Review reasons',
    lines: 'Lines',
    line: '#',
    sku: 'SKU',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    discount: 'Discount',
    gift: 'Gift',
    discounts: 'Discounts',
    platformDiscount: 'Marketplace price',
    amount: 'Amount',
    cancelled: '{{count}} cancelled',
    shipments: 'Shipments',
    noShipments: 'No shipments yet',
    tracking: 'Tracking',
    returns: 'Returns',
    refunds: 'Refunds',
    warnings: 'Warnings',
    timeline: 'Timeline',
    actions: 'Actions',
    noActions: 'Nothing to do on this order now',
    openInTemporal: 'Open in Temporal',
    shipmentStatus: {
      BOOKED: 'Booked with the carrier',
      IN_TRANSIT: 'In transit',
      OUT_FOR_DELIVERY: 'Out for delivery',
      DELIVERED: 'Delivered',
      EXCEPTION: 'Delivery problem',
      CANCELLED: 'Cancelled',
      RETURNED: 'Returned to us',
    },
    paymentStatus: { PAID: 'Paid', PENDING: 'Not paid yet', COD: 'Cash on delivery' },
    fulfilmentOf: { SHIP: 'Shipped by carrier', PICKUP: 'Picked up in store' },
    temporalHelp: "This order's workflow in the Temporal Web UI; its history is decrypted with your sign-in",
    notFound: 'No such order',
  },
  action: {
    approve: 'Approve',
    reject: 'Reject',
    cancel: 'Cancel order',
    note: 'Note (optional)',
    reason: 'Reason',
    reasonRequired: 'Give a reason',
    customerRequest: 'The customer asked for it',
    confirm: 'Confirm',
    close: 'Close',
    done: 'Done',
  },
  status: {
    RECEIVED: 'Received',
    IN_REVIEW: 'In review',
    ALLOCATING: 'Allocating',
    BACKORDERED: 'Backordered',
    PICKING: 'Picking',
    SHIPPED: 'Shipped',
    READY_FOR_PICKUP: 'Ready for pickup',
    DELIVERED: 'Delivered',
    AFTER_SALES: 'After sales',
    COMPLETED: 'Completed',
    REJECTED: 'Rejected',
    CANCELLED: 'Cancelled',
  },
  channel: { pos: 'In store', web: 'Web', phone: 'Phone', marketplace: 'Marketplace' },
  error: { generic: 'Something went wrong', offline: 'The server cannot be reached' },
};

type Words = typeof en;

const zhCN: Words = {
  appName: '门店订单系统',
  signIn: {
    title: '登录',
    key: 'API 密钥',
    keyHelp: '粘贴您获得的 API 密钥（管理员：data/dev-admin-key）。',
    submit: '登录',
  },
  menu: { today: '今日', orders: '订单', apiDocs: 'API' },
  signOut: '退出登录',
  language: '语言',
  notFound: '没有这个页面',
  today: {
    title: '今日',
    byStatus: '各状态订单',
    orders: '今日订单',
    sales: '今日销售额',
    late: '延迟订单',
    exceptions: '配送异常',
    lowStock: '低库存',
    lateByStage: '各环节延迟',
  },
  stage: {
    REVIEW: '审核',
    BACKORDER: '缺货等待',
    PICKING: '拣货',
    PICKUP: '待自提',
    DELIVERY: '配送',
    RETURN: '退货',
  },
  orders: {
    title: '订单',
    search: '订单号、外部编号、姓名、邮箱或电话',
    allStatuses: '全部状态',
    allChannels: '全部渠道',
    number: '订单号',
    channel: '渠道',
    status: '状态',
    customer: '顾客',
    total: '金额',
    created: '创建时间',
    phone: '电话',
    location: '门店/仓库',
    allLocations: '全部门店/仓库',
    warning: '延迟警告',
    anyWarning: '是否延迟',
    lateAnywhere: '延迟（任意环节）',
    lateIn: '延迟于',
    exception: '配送异常',
    total_count: '共 {{count}} 单',
    previous: '上一页',
    next: '下一页',
  },
  order: {
    back: '订单',
    customer: '顾客',
    walkIn: '散客（未留顾客信息）',
    points: '{{points}} 积分',
    paidWithPoints: '其中积分抵扣 {{amount}}',
    address: '地址',
    payment: '支付',
    fulfilment: '履约方式',
    total: '金额',
    channel: '渠道',
    created: '创建时间',
    urgent: '加急',
    review: '审核原因',
    lines: '商品',
    line: '#',
    sku: 'SKU',
    quantity: '数量',
    unitPrice: '单价',
    discount: '优惠',
    gift: '赠品',
    discounts: '优惠明细',
    platformDiscount: '平台售价',
    amount: '小计',
    cancelled: '已取消 {{count}} 件',
    shipments: '发货',
    noShipments: '尚未发货',
    tracking: '物流轨迹',
    returns: '退换货',
    refunds: '退款',
    warnings: '警告',
    timeline: '时间线',
    actions: '操作',
    noActions: '此订单目前无需操作',
    openInTemporal: '在 Temporal 中查看',
    shipmentStatus: {
      BOOKED: '已预约快递',
      IN_TRANSIT: '运输中',
      OUT_FOR_DELIVERY: '派送中',
      DELIVERED: '已签收',
      EXCEPTION: '配送异常',
      CANCELLED: '已取消',
      RETURNED: '已退回',
    },
    paymentStatus: { PAID: '已付款', PENDING: '待付款', COD: '货到付款' },
    fulfilmentOf: { SHIP: '快递配送', PICKUP: '门店自提' },
    temporalHelp: '在 Temporal 网页界面中查看此订单的工作流；历史记录用您的登录解密',
    notFound: '没有这个订单',
  },
  action: {
    approve: '通过审核',
    reject: '拒绝',
    cancel: '取消订单',
    note: '备注（可选）',
    reason: '原因',
    reasonRequired: '请填写原因',
    customerRequest: '顾客要求取消',
    confirm: '确认',
    close: '关闭',
    done: '已完成',
  },
  status: {
    RECEIVED: '已接收',
    IN_REVIEW: '审核中',
    ALLOCATING: '分配库存中',
    BACKORDERED: '缺货待补',
    PICKING: '拣货中',
    SHIPPED: '已发货',
    READY_FOR_PICKUP: '待自提',
    DELIVERED: '已送达',
    AFTER_SALES: '售后中',
    COMPLETED: '已完成',
    REJECTED: '已拒绝',
    CANCELLED: '已取消',
  },
  channel: { pos: '门店', web: '网店', phone: '电话', marketplace: '电商平台' },
  error: { generic: '出错了', offline: '无法连接服务器' },
};

/** Each screen's own words (console/src/words/), under its section name. */
function sections(language: 'en' | 'zhCN'): Record<string, object> {
  return Object.fromEntries(Object.entries(SECTIONS).map(([name, words]) => [name, words[language]]));
}

const isLanguage = (text: string | null): text is Language => (LANGUAGES as readonly string[]).includes(text ?? '');

/** This browser's last choice (what the sign-in page shows), Chinese unless changed. */
function initialLanguage(): Language {
  const stored = localStorage.getItem(STORED);
  return isLanguage(stored) ? stored : 'zh-CN';
}

/** The signed-in person's key: each person's choice is kept apart (two clerks may share a till's browser). */
let person: number | undefined;

void i18n.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: { ...zhCN, ...sections('zhCN') } },
    en: { translation: { ...en, ...sections('en') } },
  },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

export function setLanguage(language: Language): void {
  localStorage.setItem(STORED, language);
  if (person !== undefined) localStorage.setItem(`${STORED}.${person}`, language);
  void i18n.changeLanguage(language);
}

/** Signed in (a key id) or out (undefined): the person's own choice applies, if they made one here. */
export function languageFor(keyId: number | undefined): void {
  person = keyId;
  const own = keyId === undefined ? null : localStorage.getItem(`${STORED}.${keyId}`);
  if (isLanguage(own) && own !== i18n.language) void i18n.changeLanguage(own);
  // A choice made on the sign-in page, before anyone's own: it becomes theirs.
  else if (keyId !== undefined && own === null) localStorage.setItem(`${STORED}.${keyId}`, i18n.language);
}

export default i18n;

/**
 * A repair ticket's page for the customer, at /track/<token> like an order's (the ticket has its own token, linked
 * from its emails): where the device is, the warranty and what it costs, each step so far, and the parcel when it
 * is shipped back. Pure; the page around it is the order page's (customerPageShell).
 */
import type { RepairStatus } from './repairs';
import { customerPageShell, escapeHtml as escape, pageMoney, pageTime, type PageLanguage } from './tracking-page';

export interface RepairView {
  shopName: string;
  ticketNumber: string;
  status: RepairStatus;
  device: string;
  serial: string;
  fault: string;
  diagnosis: string | null;
  inWarranty: boolean;
  warrantyEndsAt: Date | null;
  chargeMinor: number;
  storeName: string;
  carrier: string | null;
  trackingNumber: string | null;
  createdAt: Date;
  events: { status: string; at: Date }[];
}

/** The customer's four steps; the ticket's statuses fall in them. */
const STAGES = ['RECEIVED', 'CHECKED', 'REPAIR', 'DONE'] as const;
const STAGE_OF: Record<RepairStatus, (typeof STAGES)[number]> = {
  RECEIVED: 'RECEIVED',
  DIAGNOSED: 'CHECKED',
  IN_STORE_REPAIR: 'REPAIR',
  AT_VENDOR: 'REPAIR',
  REPAIRED: 'DONE',
  REPLACED: 'DONE',
  REFUSED: 'DONE',
  COLLECTED: 'DONE',
  SHIPPED_BACK: 'DONE',
};

const WORDS = {
  en: {
    title: 'Repair',
    handedIn: 'Handed in',
    language: '中文',
    stages: { RECEIVED: 'Received', CHECKED: 'Checked', REPAIR: 'Repairing', DONE: 'Done' },
    status: {
      RECEIVED: 'We have your device',
      DIAGNOSED: 'Your device has been checked',
      IN_STORE_REPAIR: 'Being repaired in our store',
      AT_VENDOR: "At the manufacturer's service centre",
      REPAIRED: 'Repaired: ready for you',
      REPLACED: 'Replaced with a new device: ready for you',
      REFUSED: 'It could not be repaired: ready for you to collect',
      COLLECTED: 'Collected',
      SHIPPED_BACK: 'On its way back to you',
    } satisfies Record<RepairStatus, string>,
    device: 'Device',
    fault: 'Fault',
    diagnosis: 'Diagnosis',
    warranty: 'Warranty',
    inWarranty: (until: string) => `In warranty until ${until}: free of charge`,
    outOfWarranty: (ended: string) => `Out of warranty (ended ${ended})`,
    charge: 'Cost',
    store: 'Collect at',
    parcel: 'Parcel',
    steps: 'Steps',
  },
  'zh-CN': {
    title: '维修单',
    handedIn: '送修时间',
    language: 'English',
    stages: { RECEIVED: '已收件', CHECKED: '已检测', REPAIR: '维修中', DONE: '已完成' },
    status: {
      RECEIVED: '已收到您的设备',
      DIAGNOSED: '设备已检测',
      IN_STORE_REPAIR: '门店维修中',
      AT_VENDOR: '已送厂家维修',
      REPAIRED: '已修好，可取机',
      REPLACED: '已换新机，可取机',
      REFUSED: '无法维修，请取回设备',
      COLLECTED: '已取机',
      SHIPPED_BACK: '已寄回',
    } satisfies Record<RepairStatus, string>,
    device: '设备',
    fault: '故障描述',
    diagnosis: '检测结果',
    warranty: '保修',
    inWarranty: (until: string) => `保修期内（至 ${until}），免费维修`,
    outOfWarranty: (ended: string) => `已过保修期（${ended} 到期）`,
    charge: '维修费用',
    store: '取机门店',
    parcel: '寄回包裹',
    steps: '维修记录',
  },
} as const;

const day = (at: Date) => at.toISOString().slice(0, 10);

export function renderRepairPage(view: RepairView, language: PageLanguage, token: string): string {
  const w = WORDS[language];
  const other: PageLanguage = language === 'en' ? 'zh-CN' : 'en';
  const stage = STAGE_OF[view.status];
  const section = (title: string, body: string) => `<section><h2>${escape(title)}</h2>${body}</section>`;
  const row = (label: string, value: string) => `<tr><td>${escape(label)}</td><td class="n">${escape(value)}</td></tr>`;
  const progress = `<ol class="steps">${STAGES.map(
    (s) => `<li class="${STAGES.indexOf(s) <= STAGES.indexOf(stage) ? 'done' : ''}">${escape(w.stages[s])}</li>`,
  ).join('')}</ol>`;
  const warranty = view.inWarranty
    ? w.inWarranty(view.warrantyEndsAt ? day(view.warrantyEndsAt) : '-')
    : w.outOfWarranty(view.warrantyEndsAt ? day(view.warrantyEndsAt) : '-');
  const details = `<table>${[
    row(w.device, `${view.device} · IMEI …${view.serial.slice(-4)}`),
    row(w.fault, view.fault),
    view.diagnosis ? row(w.diagnosis, view.diagnosis) : '',
    row(w.warranty, warranty),
    view.chargeMinor > 0 ? row(w.charge, pageMoney(view.chargeMinor, 'CNY')) : '',
    row(w.store, view.storeName),
  ].join('')}</table>`;
  const steps = `<ul class="events">${[...view.events]
    .reverse()
    .map((e) => `<li><time>${pageTime(e.at)}</time> ${escape(w.status[e.status as RepairStatus] ?? e.status)}</li>`)
    .join('')}</ul>`;
  const parcel =
    view.status === 'SHIPPED_BACK' && view.trackingNumber
      ? section(w.parcel, `<p>${escape(view.carrier ?? '')} ${escape(view.trackingNumber)}</p>`)
      : '';
  return customerPageShell({
    language,
    title: `${view.shopName} · ${view.ticketNumber}`,
    shopName: view.shopName,
    switchLanguage: { href: `/track/${token}?lang=${other}`, label: w.language },
    main: `<section><p class="muted">${escape(w.title)} ${escape(view.ticketNumber)} · ${escape(w.handedIn)} ${pageTime(view.createdAt)}</p>
<h1>${escape(w.status[view.status])}</h1>${progress}</section>
${section(w.device, details)}
${parcel}
${section(w.steps, steps)}
`,
  });
}

/** Money from minor units (fen) and times in the shop's time zone (Asia/Shanghai unless set otherwise). */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** `localStorage['oms.timeZone']` (an IANA name) overrides the default. */
export const TIME_ZONE = localStorage.getItem('oms.timeZone') ?? 'Asia/Shanghai';

export function money(minor: number, currency = 'CNY'): string {
  const amount = (minor / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return currency === 'CNY' ? `¥${amount}` : `${amount} ${currency}`;
}

export function time(iso: string | null | undefined): string {
  return iso ? dayjs(iso).tz(TIME_ZONE).format('YYYY-MM-DD HH:mm:ss') : '';
}

/**
 * Birthday coupons: which customers are in their birthday week, and the coupon's dates. Dates are calendar days in
 * the shop's time zone (YYYY-MM-DD); a 29 February birthday falls on 28 February in other years.
 */

/** How many days ahead a birthday counts as "this week": the coupon goes out up to a week before. */
export const BIRTHDAY_WEEK_DAYS = 7;
/** How long after the birthday the coupon can still be used. */
export const BIRTHDAY_COUPON_GRACE_DAYS = 7;

const DAY_MS = 86_400_000;
const asDate = (day: string) => new Date(`${day}T00:00:00Z`);
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The birthday's date in `year`. */
export function birthdayIn(birthday: string, year: number): string {
  const [, month, day] = birthday.split('-');
  if (month === '02' && day === '29' && !isLeap(year)) return `${year}-02-28`;
  return `${year}-${month}-${day}`;
}

/** The birthday that falls within the week from `today` (today and the six days after), or null. */
export function birthdayThisWeek(birthday: string | null, today: string): string | null {
  if (!birthday || !/^\d{4}-\d{2}-\d{2}$/.test(birthday)) return null;
  const year = Number(today.slice(0, 4));
  const start = asDate(today).getTime();
  for (const candidate of [birthdayIn(birthday, year), birthdayIn(birthday, year + 1)]) {
    const at = asDate(candidate).getTime();
    if (at >= start && at < start + BIRTHDAY_WEEK_DAYS * DAY_MS) return candidate;
  }
  return null;
}

/** The key that keeps a customer to one birthday coupon a year: the year the birthday falls in. */
export const birthdayIssueKey = (customerId: number, occurs: string) => `birthday:${customerId}:${occurs.slice(0, 4)}`;

/** When the coupon stops being valid: the end of the grace days after the birthday (exclusive, as a day). */
export const birthdayCouponExpiry = (occurs: string) =>
  dayOf(new Date(asDate(occurs).getTime() + (BIRTHDAY_COUPON_GRACE_DAYS + 1) * DAY_MS));

/** Today's date in a time zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The instant a calendar day starts in a time zone (its offset read from Intl, so summer time is right too). */
export function startOfDayIn(day: string, timeZone: string): Date {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(utcMidnight)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  const offsetMs = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000 : 0;
  return new Date(utcMidnight.getTime() - offsetMs);
}

/**
 * One morning's birthday coupons, started by the Temporal Schedule `birthday-coupons` (orders/schedules.ts; its type name is workflows/birthday-definitions.ts): the
 * customers due today, then each one's coupon and email. Every step is keyed, so an overlapping or repeated run
 * issues and sends nothing twice.
 */
import { proxyActivities } from '@temporalio/workflow';
import { RETRY_UNTIL_DONE } from './activity-options';
import type { BirthdayActivities } from '../activities/birthdays';

const activities = proxyActivities<BirthdayActivities>(RETRY_UNTIL_DONE);

export async function birthdayCouponsWorkflow(): Promise<number> {
  const due = await activities.birthdaysDue();
  for (const customer of due) await activities.sendBirthdayCoupon(customer);
  return due.length;
}

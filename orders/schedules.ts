/**
 * The engine's own cron: Temporal Schedules, created (or brought up to date) when the API starts. A schedule lives in
 * Temporal, so it fires once however many API processes run, and catches up after an outage.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../lib/config';
import { BIRTHDAY_WORKFLOW_TYPE } from '../workflows/birthday-definitions';

export const BIRTHDAY_SCHEDULE_ID = 'birthday-coupons';

/** Every morning at 9 in the shop's time zone; a missed morning is caught up within a day. */
export function birthdaySchedule(config: Pick<Config, 'taskQueue' | 'timeZone'>): ScheduleOptions {
  return {
    scheduleId: BIRTHDAY_SCHEDULE_ID,
    spec: { calendars: [{ hour: 9, minute: 0 }], timezone: config.timeZone },
    action: { type: 'startWorkflow', workflowType: BIRTHDAY_WORKFLOW_TYPE, taskQueue: config.taskQueue, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
}

/** Creates the schedule, or updates one created by an earlier start (a changed time zone or task queue). */
export async function ensureSchedules(temporal: Client, config: Pick<Config, 'taskQueue' | 'timeZone'>): Promise<void> {
  const options = birthdaySchedule(config);
  try {
    await temporal.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await temporal.schedule.getHandle(options.scheduleId).update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, ...options.policies },
    }));
  }
}

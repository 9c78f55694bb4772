import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/**
 * Every activity here is idempotent, so it may retry until it succeeds: an outage of the database,
 * the mail server or the carrier delays a workflow, never breaks it.
 */
export const RETRY_UNTIL_DONE: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * The same for local activities: short database-only steps that the worker runs inside the workflow task,
 * recorded as one marker instead of a round trip through the server's task queue. Retries longer than
 * a minute apart become durable timers (the SDK's `localRetryThreshold`), so an outage still only delays.
 */
export const LOCAL_RETRY_UNTIL_DONE: LocalActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: RETRY_UNTIL_DONE.retry,
};

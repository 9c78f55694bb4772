import type { ActivityOptions } from '@temporalio/workflow';

/**
 * Every activity here is idempotent, so it may retry until it succeeds: an outage of the database,
 * the mail server or the carrier delays a workflow, never breaks it.
 */
export const RETRY_UNTIL_DONE: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

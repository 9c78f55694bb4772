/**
 * The Temporal SDK's own log lines (worker state, polls, failed activities and workflow tasks, and what workflows
 * log with `log` from @temporalio/workflow) written by lib/log.ts, for Runtime.install: their metadata (workflowId,
 * runId, activityType, …) becomes the line's fields, and lib/log.ts adds the order number.
 */
import { DefaultLogger, type Logger } from '@temporalio/worker';
import { logAt, type LogLevel } from '../lib/log';

export function sdkLogger(): Logger {
  return new DefaultLogger('INFO', ({ level, message, meta }) => logAt(level.toLowerCase() as LogLevel, message, meta));
}

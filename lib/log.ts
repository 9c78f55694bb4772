/**
 * The log of the API and the worker (OMS_LOG_FORMAT). `text`, the default: one line per event as people read it,
 * the message alone (console.log/warn/error, as ever). `json`: one JSON object per line for a log pipeline, with
 * `time`, `level`, `process` (`api`, `worker`), `msg` and the line's fields. A line about an order carries its
 * `orderNumber` and `workflowId` (either gives the other), and a line written inside an activity carries its
 * workflow's, read from Temporal's activity context. The worker sends the Temporal SDK's own lines here too
 * (worker/sdk-log.ts), so in `json` every line of both processes is JSON.
 */
import { asyncLocalStorage as activityContext } from '@temporalio/activity';
import pino, { type DestinationStream, type Logger } from 'pino';
import { ORDER_NUMBER_PATTERN, orderWorkflowId } from '../domain/order-number';
import type { Config } from './config';
import { describeError } from './redact';

export type LogFormat = Config['logFormat'];
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** An order number anywhere in a workflow id: `order-SO-…` and its shipments' `order-SO-…-shipment-1`. */
const ORDER_NUMBER_IN_ID = new RegExp(ORDER_NUMBER_PATTERN.source.replace(/^\^|\$$/g, ''));

const TEXT: Record<LogLevel, (msg: string) => void> = {
  trace: (msg) => console.debug(msg),
  debug: (msg) => console.debug(msg),
  info: (msg) => console.log(msg),
  warn: (msg) => console.warn(msg),
  error: (msg) => console.error(msg),
};

/** Set once the process has chosen JSON; until then (and with `text`) lines go out as text. */
let json: Logger | undefined;

/**
 * Chooses how this process writes its lines, once at its start. `destination` is for tests; the JSON lines go to
 * stdout otherwise, written synchronously so that the line before an exit is not lost.
 */
export function configureLog(processName: string, format: LogFormat, destination?: DestinationStream): void {
  json =
    format === 'json'
      ? pino(
          {
            base: { process: processName },
            level: 'info',
            timestamp: pino.stdTimeFunctions.isoTime,
            formatters: { level: (label) => ({ level: label }) },
          },
          destination ?? pino.destination({ dest: 1, sync: true }),
        )
      : undefined;
}

/** The workflow of the activity this runs in, if any (the worker runs each activity in its own context). */
function activityFields(): LogFields {
  const info = activityContext.getStore()?.info;
  if (!info) return {};
  return { workflowId: info.workflowExecution?.workflowId, activityType: info.activityType };
}

/** Errors as one masked line (lib/redact.ts), never their message in full; an order's number and workflow id both. */
function lineFields(fields: LogFields | undefined): LogFields {
  const all: LogFields = { ...activityFields(), ...fields };
  for (const [key, value] of Object.entries(all)) {
    if (value instanceof Error) all[key] = describeError(value);
    else if (value === undefined) delete all[key];
  }
  if (typeof all.orderNumber === 'string' && all.workflowId === undefined)
    all.workflowId = orderWorkflowId(all.orderNumber);
  const inId = typeof all.workflowId === 'string' ? ORDER_NUMBER_IN_ID.exec(all.workflowId) : null;
  if (inId && all.orderNumber === undefined) all.orderNumber = inId[0];
  return all;
}

/** One line at `level`; in `text` the message alone, so say in it what a person needs. */
export function logAt(level: LogLevel, msg: string, fields?: LogFields): void {
  if (json) json[level](lineFields(fields), msg);
  else TEXT[level](msg);
}

export const log = {
  info: (msg: string, fields?: LogFields) => logAt('info', msg, fields),
  warn: (msg: string, fields?: LogFields) => logAt('warn', msg, fields),
  error: (msg: string, fields?: LogFields) => logAt('error', msg, fields),
};

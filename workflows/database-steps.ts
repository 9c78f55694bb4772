/**
 * The order's database-only steps (status and audit rows, review, reservations, shelf moves, return records).
 * From the `database-steps-local` version on they run as local activities: the worker runs them inside the
 * workflow task, so each is one marker in the history instead of a server round trip (docs/benchmarks.md,
 * tuning 4). Steps that reach the carrier, the payment provider or the mail server stay ordinary activities:
 * their outages are long, and they should retry on any worker.
 */
import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { LOCAL_RETRY_UNTIL_DONE, RETRY_UNTIL_DONE } from './activity-options';
import type { OrderActivities } from '../activities';

export const LOCAL_DATABASE_STEPS_PATCH = 'database-steps-local';

type DatabaseStepName =
  | 'recordOrderStatus'
  | 'recordAudit'
  | 'recordClosedReason'
  | 'clearOrderWarning'
  | 'reviewOrderLines'
  | 'allocateStock'
  | 'substituteLine'
  | 'releaseOrderStock'
  | 'recordPicked'
  | 'shipStock'
  | 'recordShipmentOutcome'
  | 'openReturn'
  | 'recordReturnStatus'
  | 'receiveReturnedGoods'
  | 'settleLoyalty';

export type DatabaseSteps = Pick<ReturnType<typeof proxyActivities<OrderActivities>>, DatabaseStepName>;

const asActivities = proxyActivities<OrderActivities>(RETRY_UNTIL_DONE);
const asLocalActivities = proxyLocalActivities<OrderActivities>(LOCAL_RETRY_UNTIL_DONE);

/**
 * Call once, first thing in a workflow run: a run started before this version has no marker, so on replay
 * it keeps scheduling these steps as ordinary activities, as its history says it did.
 */
export function databaseSteps(): DatabaseSteps {
  return patched(LOCAL_DATABASE_STEPS_PATCH) ? asLocalActivities : asActivities;
}

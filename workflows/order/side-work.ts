/**
 * The side work that runs alongside an order's flow: emails, audit rows, status rows (in order), and
 * delay warnings. Emails and audit rows are not awaited where they are asked for; `close` waits for them all.
 */
import { allHandlersFinished, condition, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import { RETRY_UNTIL_DONE } from '../activity-options';
import type { DatabaseSteps } from '../database-steps';
import type { OrderActivities } from '../../activities';
import type { OrderStatus, WaitingStage } from '../../domain/order-status';
import { emailActivitySummary, stageTimerSummary, warningActivitySummary } from '../../domain/run-summaries';
import type { OrderEmailKind } from '../../mail/templates';
import {
  DelayedStageAttribute,
  HasWarningAttribute,
  OrderStatusAttribute,
  type OrderState,
  type OrderWorkflowInput,
  type StaffActor,
} from '../definitions';

export const activities = proxyActivities<OrderActivities>(RETRY_UNTIL_DONE);

export type EmailExtra = Parameters<OrderActivities['sendOrderEmail']>[2];
export type Warning = { kind: 'DELAY' | 'EXCEPTION'; stage: WaitingStage; ref: string; detail?: string };
export type SideWork = ReturnType<typeof createSideWork>;

export function createSideWork(input: OrderWorkflowInput, state: OrderState, dbSteps: DatabaseSteps) {
  const { orderNumber } = input;
  let alongside: Promise<unknown>[] = [];
  let auditSeq = 0;
  let statusSeq = 0;
  let statusWrites: Promise<void> = Promise.resolve();

  const runAlongside = (work: Promise<unknown>) => void alongside.push(work);
  const notify = (kind: OrderEmailKind, extra: EmailExtra = {}) => {
    runAlongside(
      activities.sendOrderEmail.executeWithOptions({ summary: emailActivitySummary(kind) }, [orderNumber, kind, extra]),
    );
  };
  const audit = (actor: StaffActor, action: string, reason?: string, details?: Record<string, unknown>) => {
    runAlongside(
      dbSteps.recordAudit({
        key: `${orderNumber}:${++auditSeq}`,
        orderNumber,
        actor: actor.name,
        action,
        reason,
        details,
        // When staff acted (workflow time), not when the row was written: the database may be down a while.
        at: new Date(Date.now()).toISOString(),
      }),
    );
  };

  async function moveTo(status: OrderStatus): Promise<void> {
    if (state.status === status) return;
    state.status = status;
    upsertSearchAttributes([{ key: OrderStatusAttribute, value: status }]);
    const seq = ++statusSeq;
    statusWrites = statusWrites.then(() => dbSteps.recordOrderStatus(orderNumber, status, seq));
    await statusWrites;
  }

  function refreshWarningAttributes(): void {
    upsertSearchAttributes([
      { key: HasWarningAttribute, value: state.openWarnings.length > 0 },
      { key: DelayedStageAttribute, value: state.openWarnings.at(-1) ?? null },
    ]);
  }

  /** Records a warning, tells the manager, waits until `done`, then clears the warning. */
  async function warnUntil(warning: Warning, done: () => boolean): Promise<void> {
    state.openWarnings.push(warning.stage);
    refreshWarningAttributes();
    await activities.openOrderWarning.executeWithOptions(
      { summary: warningActivitySummary(warning.kind, warning.stage) },
      [{ orderNumber, ...warning }],
    );
    await condition(done);
    state.openWarnings.splice(state.openWarnings.lastIndexOf(warning.stage), 1);
    refreshWarningAttributes();
    await dbSteps.clearOrderWarning({ orderNumber, kind: warning.kind, stage: warning.stage, ref: warning.ref });
  }

  /** Waits until `done`; when the stage's SLA passes first, records a warning, tells the manager, keeps waiting. */
  async function waitInStage(stage: WaitingStage, done: () => boolean, ref = ''): Promise<void> {
    const slaMs = input.slaMs[stage];
    if (await condition(done, slaMs, { summary: stageTimerSummary(stage, slaMs) })) return;
    await warnUntil({ kind: 'DELAY', stage, ref }, done);
  }

  /** The end of every path: handlers finished, every email and row written, then the final state. */
  async function close(): Promise<OrderState> {
    await condition(allHandlersFinished);
    while (alongside.length > 0) {
      const batch = alongside;
      alongside = [];
      await Promise.all(batch);
    }
    await statusWrites;
    return state;
  }

  return { notify, audit, runAlongside, moveTo, warnUntil, waitInStage, close };
}

/**
 * One repair ticket (id `repair-<ticketNumber>`), from the counter to the customer's hands again; the stages and
 * which step may follow which are domain/repairs.ts. Staff record each step as the `advanceRepair` Update: its
 * handler writes the step (one at a time) and answers with the new status, or refuses in words. Each stage has an
 * SLA: past it a manager is warned once, and the warning closes when the ticket moves on. The customer is emailed
 * at every step.
 */
import { ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { RETRY_UNTIL_DONE } from './activity-options';
import type { RepairActivities } from '../activities/repairs';
import { isRepairClosed, repairStageOf, repairStepRefusal } from '../domain/repairs';
import { emailActivitySummary, repairTimerSummary } from '../domain/run-summaries';
import type { UpdateInput } from './definitions';
import {
  advanceRepair,
  getRepairState,
  type RepairState,
  type RepairStatus,
  type RepairWorkflowInput,
} from './repair-definitions';

const activities = proxyActivities<RepairActivities>(RETRY_UNTIL_DONE);

export async function repairWorkflow(input: RepairWorkflowInput): Promise<RepairState> {
  const { ticketNumber } = input;
  const state: RepairState = { ticketNumber, status: 'RECEIVED', lateStages: [] };
  /** Steps written so far; the main loop follows them with the SLA timers. */
  let stepsTaken = 0;
  let recording = false;
  /** Every status the ticket has had, in order: each is emailed once. */
  const statuses: RepairStatus[] = ['RECEIVED'];

  setHandler(getRepairState, () => state);
  setHandler(
    advanceRepair,
    async ({ actor, step, seal }) => {
      recording = true;
      try {
        const refusal = await activities.recordRepairStep({ ticketNumber, actor, step, key: seal.updateId });
        if (refusal) throw ApplicationFailure.nonRetryable(`Repair ${ticketNumber}: ${refusal}`, 'INVALID_CONTENT');
        state.status = step.to;
        statuses.push(step.to);
        stepsTaken++;
        return state;
      } finally {
        recording = false;
      }
    },
    {
      validator: ({ step }: UpdateInput<typeof advanceRepair>) => {
        if (recording)
          throw ApplicationFailure.nonRetryable(
            `Repair ${ticketNumber}: another step is being recorded; try again`,
            'WRONG_STATE',
          );
        const refusal = repairStepRefusal({ status: state.status, inWarranty: input.inWarranty }, step);
        if (refusal) throw ApplicationFailure.nonRetryable(`Repair ${ticketNumber}: ${refusal.message}`, refusal.code);
      },
    },
  );

  // Every status gets its email, in order, however quickly staff step on.
  const mailing = (async () => {
    for (let sent = 0; ; sent++) {
      await condition(() => statuses.length > sent);
      const status = statuses[sent];
      await activities.sendRepairEmail.executeWithOptions({ summary: emailActivitySummary(`repair ${status}`) }, [
        ticketNumber,
        status,
      ]);
      if (isRepairClosed(status)) return;
    }
  })();

  let followed = 0;
  for (;;) {
    const stage = repairStageOf(state.status);
    if (!stage) break;
    const moved = () => stepsTaken > followed;
    const slaMs = input.slaMs[stage];
    if (!(await condition(moved, slaMs, { summary: repairTimerSummary(stage, slaMs) }))) {
      state.lateStages.push(stage);
      await activities.openRepairWarning(ticketNumber, stage);
      await condition(moved);
      await activities.clearRepairWarning(ticketNumber, stage);
    }
    followed = stepsTaken;
  }
  await mailing;
  return state;
}

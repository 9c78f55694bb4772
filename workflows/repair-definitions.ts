/** The repair workflow's contract, shared by the workflow and the API. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RepairStage, RepairStatus, RepairStep } from '../domain/repairs';
import type { ActionSeal, IssuedStart } from './definitions';

export type { RepairStage, RepairStatus, RepairStep };
export { repairWorkflowId } from '../domain/repairs';

export const REPAIR_WORKFLOW_TYPE = 'repairWorkflow';

export interface RepairWorkflowInput extends IssuedStart {
  ticketNumber: string;
  inWarranty: boolean;
  /** How long each stage may wait before a manager is warned (OMS_REPAIR_SLA_<STAGE>). */
  slaMs: Record<RepairStage, number>;
}

export interface RepairState {
  ticketNumber: string;
  status: RepairStatus;
  /** The stages that waited past their SLA, the current one last while it is open. */
  lateStages: RepairStage[];
}

export const getRepairState = defineQuery<RepairState>('getRepairState');
/** Staff record the next step; refused (WRONG_STATE, INVALID_CONTENT) when it may not follow. */
export const advanceRepair = defineUpdate<RepairState, [{ actor: string; step: RepairStep; seal: ActionSeal }]>(
  'advanceRepair',
);

/**
 * Repairs (维修) of serialised goods: the ticket's stages, which step may follow which, the warranty from the unit's
 * own sale date, and the stage each status waits in (each with an SLA, OMS_REPAIR_SLA_<STAGE>). Pure; the repair
 * workflow, its activities, the API and the console all ask these.
 */
import type { ShippingAddress } from './order-input';

/**
 * Received at the counter → diagnosed → repaired in store or sent to the vendor → repaired, replaced or refused →
 * collected at the counter or shipped back.
 */
export const REPAIR_STATUSES = [
  'RECEIVED',
  'DIAGNOSED',
  'IN_STORE_REPAIR',
  'AT_VENDOR',
  'REPAIRED',
  'REPLACED',
  'REFUSED',
  'COLLECTED',
  'SHIPPED_BACK',
] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];

/** The statuses a step may move a ticket to (every status but the first). */
export const REPAIR_STEP_TARGETS = REPAIR_STATUSES.filter(
  (s): s is Exclude<RepairStatus, 'RECEIVED'> => s !== 'RECEIVED',
);
export type RepairStepTarget = (typeof REPAIR_STEP_TARGETS)[number];

const OUTCOMES = ['REPAIRED', 'REPLACED', 'REFUSED'] as const;
const HANDBACKS = ['COLLECTED', 'SHIPPED_BACK'] as const;

/** What may follow each status. A diagnosis may end the repair at once: refused, or (in warranty) swapped. */
const NEXT: Record<RepairStatus, readonly RepairStatus[]> = {
  RECEIVED: ['DIAGNOSED'],
  DIAGNOSED: ['IN_STORE_REPAIR', 'AT_VENDOR', 'REPLACED', 'REFUSED'],
  IN_STORE_REPAIR: OUTCOMES,
  AT_VENDOR: OUTCOMES,
  REPAIRED: HANDBACKS,
  REPLACED: HANDBACKS,
  REFUSED: HANDBACKS,
  COLLECTED: [],
  SHIPPED_BACK: [],
};

export function nextRepairStatuses(status: RepairStatus): readonly RepairStatus[] {
  return NEXT[status];
}

export function isRepairClosed(status: RepairStatus): boolean {
  return NEXT[status].length === 0;
}

/** Where a ticket waits, and on whom: each has its own SLA. */
export const REPAIR_STAGES = ['DIAGNOSIS', 'DECISION', 'STORE_REPAIR', 'VENDOR', 'HANDBACK'] as const;
export type RepairStage = (typeof REPAIR_STAGES)[number];

export const DEFAULT_REPAIR_SLAS: Record<RepairStage, string> = {
  DIAGNOSIS: '1d',
  DECISION: '2d',
  STORE_REPAIR: '3d',
  VENDOR: '14d',
  HANDBACK: '14d',
};

/** The stage a ticket in this status waits in; undefined once it is closed. */
export function repairStageOf(status: RepairStatus): RepairStage | undefined {
  switch (status) {
    case 'RECEIVED':
      return 'DIAGNOSIS';
    case 'DIAGNOSED':
      return 'DECISION';
    case 'IN_STORE_REPAIR':
      return 'STORE_REPAIR';
    case 'AT_VENDOR':
      return 'VENDOR';
    case 'REPAIRED':
    case 'REPLACED':
    case 'REFUSED':
      return 'HANDBACK';
    default:
      return undefined;
  }
}

export interface Warranty {
  inWarranty: boolean;
  /** When this unit was sold to its current owner; null for a unit never sold. */
  soldAt: Date | null;
  /** The last moment of the warranty; null for a unit never sold. */
  endsAt: Date | null;
}

/**
 * The warranty runs from the unit's own sale date (the last sale, for a unit returned and sold again) for
 * OMS_REPAIR_WARRANTY (a year by default, as 三包 gives a phone), and is decided when the unit is handed in.
 */
export function warrantyOf(soldAt: Date | null, handedInAt: Date, warrantyMs: number): Warranty {
  if (!soldAt) return { inWarranty: false, soldAt: null, endsAt: null };
  const endsAt = new Date(soldAt.getTime() + warrantyMs);
  return { inWarranty: handedInAt.getTime() <= endsAt.getTime(), soldAt, endsAt };
}

/** One step staff record on a ticket. */
export interface RepairStep {
  to: RepairStepTarget;
  /** What is wrong (a diagnosis). */
  diagnosis?: string;
  /** What the customer pays for the repair, in fen: 0 in warranty, quoted at the diagnosis. */
  chargeMinor?: number;
  /** The unit from the shelf given in place of the broken one (REPLACED). */
  replacementSerial?: string;
  /** Where the unit goes back to (SHIPPED_BACK). */
  shipTo?: ShippingAddress & { name: string; phone: string };
  note?: string;
}

export interface StepRefusal {
  /** WRONG_STATE (409): not a step from here; INVALID_CONTENT (422): a step from here, missing what it needs. */
  code: 'WRONG_STATE' | 'INVALID_CONTENT';
  message: string;
}

/** Why this step may not be taken on a ticket in this state, or undefined when it may. */
export function repairStepRefusal(
  ticket: { status: RepairStatus; inWarranty: boolean },
  step: RepairStep,
): StepRefusal | undefined {
  if (!NEXT[ticket.status].includes(step.to)) {
    const allowed = NEXT[ticket.status];
    return {
      code: 'WRONG_STATE',
      message: allowed.length
        ? `the ticket is ${ticket.status}; it can go on to ${allowed.join(' or ')}, not ${step.to}`
        : `the ticket is ${ticket.status} and closed`,
    };
  }
  const invalid = (message: string): StepRefusal => ({ code: 'INVALID_CONTENT', message });
  if (step.to === 'DIAGNOSED') {
    if (!step.diagnosis) return invalid('a diagnosis says what is wrong');
    if (ticket.inWarranty && (step.chargeMinor ?? 0) > 0)
      return invalid('the unit is in warranty: the repair is free of charge');
  } else if (step.chargeMinor !== undefined) {
    return invalid('the charge is quoted with the diagnosis');
  }
  if (step.to === 'REPLACED') {
    if (!ticket.inWarranty) return invalid('only a unit in warranty is replaced; out of warranty it is a sale');
    if (!step.replacementSerial) return invalid('name the unit from the shelf given in its place (replacementSerial)');
  } else if (step.replacementSerial !== undefined) {
    return invalid('a replacement unit goes with REPLACED only');
  }
  if (step.to === 'SHIPPED_BACK' && !step.shipTo) return invalid('shipping back needs the address (shipTo)');
  if (step.to !== 'SHIPPED_BACK' && step.shipTo !== undefined) return invalid('an address goes with SHIPPED_BACK only');
  return undefined;
}

/** Repair ticket numbers: RP-<yyyymmdd>-<6-digit daily sequence>. */
export const REPAIR_NUMBER_PATTERN = /^RP-\d{8}-\d{6,}$/;

export function repairWorkflowId(ticketNumber: string): string {
  return `repair-${ticketNumber}`;
}

/** One run of the order workflow: its state, its inbox, its side work, and the database steps it calls. */
import { databaseSteps, type DatabaseSteps } from '../database-steps';
import type { OrderState, OrderWorkflowInput } from '../definitions';
import { emptyInbox, OrderCancelled, type StaffInbox } from './inbox';
import { createSideWork, type SideWork } from './side-work';

export interface OrderRun {
  input: OrderWorkflowInput;
  orderNumber: string;
  /** What the `getOrderState` query answers. */
  state: OrderState;
  inbox: StaffInbox;
  dbSteps: DatabaseSteps;
  side: SideWork;
  /** True while the order's own goods go out: shipment phases then decide the order's status. */
  fulfilling: boolean;
  /** The seq the next added shipment gets. */
  nextSeq: number;
  /** Each order line's SKU, from review and from what was delivered (for return checks). */
  lineSkus: Map<number, string>;
}

/** Call first thing in a run: `databaseSteps()` decides, by patch marker, how database steps are scheduled. */
export function startOrderRun(input: OrderWorkflowInput): OrderRun {
  const dbSteps = databaseSteps();
  const state: OrderState = {
    orderNumber: input.orderNumber,
    status: 'RECEIVED',
    reviewReasons: [],
    shipments: [],
    openWarnings: [],
    shippedByLine: {},
    returns: [],
  };
  return {
    input,
    orderNumber: input.orderNumber,
    state,
    inbox: emptyInbox(),
    dbSteps,
    side: createSideWork(input, state, dbSteps),
    fulfilling: false,
    nextSeq: 1,
    lineSkus: new Map(),
  };
}

export const cancelled = (run: OrderRun) => run.inbox.cancel !== undefined;

export function checkCancelled(run: OrderRun): void {
  if (run.inbox.cancel) throw new OrderCancelled();
}

export function skuOfLine(run: OrderRun, lineNo: number): string {
  return run.lineSkus.get(lineNo) ?? `line ${lineNo}`;
}

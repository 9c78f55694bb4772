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
  /** Review has passed or staff decided: from here on the lines are fixed (domain/order-edits.ts). */
  reviewDecided: boolean;
  /** Runs `work` after every earlier one: review's reading of the order and staff's edits of it take turns. */
  exclusive: <T>(work: () => Promise<T>) => Promise<T>;
}

/** A queue of one: each piece of work starts when the one before it has finished, however that ended. */
function turnTaking(): OrderRun['exclusive'] {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>) => {
    const result = last.then(work);
    last = result.catch(() => undefined);
    return result;
  };
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
    reviewDecided: false,
    exclusive: turnTaking(),
  };
}

export const cancelled = (run: OrderRun) => run.inbox.cancel !== undefined;

export function checkCancelled(run: OrderRun): void {
  if (run.inbox.cancel) throw new OrderCancelled();
}

export function skuOfLine(run: OrderRun, lineNo: number): string {
  return run.lineSkus.get(lineNo) ?? `line ${lineNo}`;
}

/** Staff's return and exchange actions: open one (while DELIVERED), approve or reject it, receive it, refund it. */
import { setHandler } from '@temporalio/workflow';
import { checkReturnLines } from '../../domain/after-sales';
import {
  decideReturn,
  receiveReturn,
  refundReturn,
  requestReturn,
  type ReturnState,
  type UpdateInput,
} from '../definitions';
import { invalid, requireOrderAction, returnAwaiting, wrongState } from './guards';
import { skuOfLine, type OrderRun } from './run';

export function handleReturnRequests(run: OrderRun): void {
  const { state, inbox, side, orderNumber } = run;
  setHandler(
    requestReturn,
    async ({ actor, kind, reason, note, source, lines }) => {
      inbox.returnRequestInFlight = true;
      const returnNumber = `${orderNumber}-R${state.returns.length + 1}`;
      const request: ReturnState = { returnNumber, kind, status: 'REQUESTED', lines };
      state.returns.push(request);
      await run.dbSteps.openReturn({
        orderNumber,
        returnNumber,
        kind,
        reason,
        note,
        source,
        requestedBy: actor.name,
        lines,
      });
      side.audit(actor, `open ${kind.toLowerCase()}`, note, { returnNumber, reason, source });
      inbox.openReturn = request;
      inbox.returnRequestInFlight = false;
      return { returnNumber };
    },
    {
      validator: ({ kind, lines }: UpdateInput<typeof requestReturn>) => {
        requireOrderAction(run, 'requestReturn');
        if (inbox.openReturn || inbox.returnRequestInFlight)
          throw wrongState(`Order ${orderNumber} already has an open return`);
        const problems = checkReturnLines(lines, shippedLines(run), alreadyReturned(state.returns), kind);
        if (problems.length > 0) throw invalid(problems.map((p) => p.message).join('; '), problems);
      },
    },
  );
  setHandler(
    decideReturn,
    ({ actor, returnNumber, approve, note }) => {
      const request = returnAwaiting(run, returnNumber, 'decideReturn', approve ? 'approve' : 'reject');
      request.status = approve ? 'APPROVED' : 'REJECTED';
      side.audit(actor, approve ? 'approve return' : 'reject return', note, { returnNumber });
      side.runAlongside(run.dbSteps.recordReturnStatus({ returnNumber, status: request.status, note }));
      return state;
    },
    {
      validator: ({ returnNumber, approve }: UpdateInput<typeof decideReturn>) =>
        void returnAwaiting(run, returnNumber, 'decideReturn', approve ? 'approve' : 'reject'),
    },
  );
  setHandler(
    receiveReturn,
    ({ actor, returnNumber, lines, locationId }) => {
      returnAwaiting(run, returnNumber, 'receiveReturn', 'receive').status = 'RECEIVED';
      inbox.received = { lines, locationId, actor: actor.name };
      side.audit(actor, 'receive return', undefined, { returnNumber, lines });
      return state;
    },
    {
      validator: ({ returnNumber, lines }: UpdateInput<typeof receiveReturn>) => {
        const request = returnAwaiting(run, returnNumber, 'receiveReturn', 'receive');
        const expected = new Set(request.lines.map((l) => l.lineNo));
        const given = new Set<number>(lines.map((l) => l.lineNo));
        if (given.size !== lines.length || expected.size !== given.size || [...given].some((n) => !expected.has(n))) {
          throw invalid(`Inspect each returned line exactly once: lines ${[...expected].join(', ')}`);
        }
      },
    },
  );
  setHandler(
    refundReturn,
    ({ actor, returnNumber }) => {
      returnAwaiting(run, returnNumber, 'refundReturn', 'refund');
      inbox.refundRequested = true;
      side.audit(actor, 'refund return', undefined, { returnNumber });
      return state;
    },
    {
      validator: ({ returnNumber }: UpdateInput<typeof refundReturn>) => {
        const request = returnAwaiting(run, returnNumber, 'refundReturn', 'refund');
        if (request.kind !== 'RETURN')
          throw wrongState(`${returnNumber} is an exchange: the replacement is sent, not money`);
        if (inbox.refundRequested) throw wrongState(`${returnNumber} is already being refunded`);
      },
    },
  );
}

/** Units per line taken back by earlier returns (exchanges and rejected returns take nothing back). */
function alreadyReturned(returns: ReturnState[]): Map<number, number> {
  const taken = new Map<number, number>();
  for (const r of returns) {
    if (r.kind !== 'RETURN' || r.status === 'REJECTED') continue;
    for (const l of r.lines) taken.set(l.lineNo, (taken.get(l.lineNo) ?? 0) + l.quantity);
  }
  return taken;
}

function shippedLines(run: OrderRun) {
  return Object.entries(run.state.shippedByLine).map(([lineNo, units]) => ({
    lineNo: Number(lineNo),
    sku: skuOfLine(run, Number(lineNo)),
    shipped: units,
    unitPriceMinor: 0,
  }));
}

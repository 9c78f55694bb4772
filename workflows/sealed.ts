/**
 * Temporal as a trust boundary: what reaches a workflow must come from the API (or the worker itself), never from
 * someone who merely reaches the Temporal port. Registered on the worker as a workflow interceptor module.
 *
 * - Every payload the API and the worker send is encrypted with the payload key (AES-GCM, lib/payload-codec.ts),
 *   which only they hold; the worker turns any payload that is not into the unsealed marker. So a start, a signal or
 *   an Update sent straight to Temporal carries the marker, not the values its sender wrote.
 * - A genuine payload could still be copied out of one history into another request. Each Update therefore names
 *   the workflow, the Update and the update id it was made for (its `seal`, added by lib/temporal.ts), so a copy is
 *   refused (a copy with the same id is Temporal's own duplicate: it never runs twice). A signal names the workflow
 *   it was sent to. A start names the workflow it was issued for, when, and whether by a parent, so an old start
 *   copied to begin a closed order again, or a start copied under another id, is refused.
 *
 * Validators do not run on replay, so the Update check changes no history. The start's and the signals' checks are
 * behind a patch marker; runs from before it replay without them.
 */
import {
  ApplicationFailure,
  log,
  patched,
  workflowInfo,
  type Next,
  type SignalInput,
  type UpdateInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
} from '@temporalio/workflow';
import { UNSEALED_FIELD } from './unsealed';
import { BIRTHDAY_WORKFLOW_TYPE } from './birthday-definitions';
import { backorderServedSignal, type ActionSeal, type IssuedStart, type SignalSeal } from './definitions';

export const SEALED_START_PATCH = 'sealed-start';

/** How long after the API issued a start Temporal may begin the run (Temporal may be slow to answer, or down). */
export const START_FRESH_FOR_MS = 15 * 60_000;
/** How far the API's clock may run ahead of the Temporal server's. */
const CLOCK_SKEW_MS = 5 * 60_000;

export const isUnsealed = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as Record<string, unknown>)[UNSEALED_FIELD] === true;

const notFromApi = (message: string) => ApplicationFailure.nonRetryable(message, 'NOT_FROM_API');

/** Why an Update is refused as not the API's, or undefined when it is (for the `updateId` it arrived with). */
export function sealRefusal(name: string, updateId: string, arg: unknown): string | undefined {
  if (typeof arg !== 'object' || arg === null || isUnsealed(arg)) return `${name}: not sent by the API`;
  const seal = (arg as { seal?: Partial<ActionSeal> }).seal;
  const { workflowId } = workflowInfo();
  if (!seal || seal.workflowId !== workflowId || seal.update !== name || seal.updateId !== updateId)
    return `${name}: not sent by the API for this workflow and request`;
  return undefined;
}

/**
 * Workflows a Temporal Schedule starts (orders/schedules.ts): Temporal names each run, so no start can be issued for
 * it. They take no input and do the same keyed, repeatable work whoever starts them (a start sent straight to
 * Temporal only runs it early), so a start without input is theirs.
 */
const SCHEDULED_WORKFLOWS = new Set<string>([BIRTHDAY_WORKFLOW_TYPE]);

/** Why a start is refused as not the API's, or undefined when it is. */
function startRefusal(args: unknown[]): string | undefined {
  if (args.some(isUnsealed)) return 'not started by the API';
  if (SCHEDULED_WORKFLOWS.has(workflowInfo().workflowType)) return args.length === 0 ? undefined : 'takes no input';
  if (!patched(SEALED_START_PATCH)) return undefined;
  const issued = (args[0] ?? {}) as IssuedStart;
  const { workflowId, parent, runStartTime } = workflowInfo();
  if (issued.issuedFor !== workflowId) return 'the start was not issued for this workflow';
  if (issued.issuedByParent && !parent) return 'the start was issued by a parent workflow, and this run has none';
  const startedAt = runStartTime.getTime();
  if (typeof issued.issuedAt !== 'number') return 'the start names no time it was issued';
  if (issued.issuedAt > startedAt + CLOCK_SKEW_MS || startedAt - issued.issuedAt > START_FRESH_FOR_MS)
    return `the start was issued at ${new Date(issued.issuedAt).toISOString()}, not just before this run began`;
  return undefined;
}

/** Signals that carry nothing: a wake-up whose sender is not checked (the workflow then asks the database). */
const SIGNALS_WITHOUT_INPUT = new Set<string>([backorderServedSignal.name]);

/** Why a signal is dropped as not the API's or the worker's, or undefined when it is theirs. */
function signalRefusal(name: string, args: unknown[]): string | undefined {
  if (args.some(isUnsealed)) return 'not sent by the API or the worker';
  if (SIGNALS_WITHOUT_INPUT.has(name)) return undefined;
  const [arg] = args;
  if (args.length !== 1 || typeof arg !== 'object' || arg === null) return 'not the input this signal takes';
  const seal = (arg as { seal?: Partial<SignalSeal> }).seal;
  // Runs from before seals were added (no patch marker) took their signals unsealed; they replay as they were.
  if (seal === undefined && !patched(SEALED_START_PATCH)) return undefined;
  if (seal?.workflowId !== workflowInfo().workflowId) return 'sealed for another workflow';
  return undefined;
}

class SealedInbound implements WorkflowInboundCallsInterceptor {
  async execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) {
    const refusal = startRefusal(input.args);
    // Fails the run before it does anything: no activity, no timer, no status.
    if (refusal) throw notFromApi(`${workflowInfo().workflowType} ${workflowInfo().workflowId}: ${refusal}`);
    return next(input);
  }

  validateUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>): void {
    const refusal = sealRefusal(input.name, input.updateId, input.args[0]);
    if (refusal) throw notFromApi(refusal);
    next(input);
  }

  async handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>) {
    // Dropped, not failed: a signal cannot be refused, and failing the task would stall the workflow for good.
    const refusal = signalRefusal(input.signalName, input.args);
    if (refusal) {
      log.warn('ignored a signal', { signal: input.signalName, refusal });
      return;
    }
    return next(input);
  }
}

export const interceptors = (): WorkflowInterceptors => ({ inbound: [new SealedInbound()] });

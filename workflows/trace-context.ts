/**
 * Tracing inside the workflow sandbox, a workflow interceptor module the worker adds when tracing is on
 * (worker/interceptors.ts): the trace a run was started in (the API's StartWorkflow span, carried in the start's
 * headers by the client interceptor, lib/tracing.ts) goes on in the headers of every activity, child workflow and
 * signal the run sends, so their spans on the worker join the API's trace; the worker records the run's start in it
 * (worker/tracing.ts), and the run's log lines name it (`trace_id`).
 *
 * Not @temporalio/interceptors-opentelemetry's own workflow interceptors: those make spans in the sandbox, awaiting
 * around every handler and activity and drawing span ids from the workflow's random numbers, which reorders commands
 * against a history made without them (six of the recorded histories, test/replay, fail with them), so switching
 * tracing on or off would break the orders running. This module only copies a header, synchronously: no await, no
 * random number, no command, so every history replays the same with it or without it.
 */
import {
  defaultPayloadConverter,
  proxySinks,
  type ActivityInput,
  type LocalActivityInput,
  type Next,
  type Sinks,
  type SignalWorkflowInput,
  type StartChildWorkflowExecutionInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import type { Payload } from '@temporalio/common';

/** The header the OpenTelemetry interceptors read and write (TRACE_HEADER of @temporalio/interceptors-opentelemetry). */
export const TRACE_HEADER = '_tracer-data';

/** What the worker does with a run's trace, outside the sandbox (worker/tracing.ts). */
export interface TraceSinks extends Sinks {
  tracing: {
    /** The run has begun (its first workflow task, not a replay), in the trace of `header`. */
    runStarted(header: Payload): void;
  };
}

/** The trace id in a W3C `traceparent` (`00-<trace id>-<span id>-<flags>`), for log lines. */
function traceIdOf(header: Payload): string | undefined {
  const { traceparent } = defaultPayloadConverter.fromPayload<{ traceparent?: unknown }>(header);
  return typeof traceparent === 'string' ? traceparent.split('-')[1] : undefined;
}

export const interceptors = (): WorkflowInterceptors => {
  // One per run: the factory is called for each workflow the worker runs.
  let header: Payload | undefined;
  let traceId: string | undefined;
  const withTrace = <T extends { headers: Record<string, Payload> }>(input: T): T =>
    header ? { ...input, headers: { ...input.headers, [TRACE_HEADER]: header } } : input;

  const inbound: WorkflowInboundCallsInterceptor = {
    execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) {
      header = input.headers[TRACE_HEADER];
      if (header) {
        traceId = traceIdOf(header);
        proxySinks<TraceSinks>().tracing.runStarted(header);
      }
      return next(input);
    },
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) =>
      next(withTrace(input)),
    scheduleLocalActivity: (
      input: LocalActivityInput,
      next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>,
    ) => next(withTrace(input)),
    startChildWorkflowExecution: (
      input: StartChildWorkflowExecutionInput,
      next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>,
    ) => next(withTrace(input)),
    signalWorkflow: (input: SignalWorkflowInput, next: Next<WorkflowOutboundCallsInterceptor, 'signalWorkflow'>) =>
      next(withTrace(input)),
    getLogAttributes: (input, next) => next(traceId ? { trace_id: traceId, ...input } : input),
  };
  return { inbound: [inbound], outbound: [outbound] };
};

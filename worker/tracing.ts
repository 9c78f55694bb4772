/**
 * What tracing (lib/tracing.ts) adds to the worker: a span per activity run (@temporalio/interceptors-opentelemetry),
 * continuing the trace its workflow passed in the activity's headers, with trace_id and span_id on the activity's SDK
 * log lines; the trace context in the workflow sandbox (worker/interceptors.ts, workflows/trace-context.ts); and a
 * span when a run begins, made here from what the sandbox hands out. Nothing when tracing is off.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { Tracing } from '../lib/tracing';
import type { TraceSinks } from '../workflows/trace-context';
import { workflowInterceptorModulesFor } from './interceptors';

export interface WorkerTracing {
  activity: ActivityInterceptorsFactory[];
  workflowModules: string[];
  sinks: InjectedSinks<TraceSinks> | undefined;
}

export async function workerTracing(tracing: Tracing | undefined): Promise<WorkerTracing> {
  if (!tracing) return { activity: [], workflowModules: workflowInterceptorModulesFor(false), sinks: undefined };
  const otel = await import('@temporalio/interceptors-opentelemetry/lib/worker');
  const tracer = trace.getTracer('shop-oms-worker');
  return {
    activity: [
      (ctx) => ({
        inbound: new otel.OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new otel.OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    workflowModules: workflowInterceptorModulesFor(true),
    sinks: {
      tracing: {
        // From the run's start (Temporal's time) to its first workflow task here: how long it waited for a worker.
        runStarted: {
          fn(info, header) {
            const carrier = defaultPayloadConverter.fromPayload<Record<string, string>>(header);
            const parent = propagation.extract(context.active(), carrier);
            const attributes = { temporalWorkflowId: info.workflowId, run_id: info.runId };
            tracer
              .startSpan(
                `WorkflowRunStarted:${info.workflowType}`,
                { startTime: info.runStartTime, attributes },
                parent,
              )
              .end();
          },
        },
      },
    },
  };
}

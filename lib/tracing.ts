/**
 * OpenTelemetry traces from the API through each workflow to its activities, sent to an OTLP/HTTP endpoint
 * (OTEL_EXPORTER_OTLP_ENDPOINT). Off unless that is set, and then none of it is even loaded. The trace goes on in the
 * headers of each start, Update, signal and activity: from the API's Temporal client (lib/temporal.ts, the
 * interceptor of @temporalio/interceptors-opentelemetry) through the workflow (workflows/trace-context.ts) to the
 * worker's activities (worker/tracing.ts). The
 * exporter reads the other standard variables itself (OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
 * OTEL_BSP_SCHEDULE_DELAY, …), and OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES override the service's name.
 */
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { Config } from './config';

export interface Tracing {
  clientInterceptors: WorkflowClientInterceptor[];
  /** Sends what is still buffered; at the process's end. */
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/**
 * Starts tracing for this process (`shop-oms-api`, `shop-oms-worker`) when an endpoint is configured, once: the
 * global tracer provider, W3C trace context propagation and a context that follows async calls.
 */
export async function startTracing(
  service: 'api' | 'worker',
  config: Pick<Config, 'tracing'>,
): Promise<Tracing | undefined> {
  if (!config.tracing || active) return active;
  const [
    { AsyncLocalStorageContextManager },
    { Resource, envDetectorSync },
    sdk,
    { OpenTelemetryWorkflowClientInterceptor },
  ] = await Promise.all([
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@temporalio/interceptors-opentelemetry/lib/client'),
  ]);
  const { OTLPTraceExporter } =
    config.tracing.protocol === 'http/json'
      ? await import('@opentelemetry/exporter-trace-otlp-http')
      : await import('@opentelemetry/exporter-trace-otlp-proto');
  const resource = new Resource({ 'service.name': `shop-oms-${service}` }).merge(envDetectorSync.detect());
  const processor = new sdk.BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new sdk.BasicTracerProvider({ resource, spanProcessors: [processor] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
  active = {
    clientInterceptors: [new OpenTelemetryWorkflowClientInterceptor()],
    shutdown: () => provider.shutdown(),
  };
  return active;
}

/** The Temporal client's interceptors: none unless tracing was started in this process. */
export const tracingClientInterceptors = (): WorkflowClientInterceptor[] => active?.clientInterceptors ?? [];

/** Whether this process traces (startTracing found an endpoint). */
export const tracingActive = (): boolean => active !== undefined;

/** Flushes and stops tracing, if on; spans that cannot be sent are dropped, never in the way of an exit. */
export async function stopTracing(): Promise<void> {
  await active?.shutdown().catch(() => undefined);
}

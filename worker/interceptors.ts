/**
 * Workflow interceptor modules every worker of the order, shipment and transfer workflows loads, and every replay
 * of them: what refuses starts, signals and Updates that did not come from the API (workflows/sealed.ts).
 */
export const workflowInterceptorModules = [require.resolve('../workflows/sealed')];

/**
 * With tracing on (lib/tracing.ts), the trace context too (workflows/trace-context.ts), after the seal check so a
 * refused start goes on in no trace. It changes no command: histories replay the same with it or without it.
 */
export function workflowInterceptorModulesFor(tracing: boolean): string[] {
  if (!tracing) return workflowInterceptorModules;
  return [...workflowInterceptorModules, require.resolve('../workflows/trace-context')];
}

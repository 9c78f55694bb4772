/**
 * Workflow interceptor modules every worker of the order, shipment and transfer workflows loads, and every replay
 * of them: what refuses starts, signals and Updates that did not come from the API (workflows/sealed.ts).
 */
export const workflowInterceptorModules = [require.resolve('../workflows/sealed')];

/** A Temporal client for the API and scripts, and the one way they start a workflow. */
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { TypedSearchAttributes, WorkflowIdReusePolicy, type SearchAttributePair } from '@temporalio/common';
import type { Config } from './config';

export async function connectTemporal(config: Pick<Config, 'temporalAddress' | 'temporalNamespace'>): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporalAddress });
  return new Client({ connection, namespace: config.temporalNamespace });
}

/**
 * Starts a workflow at most once per id: never a second run for the same business object, even
 * after the first has closed. Starting one that already exists is not an error.
 */
export async function startWorkflowOnce(
  temporal: Client,
  start: {
    type: string;
    workflowId: string;
    taskQueue: string;
    input: unknown;
    searchAttributes: SearchAttributePair[];
  },
): Promise<void> {
  try {
    await temporal.workflow.start(start.type, {
      workflowId: start.workflowId,
      taskQueue: start.taskQueue,
      args: [start.input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: new TypedSearchAttributes(start.searchAttributes),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

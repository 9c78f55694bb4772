/** A Temporal client for the API and scripts, and the one way they start a workflow (alone or with an Update). */
import {
  Client,
  Connection,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
} from '@temporalio/client';
import {
  TypedSearchAttributes,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  type DataConverter,
  type SearchAttributePair,
  type UpdateDefinition,
} from '@temporalio/common';
import type { Config } from './config';
import { AesGcmPayloadCodec } from './payload-codec';

/**
 * How every process that talks to Temporal (worker, API, scripts, tests) encodes data: each payload encrypted
 * (lib/payload-codec.ts), failure messages too (lib/failure-converter.ts). One definition, so all agree.
 */
export function temporalDataConverter(config: Pick<Config, 'payloadKeys'>): DataConverter {
  if (!config.payloadKeys) {
    throw new Error(
      'OMS_PAYLOAD_KEYS is not set: Temporal payloads are encrypted and need a key (see docs/configuration.md; npm start generates one)',
    );
  }
  return {
    payloadCodecs: [new AesGcmPayloadCodec(config.payloadKeys)],
    failureConverterPath: require.resolve('./failure-converter'),
  };
}

export async function connectTemporal(
  config: Pick<Config, 'temporalAddress' | 'temporalNamespace' | 'payloadKeys'>,
): Promise<Client> {
  const dataConverter = temporalDataConverter(config);
  const connection = await Connection.connect({ address: config.temporalAddress });
  return new Client({ connection, namespace: config.temporalNamespace, dataConverter });
}

/** What starts a workflow: its type, id, task queue, input and first search attributes. */
export interface WorkflowStart {
  type: string;
  workflowId: string;
  taskQueue: string;
  input: unknown;
  searchAttributes: SearchAttributePair[];
  /** One line the Temporal Web UI shows for the run (its user metadata): business terms, no personal data. */
  summary?: string;
}

/**
 * The options of every start, a plain one or an Update-with-Start: at most one run per id, ever. A closed run with
 * the id is never followed by a second (REJECT_DUPLICATE: the start fails with WorkflowExecutionAlreadyStartedError),
 * and a running one is used as it is (USE_EXISTING: nothing is started, and for an Update-with-Start the Update goes
 * to that run).
 */
function startOptions(start: WorkflowStart) {
  return {
    workflowId: start.workflowId,
    taskQueue: start.taskQueue,
    args: [start.input],
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: new TypedSearchAttributes(start.searchAttributes),
    staticSummary: start.summary,
  };
}

/**
 * Starts a workflow at most once per id: never a second run for the same business object, even
 * after the first has closed. Starting one that already exists is not an error.
 */
export async function startWorkflowOnce(temporal: Client, start: WorkflowStart): Promise<void> {
  try {
    await temporal.workflow.start(start.type, startOptions(start));
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * Runs an Update on the workflow `start` describes, starting that workflow in the same request when it has not
 * started yet, with the options of `startWorkflowOnce` (Temporal's Update-with-Start: the start and the Update
 * succeed or fail together, and an Update its validator refuses still leaves the workflow started). A running
 * workflow takes the Update as it is. A closed one is not started again: that fails with
 * WorkflowExecutionAlreadyStartedError, and nothing runs.
 */
export async function executeUpdateWithStartOnce<Ret, Args extends unknown[]>(
  temporal: Client,
  start: WorkflowStart,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
): Promise<Ret> {
  const startWorkflowOperation = new WithStartWorkflowOperation(start.type, startOptions(start));
  return temporal.workflow.executeUpdateWithStart(update, { args, startWorkflowOperation });
}

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
import { randomUUID } from 'node:crypto';
import type { ActionSeal } from '../workflows/definitions';
import type { Config } from './config';
import { AesGcmPayloadCodec, type PlainPayloads } from './payload-codec';
import { temporalTlsConfig } from './temporal-tls';
import { tracingClientInterceptors } from './tracing';

/**
 * How every process that talks to Temporal (worker, API, scripts, tests) encodes data: each payload encrypted
 * (lib/payload-codec.ts), failure messages too (lib/failure-converter.ts). One definition, so all agree.
 */
export function temporalDataConverter(
  config: Pick<Config, 'payloadKeys'>,
  plain: PlainPayloads = 'accept',
): DataConverter {
  if (!config.payloadKeys) {
    throw new Error(
      'OMS_PAYLOAD_KEYS is not set: Temporal payloads are encrypted and need a key (see docs/configuration.md; npm start generates one)',
    );
  }
  return {
    payloadCodecs: [new AesGcmPayloadCodec(config.payloadKeys, plain)],
    failureConverterPath: require.resolve('./failure-converter'),
  };
}

export async function connectTemporal(
  config: Pick<Config, 'temporalAddress' | 'temporalNamespace' | 'payloadKeys' | 'temporalTls'>,
): Promise<Client> {
  const dataConverter = temporalDataConverter(config);
  const connection = await Connection.connect({
    address: config.temporalAddress,
    tls: temporalTlsConfig(config.temporalTls),
  });
  // With tracing on in this process (lib/tracing.ts), each start, Update and signal continues the caller's trace.
  const interceptors = { workflow: tracingClientInterceptors() };
  return new Client({ connection, namespace: config.temporalNamespace, dataConverter, interceptors });
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
    // When and for which workflow it was issued: a start copied out of a history is refused (workflows/sealed.ts).
    args: [{ ...(start.input as object), issuedAt: Date.now(), issuedFor: start.workflowId }],
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
export async function executeUpdateWithStartOnce<Ret, Arg extends Sealed>(
  temporal: Client,
  start: WorkflowStart,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Unsealed<Arg>,
): Promise<Ret> {
  const startWorkflowOperation = new WithStartWorkflowOperation(start.type, startOptions(start));
  const { updateId, args } = sealed(start.workflowId, update, arg);
  return temporal.workflow.executeUpdateWithStart(update, { args, updateId, startWorkflowOperation });
}

/** An Update's argument carries its seal (workflows/sealed.ts); callers give the rest. */
export type Sealed = { seal: ActionSeal };
export type Unsealed<Arg extends Sealed> = Omit<Arg, 'seal'>;

/** The argument with its seal, for a new update id: the workflow refuses it for any other workflow or request. */
function sealed<Ret, Arg extends Sealed>(workflowId: string, update: UpdateDefinition<Ret, [Arg]>, arg: Unsealed<Arg>) {
  const updateId = randomUUID();
  const seal: ActionSeal = { workflowId, update: update.name, updateId };
  return { updateId, args: [{ ...arg, seal } as Arg] as [Arg] };
}

/** Runs a staff Update on a running workflow, sealed for it (see `sealed`). */
export async function executeSealedUpdate<Ret, Arg extends Sealed>(
  temporal: Client,
  workflowId: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Unsealed<Arg>,
): Promise<Ret> {
  const { updateId, args } = sealed(workflowId, update, arg);
  return temporal.workflow.getHandle(workflowId).executeUpdate(update, { args, updateId });
}

/** A Temporal client for the API and scripts, and the one way they start a workflow. */
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  TypedSearchAttributes,
  WorkflowIdReusePolicy,
  type DataConverter,
  type SearchAttributePair,
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

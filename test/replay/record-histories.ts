/**
 * Workflow histories as JSON files, for the replay test (see README.md beside this file).
 *
 * The files are Temporal's ProtoJSON, the format of `historyToJSON` in @temporalio/common and of
 * `temporal workflow show --output json`. We do not call @temporalio/common's `historyToJSON` /
 * `historyFromJSON` themselves: with this lock file @temporalio/common and @temporalio/proto each
 * get their own copy of protobufjs, and the SDK's functions throw "type must be a Type" (the
 * message type comes from one copy, the converter checks `instanceof` against the other). Using
 * the converter of the copy that @temporalio/proto loads does the same conversion and works.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

type History = proto.temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
}
/** What this file needs of the protobufjs Root that @temporalio/proto's JSON module is (its types do not say so). */
interface ProtobufRoot {
  lookupType(path: string): unknown;
}

// Loaded by a path found at run time (the copy of protobufjs beside @temporalio/proto), which an import cannot name:
// `module.require` is `require` of this module, under Node and under jest alike.
const protojson = module.require(
  require.resolve('protobufjs/ext/protojson', { paths: [path.dirname(require.resolve('@temporalio/proto'))] }),
) as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as ProtobufRoot).lookupType('temporal.api.history.v1.History');

/**
 * Decodes, in place, every payload in a history with the client's codecs. Payloads are encrypted with the
 * recording system's key (a test stack's is thrown away with it), so a saved history keeps them decoded: it
 * replays without that key, as the histories recorded before encryption do.
 */
async function decodePayloads(node: unknown, codecs: PayloadCodec[]): Promise<void> {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return;
  const payload = node as Payload;
  if (payload.metadata?.encoding instanceof Uint8Array) {
    let decoded: Payload[] = [payload];
    for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
    Object.assign(payload, { metadata: decoded[0].metadata, data: decoded[0].data });
    return;
  }
  for (const child of Object.values(node)) await decodePayloads(child, codecs);
}

/** Saves the workflow's history (call it once the workflow has closed); never replaces a file (throws if it exists). */
export async function recordHistory(temporal: Client, workflowId: string, file: string): Promise<void> {
  const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
  await decodePayloads(history, temporal.options.loadedDataConverter.payloadCodecs);
  const json = protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`, { flag: 'wx' });
}

/** Reads a saved history back, ready for `Worker.runReplayHistory`. */
export function loadHistory(file: string): History {
  return protojson.fromJson(historyType, JSON.parse(fs.readFileSync(file, 'utf8')), {
    ignoreUnknownFields: true,
  }) as History;
}

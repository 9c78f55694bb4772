/**
 * The Temporal payload codec that keeps personal data (names, phones, emails, addresses, staff notes) out
 * of the Temporal server and its database: every payload the worker and the clients send is encrypted
 * with AES-256-GCM before it leaves the process, and decrypted when it comes back.
 *
 * node:crypto does the work: AES-GCM with a random IV and an authentication tag is all this needs, so no
 * extra library. The codec runs in the worker's main thread and in clients, never in the workflow
 * sandbox, so using node:crypto here keeps workflows deterministic.
 */
import crypto from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKeys } from './payload-keys';
import { UNSEALED_FIELD } from '../workflows/unsealed';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A payload that cannot be decrypted: its key id is not configured, or it fails the integrity check. */
export class PayloadDecryptionError extends Error {}

const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING;
}

/**
 * What a workflow sees in place of a payload that arrived unencrypted at a worker that refuses them
 * (workflows/sealed.ts): the one field below and nothing else. Only holders of a payload key (the API and the worker)
 * can make a payload that decrypts, so anything else (a start, a signal or an Update sent straight to Temporal) is
 * not ours. It is replaced rather than refused with an error: a payload the worker cannot decode fails the workflow
 * task again and again, so one stray signal would stall the order for good.
 */
const UNSEALED_PAYLOAD: Payload = {
  metadata: { [METADATA_ENCODING_KEY]: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify({ [UNSEALED_FIELD]: true })),
};

/**
 * `accept`: plain payloads pass through as they are (clients reading results, the codec endpoint showing histories,
 * an installation with workflows from before encryption). `refuse`: the worker's default, see UNSEALED_FIELD.
 */
export type PlainPayloads = 'accept' | 'refuse';

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(
    private readonly keys: PayloadKeys,
    private readonly plain: PlainPayloads = 'accept',
  ) {}

  // The work is synchronous; inside a Promise executor a throw still becomes a rejection, as callers expect.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.encrypt(payload))));
  }

  /** Payloads that were not encrypted pass through as they are, or become the unsealed marker (see `plain`). */
  decode(payloads: Payload[]): Promise<Payload[]> {
    const unencrypted = (payload: Payload) => (this.plain === 'accept' ? payload : UNSEALED_PAYLOAD);
    return new Promise((resolve) =>
      resolve(payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : unencrypted(payload)))),
    );
  }

  /** The whole payload (its metadata too) is sealed; the key id is bound to it as associated data. */
  private encrypt(payload: Payload): Payload {
    const keyId = this.keys.currentKeyId;
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv(CIPHER, this.keys.key(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(keyId));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: Buffer.from(keyId),
      },
      data: Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!keyId)
      throw new PayloadDecryptionError(`An encrypted payload names no key id (metadata "${KEY_ID_METADATA}")`);
    const key = this.keys.key(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `A payload was encrypted with key id "${keyId}", which is not in OMS_PAYLOAD_KEYS (ids: ${this.keys.keyIds.join(', ')})`,
      );
    }
    const data = Buffer.from(payload.data ?? []);
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`A payload encrypted with key "${keyId}" is too short to be one`);
    }
    const decipher = crypto.createDecipheriv(CIPHER, key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(
        `A payload encrypted with key "${keyId}" failed its integrity check: it was altered, or that key id now holds another key`,
      );
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }
}

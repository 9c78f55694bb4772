/**
 * The keys that encrypt Temporal payloads (lib/payload-codec.ts): `OMS_PAYLOAD_KEYS` lists every key still
 * needed to read old histories as `id:base64,id:base64`; `OMS_PAYLOAD_KEY_ID` names the one new payloads use.
 */
import crypto from 'node:crypto';

export const PAYLOAD_KEY_BYTES = 32; // AES-256
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * A key ring. The key bytes sit in a private field, so printing or serialising the configuration
 * (console.log, JSON.stringify, util.inspect) never shows them.
 */
export class PayloadKeys {
  readonly #keys: ReadonlyMap<string, Buffer>;

  constructor(
    keys: ReadonlyMap<string, Buffer>,
    /** The key id new payloads are encrypted with. */
    readonly currentKeyId: string,
  ) {
    if (!keys.has(currentKeyId)) throw new Error(`no key with id "${currentKeyId}"`);
    this.#keys = keys;
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** The key with this id, or undefined when it is not configured. */
  key(id: string): Buffer | undefined {
    return this.#keys.get(id);
  }
}

/** Parses `OMS_PAYLOAD_KEYS` and `OMS_PAYLOAD_KEY_ID` (default: the last key listed). Errors never quote a key. */
export function parsePayloadKeys(list: string, currentKeyId?: string): PayloadKeys {
  const keys = new Map<string, Buffer>();
  for (const entry of list.split(',').map((e) => e.trim())) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? entry : entry.slice(0, colon);
    const encoded = colon < 0 ? '' : entry.slice(colon + 1);
    if (!KEY_ID.test(id)) {
      throw new Error(
        `OMS_PAYLOAD_KEYS: expected "id:base64key" entries, with ids of letters, digits, ".", "_" or "-"`,
      );
    }
    if (keys.has(id)) throw new Error(`OMS_PAYLOAD_KEYS: the key id "${id}" is listed twice`);
    const key = Buffer.from(encoded, 'base64');
    if (!BASE64.test(encoded) || key.length !== PAYLOAD_KEY_BYTES) {
      throw new Error(
        `OMS_PAYLOAD_KEYS: the key "${id}" must be ${PAYLOAD_KEY_BYTES} random bytes in base64 (openssl rand -base64 32)`,
      );
    }
    keys.set(id, key);
  }
  const current = currentKeyId || [...keys.keys()].pop()!;
  if (!keys.has(current)) {
    throw new Error(
      `OMS_PAYLOAD_KEY_ID: "${current}" is not one of the ids in OMS_PAYLOAD_KEYS (${[...keys.keys()].join(',')})`,
    );
  }
  return new PayloadKeys(keys, current);
}

/** A fresh `OMS_PAYLOAD_KEYS` value with one random key under `id`. */
export function generatePayloadKeys(id: string): string {
  return `${id}:${crypto.randomBytes(PAYLOAD_KEY_BYTES).toString('base64')}`;
}

// The payload codec that keeps personal data out of Temporal: AES-256-GCM, key id in the metadata, key rotation.
import util from 'node:util';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadConfig } from '../../lib/config';
import { failureConverter } from '../../lib/failure-converter';
import { AesGcmPayloadCodec, PayloadDecryptionError } from '../../lib/payload-codec';
import { generatePayloadKeys, parsePayloadKeys } from '../../lib/payload-keys';
import { UNSEALED_FIELD } from '../../workflows/unsealed';

const customer = { name: 'Zhang Wei', phone: '+86 139 1234 5678', email: 'zhang.wei@example.com' };
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const K1 = generatePayloadKeys('k1');
const K2 = generatePayloadKeys('k2');

function codecWith(keys: string, current?: string) {
  return new AesGcmPayloadCodec(parsePayloadKeys(keys, current));
}

async function encrypted(codec: AesGcmPayloadCodec, value: unknown): Promise<Payload> {
  return (await codec.encode([defaultPayloadConverter.toPayload(value)]))[0];
}

describe('the AES-GCM payload codec', () => {
  test('encrypts a payload so none of it is readable, and decrypts it back to the same payload', async () => {
    const codec = codecWith(K1);
    const plain = defaultPayloadConverter.toPayload(customer);
    const [sealed] = await codec.encode([plain]);

    expect(text(sealed.metadata!.encoding)).toBe('binary/encrypted');
    expect(text(sealed.metadata!['encryption-key-id'])).toBe('k1');
    expect(Object.keys(sealed.metadata!).sort()).toEqual(['encoding', 'encryption-key-id']);
    for (const secret of [...Object.values(customer), 'json/plain']) expect(text(sealed.data)).not.toContain(secret);

    const [opened] = await codec.decode([sealed]);
    expect(text(opened.metadata!.encoding)).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(opened)).toEqual(customer);
  });

  test('uses a fresh IV each time: the same value never encrypts to the same bytes', async () => {
    const codec = codecWith(K1);
    const [a, b] = [await encrypted(codec, customer), await encrypted(codec, customer)];
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  test('refuses a payload whose bytes were altered', async () => {
    const codec = codecWith(K1);
    const sealed = await encrypted(codec, customer);
    const data = Buffer.from(sealed.data!);
    data[20] ^= 0x01;
    await expect(codec.decode([{ ...sealed, data }])).rejects.toThrow(PayloadDecryptionError);
    await expect(codec.decode([{ ...sealed, data }])).rejects.toThrow(/integrity check/);
    // Cut short: not even room for the IV and tag.
    await expect(codec.decode([{ ...sealed, data: data.subarray(0, 10) }])).rejects.toThrow(/too short/);
  });

  test('refuses a payload relabelled with another configured key id', async () => {
    const codec = codecWith(`${K1},${K2}`, 'k1');
    const sealed = await encrypted(codec, customer);
    const relabelled = { ...sealed, metadata: { ...sealed.metadata, 'encryption-key-id': Buffer.from('k2') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/integrity check/);
  });

  test('rotation: after a new current key is added, payloads under the old key id still decode', async () => {
    const before = codecWith(K1);
    const old = await encrypted(before, customer);

    const after = codecWith(`${K1},${K2}`, 'k2');
    const fresh = await encrypted(after, customer);
    expect(text(fresh.metadata!['encryption-key-id'])).toBe('k2');
    expect((await after.decode([old, fresh])).map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([
      customer,
      customer,
    ]);
    // Without OMS_PAYLOAD_KEY_ID the last key listed is the current one.
    expect(parsePayloadKeys(`${K1},${K2}`).currentKeyId).toBe('k2');
  });

  test('an unknown key id is a clear error naming it and the ids configured', async () => {
    const sealed = await encrypted(codecWith(K2), customer);
    await expect(codecWith(K1).decode([sealed])).rejects.toThrow(
      'A payload was encrypted with key id "k2", which is not in OMS_PAYLOAD_KEYS (ids: k1)',
    );
    const noId = { ...sealed, metadata: { encoding: sealed.metadata!.encoding } };
    await expect(codecWith(K1).decode([noId])).rejects.toThrow(/names no key id/);
  });

  test('a client passes unencrypted payloads through untouched (the codec endpoint shows plain histories as they are)', async () => {
    const plain = defaultPayloadConverter.toPayload(customer);
    const [decoded] = await codecWith(K1).decode([plain]);
    expect(decoded).toBe(plain);
  });

  test('the worker sees an unencrypted payload as unsealed, never as the values its sender wrote', async () => {
    const worker = new AesGcmPayloadCodec(parsePayloadKeys(K1), 'refuse');
    const forged = defaultPayloadConverter.toPayload({ actor: { keyId: 1, name: 'Forged' }, note: 'approve it' });
    const [decoded] = await worker.decode([forged]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({ [UNSEALED_FIELD]: true });
    // What the API and the worker sent, encrypted, still decodes to itself.
    const [genuine] = await worker.decode([await encrypted(worker, customer)]);
    expect(defaultPayloadConverter.fromPayload(genuine)).toEqual(customer);
  });

  test('an installation with workflows from before encryption can let the worker accept plain payloads', () => {
    const keys = { OMS_PAYLOAD_KEYS: K1 };
    expect(loadConfig(keys).workerPlainPayloads).toBe('refuse');
    expect(loadConfig({ ...keys, OMS_TEMPORAL_PLAIN_PAYLOADS: 'accept' }).workerPlainPayloads).toBe('accept');
    expect(() => loadConfig({ ...keys, OMS_TEMPORAL_PLAIN_PAYLOADS: 'maybe' })).toThrow(/OMS_TEMPORAL_PLAIN_PAYLOADS/);
  });

  test('failure messages travel as an encoded payload, so the codec encrypts them too', async () => {
    const failure = failureConverter.errorToFailure(
      ApplicationFailure.create({ message: `550 mailbox unavailable: ${customer.email}` }),
      defaultPayloadConverter,
    );
    expect(failure.message).not.toContain(customer.email);
    expect(failure.stackTrace ?? '').not.toContain(customer.email);
    const [sealed] = await codecWith(K1).encode([failure.encodedAttributes!]);
    expect(text(sealed.data)).not.toContain(customer.email);
  });
});

describe('payload keys in configuration', () => {
  const key = K1.split(':')[1];

  test('OMS_PAYLOAD_KEYS and OMS_PAYLOAD_KEY_ID choose the keys and the current one', () => {
    const config = loadConfig({ OMS_PAYLOAD_KEYS: `${K1},${K2}`, OMS_PAYLOAD_KEY_ID: 'k1' });
    expect(config.payloadKeys?.keyIds).toEqual(['k1', 'k2']);
    expect(config.payloadKeys?.currentKeyId).toBe('k1');
    expect(loadConfig({}).payloadKeys).toBeUndefined();
  });

  test('the keys never show when the configuration is printed or serialised', () => {
    const config = loadConfig({ OMS_PAYLOAD_KEYS: K1 });
    expect(JSON.stringify(config)).not.toContain(key);
    expect(util.inspect(config, { depth: 10 })).not.toContain(key);
    expect(util.inspect(config, { depth: 10 })).not.toContain(Buffer.from(key, 'base64').toString('hex'));
  });

  test.each([
    ['k1:c2hvcnQ=', /"k1" must be 32 random bytes/],
    [`${K1},${K1}`, /"k1" is listed twice/],
    [`bad id:${key}`, /expected "id:base64key"/],
    [key, /expected "id:base64key"|must be 32/],
  ])('a bad OMS_PAYLOAD_KEYS (%#) names the problem and never quotes a key', (value, message) => {
    expect(() => loadConfig({ OMS_PAYLOAD_KEYS: value })).toThrow(message);
    try {
      loadConfig({ OMS_PAYLOAD_KEYS: value });
    } catch (err) {
      expect((err as Error).message).not.toContain(key);
    }
  });

  test('OMS_PAYLOAD_KEY_ID must name a listed key, and needs OMS_PAYLOAD_KEYS', () => {
    expect(() => loadConfig({ OMS_PAYLOAD_KEYS: K1, OMS_PAYLOAD_KEY_ID: 'k9' })).toThrow(
      /OMS_PAYLOAD_KEY_ID: "k9" is not one of the ids/,
    );
    expect(() => loadConfig({ OMS_PAYLOAD_KEY_ID: 'k1' })).toThrow(/OMS_PAYLOAD_KEYS is not/);
  });
});

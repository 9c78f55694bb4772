/**
 * The carrier's trust boundary without the whole system: no published webhook secret starts anything, and the local
 * carrier's test controls answer only whoever holds the test token.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, PUBLISHED_WEBHOOK_SECRETS, ROOT_DIR } from '../../lib/config';
import { startLocalCarrier, TEST_TOKEN_HEADER } from '../../local-carrier/server';
import { startStack } from '../../scripts/stack';
import { freePort } from '../support/system';

describe('the carrier webhook secret', () => {
  test.each(PUBLISHED_WEBHOOK_SECRETS)('the published default %s is refused, and never quoted back', (secret) => {
    expect(() => loadConfig({ CARRIER_WEBHOOK_SECRET: secret })).toThrow(/^CARRIER_WEBHOOK_SECRET: is a published/);
    expect(() => loadConfig({ CARRIER_WEBHOOK_SECRET: secret })).not.toThrow(secret);
  });

  test('a short secret is refused; a long random one, or none (npm start makes one), is taken', () => {
    expect(() => loadConfig({ CARRIER_WEBHOOK_SECRET: 'hunter2' })).toThrow(/CARRIER_WEBHOOK_SECRET: must be at least/);
    const secret = 'x'.repeat(40);
    expect(loadConfig({ CARRIER_WEBHOOK_SECRET: secret }).carrierWebhookSecret).toBe(secret);
    expect(loadConfig({}).carrierWebhookSecret).toBeUndefined();
  });

  test('the stack refuses to start on a published default, before it starts anything', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-secret-'));
    try {
      await expect(
        startStack({
          env: { OMS_DATA_DIR: dataDir, CARRIER_WEBHOOK_SECRET: 'local-carrier-dev-secret' },
          log: () => undefined,
        }),
      ).rejects.toThrow(/CARRIER_WEBHOOK_SECRET: is a published default/);
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test.each([
    ['the published default', 'local-carrier-dev-secret', /CARRIER_WEBHOOK_SECRET: is a published default/],
    ['no secret at all', '', /CARRIER_WEBHOOK_SECRET is not set/],
  ])(
    'the API process started on its own with %s exits at once, saying why',
    async (_what, secret, message) => {
      const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
        cwd: ROOT_DIR,
        // Nothing to reach: it must stop before it tries the database or Temporal.
        env: { PATH: process.env.PATH, CARRIER_WEBHOOK_SECRET: secret, TEMPORAL_ADDRESS: '127.0.0.1:1' },
        timeout: 30_000,
      });
      await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(message) as unknown });
    },
    40_000,
  );
});

describe("the local carrier's test controls", () => {
  const start = async (testToken?: string) => {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-carrier-'));
    const carrier = startLocalCarrier(
      {
        stateFile: path.join(dir, 'state.json'),
        webhookUrl: 'http://127.0.0.1:1/none',
        webhookSecret: 'w'.repeat(32),
        stepMs: 60_000,
        testToken,
      },
      port,
    );
    await new Promise((resolve) => carrier.server.once('listening', resolve));
    const url = `http://127.0.0.1:${port}`;
    const stall = (headers: Record<string, string> = {}) =>
      fetch(`${url}/v1/scenarios`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ reference: 'SO-1', outcome: 'STALL' }),
      });
    const stop = () => {
      carrier.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
    return { url, stall, stop };
  };

  test('without a test token configured they do not exist (404), whatever is sent', async () => {
    const carrier = await start();
    try {
      expect((await carrier.stall()).status).toBe(404);
      expect((await carrier.stall({ [TEST_TOKEN_HEADER]: 'anything' })).status).toBe(404);
      expect((await fetch(`${carrier.url}/v1/faults`)).status).toBe(404);
      expect((await fetch(`${carrier.url}/v1/shipments?reference=SO-1`)).status).toBe(404);
    } finally {
      carrier.stop();
    }
  });

  test('with one, a request without it or with another is refused (403); with it, it works', async () => {
    const carrier = await start('t0ken-for-tests');
    try {
      expect((await carrier.stall()).status).toBe(403);
      expect((await carrier.stall({ [TEST_TOKEN_HEADER]: 't0ken-for-test' })).status).toBe(403);
      const faults = await fetch(`${carrier.url}/v1/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ bookings: 'error' }),
      });
      expect(faults.status).toBe(403);
      expect((await carrier.stall({ [TEST_TOKEN_HEADER]: 't0ken-for-tests' })).status).toBe(201);
      // The carrier's own API (booking, tracking) needs no test token.
      expect((await fetch(`${carrier.url}/v1/shipments/LC1CN`)).status).toBe(404);
    } finally {
      carrier.stop();
    }
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureTemporalCli, MissingToolError } from '../../scripts/temporal-cli';

describe('finding the Temporal CLI', () => {
  const saved = { ...process.env };
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-no-tools-'));
  afterEach(() => {
    process.env = { ...saved };
  });
  afterAll(() => fs.rmSync(empty, { recursive: true, force: true }));

  test('without Go and without a temporal binary, one message says what to install', () => {
    process.env = { ...saved, PATH: empty, OMS_TOOLS_DIR: empty };
    delete process.env.TEMPORAL_CLI_PATH;
    expect(() => ensureTemporalCli(() => undefined)).toThrow(MissingToolError);
    expect(() => ensureTemporalCli(() => undefined)).toThrow(
      /install Go 1\.24 or newer.*\n.*TEMPORAL_CLI_PATH.*\n.*TEMPORAL_ADDRESS/s,
    );
  });

  test('TEMPORAL_CLI_PATH wins, and a wrong one is named', () => {
    const fake = path.join(empty, 'temporal-custom');
    fs.writeFileSync(fake, '#!/bin/sh\n', { mode: 0o755 });
    process.env = { ...saved, TEMPORAL_CLI_PATH: fake };
    expect(ensureTemporalCli()).toBe(fake);
    process.env.TEMPORAL_CLI_PATH = path.join(empty, 'missing');
    expect(() => ensureTemporalCli()).toThrow(/TEMPORAL_CLI_PATH points to .*missing/);
  });

  test('a temporal on PATH is used as it is', () => {
    const bin = fs.mkdtempSync(path.join(empty, 'bin-'));
    fs.writeFileSync(path.join(bin, 'temporal'), '#!/bin/sh\n', { mode: 0o755 });
    process.env = { ...saved, PATH: bin };
    delete process.env.TEMPORAL_CLI_PATH;
    expect(ensureTemporalCli()).toBe(path.join(bin, 'temporal'));
  });
});

/**
 * For tuning runs (`--temporal-pragma`): the same Temporal dev server `npm start` embeds (scripts/stack.ts), with
 * the same arguments but these SQLite pragmas instead of the default ones, started by the bench; the stack then
 * uses it through TEMPORAL_ADDRESS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ensureTemporalCli } from '../scripts/temporal-cli';
import { devServerArgs } from '../scripts/stack';
import { eventually, freePort } from '../test/support/system';

export interface OwnTemporal {
  address: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startOwnTemporal(pragmas: string[]): Promise<OwnTemporal> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-bench-temporal-'));
  const [port, uiPort] = await Promise.all([freePort(), freePort()]);
  const child = spawn(
    ensureTemporalCli(() => undefined),
    devServerArgs({ port, uiPort, dbFile: path.join(dir, 'temporal.db'), namespace: 'default', pragmas }),
    { stdio: 'ignore' },
  );
  const address = `127.0.0.1:${port}`;
  await eventually(
    'the bench’s Temporal dev server',
    async () => {
      try {
        const connection = await Connection.connect({ address, connectTimeout: 2_000 });
        try {
          await connection.workflowService.describeNamespace({ namespace: 'default' });
          return true;
        } finally {
          await connection.close();
        }
      } catch {
        return undefined;
      }
    },
    120_000,
    500,
  );
  return {
    address,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

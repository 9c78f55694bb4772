// Every recorded history must replay against the current workflow code (see README.md beside this file).
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { loadHistory } from './record-histories';
import { workflowInterceptorModules, workflowInterceptorModulesFor } from '../../worker/interceptors';

const dir = path.join(__dirname, 'histories');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('there are histories to replay', () => {
  expect(files.length).toBeGreaterThan(0);
});

test.each(files)(
  '%s replays against the current workflows',
  async (file) => {
    const history = loadHistory(path.join(dir, file));
    const workflowId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? file;
    await Worker.runReplayHistory(
      {
        workflowsPath: require.resolve('../../workflows'),
        interceptors: { workflowModules: workflowInterceptorModules },
      },
      history,
      workflowId,
    );
  },
  60_000,
);

// Tracing can be switched on or off while orders run (docs/operations.md): its workflow module changes no command.
test('every history replays with tracing on too', async () => {
  const histories = files.map((file) => {
    const history = loadHistory(path.join(dir, file));
    return { history, workflowId: history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? file };
  });
  const failed: string[] = [];
  const replays = Worker.runReplayHistories(
    {
      workflowsPath: require.resolve('../../workflows'),
      interceptors: { workflowModules: workflowInterceptorModulesFor(true) },
    },
    histories,
  );
  for await (const result of replays) if (result.error) failed.push(`${result.workflowId}: ${result.error.message}`);
  expect(failed).toEqual([]);
}, 180_000);

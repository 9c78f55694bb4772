/**
 * OMS_LOG_FORMAT=json (lib/log.ts): one JSON object per line, and every line written while an activity of an order
 * runs names the order and its workflow, ours and the Temporal SDK's own (worker/sdk-log.ts) alike. Text, the
 * default, stays the message alone. Activities run in the SDK's own activity context (MockActivityEnvironment).
 */
import { Context } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { configureLog, log } from '../../lib/log';
import { sdkLogger } from '../../worker/sdk-log';

const ORDER = 'SO-20261123-000042';

/** What the process writes, as the parsed lines. */
function capture(processName: string) {
  const lines: string[] = [];
  configureLog(processName, 'json', { write: (line: string) => void lines.push(line) });
  return { lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

afterEach(() => configureLog('test', 'text'));

test('a line written inside an activity carries its workflow id and order number, with time, level and process', async () => {
  const out = capture('worker');
  const shipment = new MockActivityEnvironment({
    activityType: 'bookShipment',
    workflowExecution: { workflowId: `order-${ORDER}-shipment-1`, runId: 'run-1' },
  });
  await shipment.run(async () => {
    await Promise.resolve(); // still in the activity's context after an await
    log.warn('carrier slow to answer', { attempt: 2 });
  });

  expect(out.lines).toHaveLength(1);
  expect(out.lines[0].endsWith('\n')).toBe(true); // one object per line
  const [line] = out.parsed();
  expect(line).toMatchObject({
    level: 'warn',
    process: 'worker',
    msg: 'carrier slow to answer',
    workflowId: `order-${ORDER}-shipment-1`,
    orderNumber: ORDER,
    activityType: 'bookShipment',
    attempt: 2,
  });
  expect(new Date(line.time as string).getTime()).toBeGreaterThan(Date.now() - 60_000);
});

test("the Temporal SDK's own lines from an activity are JSON with the order number too", async () => {
  const out = capture('worker');
  const env = new MockActivityEnvironment(
    { activityType: 'sendOrderEmail', workflowExecution: { workflowId: `order-${ORDER}`, runId: 'run-1' } },
    { logger: sdkLogger() },
  );
  await env.run(() => {
    Context.current().log.warn('Activity failed', { error: new Error('SMTP refused li.lei@example.com') });
    return Promise.resolve();
  });

  const [line] = out.parsed();
  expect(line).toMatchObject({
    level: 'warn',
    msg: 'Activity failed',
    workflowId: `order-${ORDER}`,
    orderNumber: ORDER,
  });
  // An error becomes one masked line (lib/redact.ts), never the customer's address.
  expect(line.error).toBe('Error: SMTP refused l***@example.com');
});

test('an API line about an order names its workflow; a line about no order names none', () => {
  const out = capture('api');
  log.warn('order stored; its workflow will be started later', { orderNumber: ORDER });
  log.info('API listening on http://127.0.0.1:3000');

  const [about, other] = out.parsed();
  expect(about).toMatchObject({ process: 'api', orderNumber: ORDER, workflowId: `order-${ORDER}` });
  expect(other).toMatchObject({ process: 'api', level: 'info', msg: 'API listening on http://127.0.0.1:3000' });
  expect(other).not.toHaveProperty('orderNumber');
  expect(other).not.toHaveProperty('workflowId');
});

test('text, the default, writes the message alone, as before', () => {
  configureLog('api', 'text');
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    log.warn('backorder sweep failed: Error: boom', { orderNumber: ORDER });
    expect(warn.mock.calls).toEqual([['backorder sweep failed: Error: boom']]);
  } finally {
    warn.mockRestore();
  }
});

/**
 * What an operator's tools get from a running system with OTEL_EXPORTER_OTLP_ENDPOINT and OMS_LOG_FORMAT=json:
 * placing an order gives one trace, from the API's request through the workflow's start and run to its activities,
 * sent over OTLP/HTTP (as JSON) to a receiver standing in for a collector; and the API's and the worker's logs are
 * JSON lines, one object each.
 */
import fs from 'node:fs';
import path from 'node:path';
import { orderWorkflowId } from '../../domain/order-number';
import { ORDER_WORKFLOW_TYPE } from '../../workflows/definitions';
import { newProduct, orderBody, placeOrder } from '../support/orders';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { eventually, startTestSystem, type TestSystem } from '../support/system';

const SERVER = 2;
const SERVER_SPAN = 'POST /api/orders';

let receiver: OtlpReceiver;
let system: TestSystem;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  system = await startTestSystem({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Send each batch within a moment rather than the SDK's default 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OMS_LOG_FORMAT: 'json',
    },
  });
}, 180_000);

afterAll(async () => {
  await system?.stop();
  await receiver?.close();
}, 60_000);

test('an order is one trace: the API request, the workflow start and run, and its activities', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 } });
  const orderNumber = await placeOrder(system, orderBody(sku));
  const workflowId = orderWorkflowId(orderNumber);

  const trace = await eventually('the order trace with an activity run', () => {
    const start = receiver.spans.find(
      (s) => s.name === `StartWorkflow:${ORDER_WORKFLOW_TYPE}` && s.attributes.temporalWorkflowId === workflowId,
    );
    const spans = receiver.spans.filter((s) => s.traceId === start?.traceId);
    const complete = [SERVER_SPAN, 'WorkflowRunStarted:', 'RunActivity:'].every((name) =>
      spans.some((s) => s.name.startsWith(name)),
    );
    return Promise.resolve(complete ? spans : undefined);
  });
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  const parentOf = (span: ReceivedSpan | undefined) => byId.get(span?.parentSpanId ?? '');

  // The API's request span is the root, named by its route (never by an order number).
  const request = trace.find((s) => s.name === SERVER_SPAN);
  expect(request).toMatchObject({ service: 'shop-oms-api', kind: SERVER, parentSpanId: undefined });
  expect(request?.attributes).toMatchObject({ 'http.route': '/api/orders', 'http.response.status_code': 201 });
  // The API's Temporal client starts the workflow inside it.
  const start = trace.find((s) => s.name === `StartWorkflow:${ORDER_WORKFLOW_TYPE}`);
  expect(start).toMatchObject({ service: 'shop-oms-api' });
  expect(parentOf(start)).toBe(request);
  // The worker begins the run in the same trace, and runs its activities under the start.
  const began = trace.find((s) => s.name === `WorkflowRunStarted:${ORDER_WORKFLOW_TYPE}`);
  expect(began).toMatchObject({ service: 'shop-oms-worker', attributes: { temporalWorkflowId: workflowId } });
  expect(parentOf(began)).toBe(start);
  const runs = trace.filter((s) => s.name.startsWith('RunActivity:'));
  for (const run of runs) {
    expect(run).toMatchObject({ service: 'shop-oms-worker', attributes: { temporalWorkflowId: workflowId } });
    expect(parentOf(run)).toBe(start);
  }
}, 90_000);

test("every line of the API's and the worker's logs is one JSON object with time, level, process and msg", () => {
  for (const processName of ['api', 'worker']) {
    const text = fs.readFileSync(path.join(system.logsDir, `${processName}.log`), 'utf8');
    const lines = text.split('\n').filter((line) => line.trim());
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(parsed).toMatchObject({ process: processName });
      expect([typeof parsed.level, typeof parsed.msg]).toEqual(['string', 'string']);
      expect(Date.parse(String(parsed.time))).not.toBeNaN();
    }
  }
});

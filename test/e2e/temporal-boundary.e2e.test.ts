/**
 * Temporal as a trust boundary (docs/security.md#temporal-as-a-trust-boundary), tried as an attacker would: with a
 * Temporal client of their own on the Temporal port, as `temporal workflow update execute --name approve` does.
 * - Without the payload key, every payload they send is plain: an Update cannot approve an order (with any actor and
 *   any seal they make up), a signal cannot mark a parcel delivered, a start cannot run an order's workflow.
 * - With genuine, encrypted payloads copied out of a history (the worst an insider without the API could do), an
 *   Update made for one workflow or request is refused on any other, and an old start cannot begin a closed order
 *   again.
 * - On a cluster, mutual TLS keeps everyone but the API and the workers off the port: the certificates
 *   `npm run temporal:certs` makes, through a TLS endpoint in front of the dev server (which has no TLS of its own).
 * Each time, what a user would notice is checked where it lands: the order's status, its history in the API, the
 * parcel's workflow still waiting.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import {
  Client,
  Connection,
  WorkflowFailedError,
  WorkflowIdReusePolicy,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { connectTemporal } from '../../lib/temporal';
import { temporalTlsConfig } from '../../lib/temporal-tls';
import { makeTemporalCertificates } from '../../scripts/temporal-certs';
import { ApplicationFailure } from '@temporalio/common';
import { orderWorkflowId } from '../../domain/order-number';
import {
  approveOrder,
  carrierEventSignal,
  getOrderState,
  shipmentWorkflowId,
  ORDER_WORKFLOW_TYPE,
  type OrderWorkflowInput,
} from '../../workflows/definitions';
import { eventually, startTestSystem, type TestSystem } from '../support/system';
import { getOrder, newProduct, orderBody, pickEverything, placeOrder, reachStatus, unique } from '../support/orders';
import { setCarrierScenario } from '../support/carrier';

let system: TestSystem;
/** A client with no payload codec: what anyone who reaches the Temporal port has. */
let outsider: Client;
/** The system's own encrypted client: payloads as genuine as those copied out of a history. */
let insider: Client;

beforeAll(async () => {
  system = await startTestSystem();
  insider = system.temporal;
  outsider = new Client({ connection: insider.connection, namespace: system.stack.config.temporalNamespace });
}, 180_000);

afterAll(() => system?.stop(), 60_000);

const forged = { actor: { keyId: 1, name: 'Forged Manager' }, note: 'looks fine to me' };

/** The refusal type workflows/sealed.ts gives, read through the encrypted client (the outsider cannot decrypt it). */
const failureType = (err: unknown) =>
  err instanceof WorkflowUpdateFailedError || err instanceof WorkflowFailedError
    ? (err.cause as ApplicationFailure | undefined)?.type
    : undefined;

async function refusal(attempt: Promise<unknown>): Promise<unknown> {
  try {
    await attempt;
  } catch (err) {
    return err;
  }
  throw new Error('the attempt was not refused');
}

async function flaggedOrder(): Promise<string> {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 2 } });
  const orderNumber = await placeOrder(system, orderBody(sku, { payment: { status: 'PENDING' } }));
  await eventually('the order to await a decision', async () => {
    const state = await insider.workflow.getHandle(orderWorkflowId(orderNumber)).query(getOrderState);
    return state.status === 'IN_REVIEW' && state.reviewReasons.length > 0 ? true : undefined;
  });
  return orderNumber;
}

test('an Update sent straight to Temporal cannot approve an order, whatever actor and seal it names', async () => {
  const orderNumber = await flaggedOrder();
  const workflowId = orderWorkflowId(orderNumber);
  const madeUpSeal = { workflowId, update: 'approve', updateId: `u-${unique()}` };

  // Plain payloads, as the Temporal CLI or the Web UI send them.
  const outsiderHandle = outsider.workflow.getHandle(workflowId);
  await refusal(outsiderHandle.executeUpdate(approveOrder, { args: [{ ...forged, seal: madeUpSeal }] }));
  await refusal(
    outsiderHandle.executeUpdate(approveOrder, {
      args: [{ ...forged, seal: madeUpSeal }],
      updateId: madeUpSeal.updateId,
    }),
  );

  // Genuine encrypted payloads, but sealed for another order, or for another request than the one they come with.
  const insiderHandle = insider.workflow.getHandle(workflowId);
  const otherOrder = { ...madeUpSeal, workflowId: orderWorkflowId(await flaggedOrder()) };
  const copies = [
    { seal: otherOrder, updateId: otherOrder.updateId },
    { seal: madeUpSeal, updateId: `u-${unique()}` },
    { seal: { ...madeUpSeal, update: 'reject' }, updateId: madeUpSeal.updateId },
  ];
  for (const { seal, updateId } of copies) {
    const err = await refusal(insiderHandle.executeUpdate(approveOrder, { args: [{ ...forged, seal }], updateId }));
    expect(failureType(err)).toBe('NOT_FROM_API');
  }

  const order = await getOrder(system, orderNumber);
  expect(order.status).toBe('IN_REVIEW');
  expect(JSON.stringify(order)).not.toContain('Forged Manager');
  // The API's own approve still goes through, in the name of the key that sent it.
  expect((await system.api('POST', `/api/orders/${orderNumber}/approve`, { note: 'paid by phone' })).status).toBe(200);
  await reachStatus(system, orderNumber, ['ALLOCATING', 'PICKING']);
}, 120_000);

test('a tracking event signalled straight to Temporal, empty, or copied from another parcel does not mark a parcel delivered', async () => {
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 2 } });
  const orderNumber = await placeOrder(system, orderBody(sku));
  await setCarrierScenario(system, orderNumber, 'STALL');
  await reachStatus(system, orderNumber, 'PICKING');
  await pickEverything(system, orderNumber);
  await reachStatus(system, orderNumber, 'SHIPPED');
  const { trackingNumber } = (await getOrder(system, orderNumber)).shipments[0];
  expect(trackingNumber).toBeTruthy();

  const workflowId = shipmentWorkflowId(orderNumber, 1);
  const delivered = { eventId: `forged-${unique()}`, trackingNumber, status: 'DELIVERED' as const };
  const shipment = outsider.workflow.getHandle(workflowId);
  // Plain, as the CLI sends it; with no input at all (which would crash a handler that reads its event); and a
  // genuine encrypted event, but sealed for another parcel's workflow (copied from its history).
  await shipment.signal(carrierEventSignal, { ...delivered, occurredAt: new Date().toISOString() });
  await shipment.signal(carrierEventSignal.name);
  await insider.workflow.getHandle(workflowId).signal(carrierEventSignal, {
    ...delivered,
    occurredAt: new Date().toISOString(),
    seal: { workflowId: shipmentWorkflowId(`${orderNumber}X`, 1) },
  });
  // Wait until the worker has handled all three: a workflow task completed after the last in the history.
  await eventually('the forged signals to be handled', async () => {
    const events = (await shipment.fetchHistory()).events ?? [];
    const signals = events.flatMap((e, i) => (e.workflowExecutionSignaledEventAttributes ? [i] : []));
    return signals.length === 3 && events.slice(signals[2]).some((e) => e.workflowTaskCompletedEventAttributes)
      ? true
      : undefined;
  });
  expect((await insider.workflow.getHandle(shipmentWorkflowId(orderNumber, 1)).describe()).status.name).toBe('RUNNING');
  expect((await getOrder(system, orderNumber)).status).toBe('SHIPPED');
}, 120_000);

test('a start sent straight to Temporal runs nothing, and an old start copied out of a history cannot run a closed order again', async () => {
  const input = (orderNumber: string, issuedAt: number, issuedFor: string): OrderWorkflowInput => ({
    orderNumber,
    afterSalesWindowMs: 3_000,
    slaMs: { REVIEW: 60_000, BACKORDER: 60_000, PICKING: 60_000, PICKUP: 60_000, DELIVERY: 60_000, RETURN: 60_000 },
    issuedAt,
    issuedFor,
  });

  // Plain: a made-up order, and a real one waiting in review.
  const waiting = await flaggedOrder();
  for (const [orderNumber, workflowId] of [
    ['SO-FAKE', `order-SO-FAKE-${unique()}`],
    [waiting, `order-${waiting}-again`],
  ]) {
    await outsider.workflow.start(ORDER_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: system.stack.config.taskQueue,
      args: [input(orderNumber, Date.now(), workflowId)],
    });
    const err = await refusal(insider.workflow.getHandle(workflowId).result());
    expect(failureType(err)).toBe('NOT_FROM_API');
  }
  // Encrypted and fresh, as copied from the start of the order waiting in review, under another workflow id.
  const copy = `order-${waiting}-copy`;
  await insider.workflow.start(ORDER_WORKFLOW_TYPE, {
    workflowId: copy,
    taskQueue: system.stack.config.taskQueue,
    args: [input(waiting, Date.now(), orderWorkflowId(waiting))],
  });
  expect(failureType(await refusal(insider.workflow.getHandle(copy).result()))).toBe('NOT_FROM_API');
  expect((await getOrder(system, waiting)).status).toBe('IN_REVIEW');

  // Encrypted, as copied from the history of an order that has closed: its workflow id again, an hour-old start.
  const { sku } = await newProduct(system, { stock: { 'WH-SH': 2 } });
  const closed = await placeOrder(system, orderBody(sku));
  const cancel = { reason: 'Customer changed their mind', customerRequest: true };
  expect((await system.api('POST', `/api/orders/${closed}/cancel`, cancel)).status).toBe(200);
  await insider.workflow.getHandle(orderWorkflowId(closed)).result();
  const before = await getOrder(system, closed);
  expect(before.status).toBe('CANCELLED');

  await insider.workflow.start(ORDER_WORKFLOW_TYPE, {
    workflowId: orderWorkflowId(closed),
    taskQueue: system.stack.config.taskQueue,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    args: [input(closed, Date.now() - 60 * 60_000, orderWorkflowId(closed))],
  });
  const err = await refusal(insider.workflow.getHandle(orderWorkflowId(closed)).result());
  expect(failureType(err)).toBe('NOT_FROM_API');
  const after = await getOrder(system, closed);
  expect({ status: after.status, refunds: after.refunds.length, timeline: after.timeline.length }).toEqual({
    status: 'CANCELLED',
    refunds: before.refunds.length,
    timeline: before.timeline.length,
  });
}, 180_000);

/** A TLS endpoint that asks for a client certificate of `caDir`'s CA, in front of the dev server's plain port. */
async function mutualTlsFront(caDir: string, upstream: string): Promise<{ address: string; close(): void }> {
  const read = (file: string) => fs.readFileSync(path.join(caDir, file));
  const [host, port] = [upstream.slice(0, upstream.lastIndexOf(':')), Number(upstream.split(':').pop())];
  const server = tls.createServer(
    {
      key: read('server.key'),
      cert: read('server.pem'),
      ca: read('ca.pem'),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket) => {
      const backend = net.connect(port, host);
      socket.pipe(backend).pipe(socket);
      const end = () => (socket.destroy(), backend.destroy());
      socket.on('error', end);
      backend.on('error', end);
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: front } = server.address() as net.AddressInfo;
  return { address: `127.0.0.1:${front}`, close: () => server.close() };
}

test('behind mutual TLS, Temporal takes the API and the workers and refuses a caller without their certificates', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-certs-'));
  const ours = path.join(dir, 'ours');
  const theirs = path.join(dir, 'theirs');
  makeTemporalCertificates(ours);
  makeTemporalCertificates(theirs);
  for (const key of ['ca.key', 'api.key', 'worker.key']) expect(fs.statSync(path.join(ours, key)).mode & 0o077).toBe(0);
  const front = await mutualTlsFront(ours, system.stack.config.temporalAddress);
  const { temporalNamespace: namespace, payloadKeys } = system.stack.config;
  const setting = (set: string, client?: string) => ({
    serverName: 'localhost',
    caFile: path.join(set === 'ours' ? ours : theirs, 'ca.pem'),
    certFile: client && path.join(set === 'ours' ? ours : theirs, `${client}.pem`),
    keyFile: client && path.join(set === 'ours' ? ours : theirs, `${client}.key`),
  });
  try {
    // The API's client and a worker's connection, each with its own certificate: both reach the namespace.
    const api = await connectTemporal({
      temporalAddress: front.address,
      temporalNamespace: namespace,
      payloadKeys,
      temporalTls: setting('ours', 'api'),
    });
    expect((await api.workflowService.describeNamespace({ namespace })).namespaceInfo?.name).toBe(namespace);
    await api.connection.close();
    const worker = await NativeConnection.connect({
      address: front.address,
      tls: temporalTlsConfig(setting('ours', 'worker')),
    });
    await worker.close();

    // No client certificate, or one of another authority: the connection is refused.
    for (const attempt of [setting('ours'), { ...setting('theirs', 'api'), caFile: setting('ours').caFile }]) {
      await expect(
        Connection.connect({ address: front.address, tls: temporalTlsConfig(attempt), connectTimeout: 5_000 }),
      ).rejects.toThrow();
    }
  } finally {
    front.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

/**
 * A customer email goes out once even when the database is lost at the worst moment: right after the mail server
 * accepted the message, before the email's log row says so. The real activity runs on an in-process worker (its
 * own task queue, on the test system's Temporal server) with real SMTP (MailDev) and PostgreSQL reached through a
 * TCP proxy that the mailer cuts as soon as the message is accepted.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { createEmailActivities } from '../../activities/email';
import { createDb, type Db } from '../../db/client';
import { createMailer, type Mailer } from '../../mail/transport';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../support/postgres';
import { emailsTo, eventually, startTestSystem, type TestSystem } from '../support/system';
import { startDatabaseProxy, type TcpProxy } from '../support/tcp-proxy';
import { newProduct, orderBody, placeOrder } from '../support/orders';
import { sendOrderEmailWorkflow } from '../support/workflows/send-order-email';

const TASK_QUEUE = 'email-once-test';
const OUTAGE_MS = 3_000;

(postgresAvailable() ? describe : describe.skip)('a customer email and a database lost right after SMTP', () => {
  let system: TestSystem;
  let databaseUrl: string;
  let proxy: TcpProxy;
  let db: Db;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('email_once');
    const routed = await startDatabaseProxy(databaseUrl);
    proxy = routed.proxy;
    system = await startTestSystem({ databaseUrl: routed.throughProxyUrl });
    db = createDb(routed.throughProxyUrl);
  }, 180_000);

  afterAll(async () => {
    await db?.$disconnect();
    await system?.stop();
    await proxy?.close();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  }, 90_000);

  test('the mail server accepted it, the database went away before the log row: sent once, logged SENT', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 } });
    const body = orderBody(sku);
    const orderNumber = await placeOrder(system, body);

    // The real SMTP transport; once it has the server's first acceptance, the database is unreachable for a while.
    const smtp = createMailer(system.stack.config.smtpUrl);
    let sends = 0;
    const mailer = {
      async sendMail(message: Parameters<Mailer['sendMail']>[0]) {
        const info: unknown = await smtp.sendMail(message);
        if (++sends === 1) {
          const { destroyed } = await proxy.cut();
          expect(destroyed).toBeGreaterThan(0); // the activity's pooled connection was open, and was cut
          setTimeout(() => void proxy.restore(), OUTAGE_MS);
        }
        return info;
      },
    } as unknown as Mailer;

    const connection = await NativeConnection.connect({ address: system.stack.config.temporalAddress });
    const worker = await Worker.create({
      connection,
      namespace: system.stack.config.temporalNamespace,
      taskQueue: TASK_QUEUE,
      workflowsPath: require.resolve('../support/workflows/send-order-email'),
      activities: createEmailActivities({ db, mailer, config: system.stack.config }),
    });
    const client = new Client({
      connection: system.temporal.connection,
      namespace: system.stack.config.temporalNamespace,
    });
    const ref = 'smtp-then-outage';
    await worker.runUntil(
      client.workflow.execute(sendOrderEmailWorkflow, {
        taskQueue: TASK_QUEUE,
        workflowId: `email-once-${orderNumber}`,
        args: [orderNumber, 'shipped', { ref }],
      }),
    );
    await connection.close();

    expect(sends).toBe(1); // the retry after the outage found the message already accepted
    const messageId = `<${orderNumber}.shipped.${ref}@shop-oms>`;
    const sent = await eventually('the email in MailDev', async () => {
      const mails = (await emailsTo(system.mailUrl, body.customer.email)).filter(
        (m) => m.headers['message-id'] === messageId,
      );
      return mails.length > 0 ? mails : undefined;
    });
    expect(sent).toHaveLength(1);
    const log = await db.emailLog.findUnique({ where: { key: `order:${orderNumber}:shipped:${ref}` } });
    expect(log).toMatchObject({ status: 'SENT', messageId });
  }, 120_000);
});

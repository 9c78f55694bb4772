/**
 * A workflow for tests that sends one customer email through the real activity, with the order workflow's own
 * retry policy, except that retries start at 200 ms instead of 1 s, to keep the test short.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { createEmailActivities, OrderEmailExtra } from '../../../activities/email';
import type { OrderEmailKind } from '../../../mail/templates';
import { RETRY_UNTIL_DONE } from '../../../workflows/activity-options';

const { sendOrderEmail } = proxyActivities<ReturnType<typeof createEmailActivities>>({
  ...RETRY_UNTIL_DONE,
  retry: { ...RETRY_UNTIL_DONE.retry, initialInterval: '200 ms' },
});

export async function sendOrderEmailWorkflow(
  orderNumber: string,
  kind: OrderEmailKind,
  extra: OrderEmailExtra,
): Promise<void> {
  await sendOrderEmail(orderNumber, kind, extra);
}

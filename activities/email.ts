import type { ActivityDeps } from '.';
import { renderOrderEmail, type OrderEmailKind } from '../mail/templates';

export function createEmailActivities({ db, mailer, config }: ActivityDeps) {
  return {
    /**
     * Sends one customer email per (order, kind). The log row is written before sending and marked
     * after, so a retry after success sends nothing; the Message-ID is fixed per email, so in the
     * narrow window of a crash between send and mark, a resend is recognisable as the same message.
     */
    async sendOrderEmail(orderNumber: string, kind: OrderEmailKind, extra: { reason?: string } = {}): Promise<void> {
      const key = `order:${orderNumber}:${kind}`;
      const logged = await db.emailLog.findUnique({ where: { key } });
      if (logged?.status === 'SENT') return;

      const order = await db.order.findUniqueOrThrow({
        where: { orderNumber },
        include: { shipments: { orderBy: { seq: 'asc' } } },
      });
      const shipment = order.shipments[0];
      const email = renderOrderEmail(kind, {
        orderNumber,
        customerName: order.customerName,
        language: order.language,
        trackingNumber: shipment?.trackingNumber,
        carrier: shipment?.carrier,
        reason: extra.reason,
      });
      const messageId = `<${orderNumber}.${kind}@shop-oms>`;
      if (!logged) {
        await db.emailLog.upsert({
          where: { key },
          create: {
            key,
            kind,
            recipient: order.customerEmail,
            subject: email.subject,
            messageId,
            status: 'SENDING',
            orderNumber,
          },
          update: {},
        });
      }
      await mailer.sendMail({ from: config.mailFrom, to: order.customerEmail, messageId, ...email });
      await db.emailLog.update({ where: { key }, data: { status: 'SENT', sentAt: new Date() } });
    },
  };
}

import type { ActivityDeps } from '.';
import { renderOrderEmail, type OrderEmailKind } from '../mail/templates';

export interface OrderEmailExtra {
  reason?: string;
  /** Tells apart emails of one kind sent more than once for an order (a shipment number, a return). */
  ref?: string;
  items?: { sku: string; quantity: number }[];
  amountMinor?: number;
  returnNumber?: string;
  shipmentSeq?: number;
  shipmentCount?: number;
}

export function createEmailActivities({ db, mailer, config }: ActivityDeps) {
  return {
    /**
     * Sends one customer email per (order, kind, ref). The log row is written before sending and marked
     * after, so a retry after success sends nothing; the Message-ID is fixed per email, so in the
     * narrow window of a crash between send and mark, a resend is recognisable as the same message.
     */
    async sendOrderEmail(orderNumber: string, kind: OrderEmailKind, extra: OrderEmailExtra = {}): Promise<void> {
      const key = `order:${orderNumber}:${kind}${extra.ref ? `:${extra.ref}` : ''}`;
      const logged = await db.emailLog.findUnique({ where: { key } });
      if (logged?.status === 'SENT') return;

      const order = await db.order.findUniqueOrThrow({
        where: { orderNumber },
        include: { shipments: { orderBy: { seq: 'asc' } } },
      });
      const shipment = order.shipments.find((s) => s.seq === (extra.shipmentSeq ?? 1)) ?? order.shipments[0];
      const store = order.pickupLocationId
        ? await db.location.findUnique({ where: { id: order.pickupLocationId } })
        : null;
      const email = renderOrderEmail(kind, {
        orderNumber,
        customerName: order.customerName,
        language: order.language,
        trackingNumber: shipment?.trackingNumber,
        carrier: shipment?.carrier,
        reason: extra.reason,
        items: extra.items,
        amountMinor: extra.amountMinor,
        currency: order.currency,
        returnNumber: extra.returnNumber,
        shipmentSeq: extra.shipmentSeq,
        shipmentCount: extra.shipmentCount,
        storeName: store?.name,
      });
      const messageId = `<${orderNumber}.${kind}${extra.ref ? `.${extra.ref}` : ''}@shop-oms>`;
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

import { Context } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import { maskedAddressLine, renderOrderEmail, SHOWS_ORDER, SHOWS_PARCEL, type OrderEmailKind } from '../mail/templates';
import { trackingTokenFor } from '../orders/tracking-page';
import { lineNames } from '../orders/line-names';

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

export function createEmailActivities({ db, mailer, config }: Pick<ActivityDeps, 'db' | 'mailer' | 'config'>) {
  /** The order's lines with the product's name and what tells the variant apart (size, colour, storage). */
  async function namedLines(lines: { sku: string; quantity: number; unitPriceMinor: number }[]) {
    const names = await lineNames(
      db,
      lines.map((l) => l.sku),
    );
    return lines.map((l) => {
      const { name, attributes } = names.get(l.sku)!;
      return {
        name,
        details: [...attributes, l.sku].join(' · '),
        quantity: l.quantity,
        unitPriceMinor: l.unitPriceMinor,
      };
    });
  }

  return {
    /**
     * Sends one customer email per (order, kind, ref), none when the order has no email address. The log row is
     * written before sending and marked after, so a retry after success sends nothing. If the mark fails (the database went away just after the
     * mail server accepted the message), the acceptance is kept in the attempt's heartbeat details, which
     * Temporal hands to the retry: the retry only marks. Left is a worker crash between the mail server's
     * acceptance and the heartbeat reaching Temporal; the Message-ID is fixed per email, so a resend there is
     * recognisable as the same message.
     */
    async sendOrderEmail(orderNumber: string, kind: OrderEmailKind, extra: OrderEmailExtra = {}): Promise<void> {
      const key = `order:${orderNumber}:${kind}${extra.ref ? `:${extra.ref}` : ''}`;
      const earlier = acceptedEarlier();
      // Carried forward, so an attempt that fails before reaching the mark does not lose it for the next one.
      if (earlier) Context.current().heartbeat(earlier);
      const order = await db.order.findUniqueOrThrow({
        where: { orderNumber },
        select: {
          customerName: true,
          customerEmail: true,
          language: true,
          currency: true,
          pickupLocationId: true,
          totalMinor: true,
          pointsMinor: true,
          paymentStatus: true,
          shippingAddress: true,
          deliveredAt: true,
          trackingToken: true,
          // Only the emails that name the parcel read the shipments, and those that show the order its lines.
          ...(SHOWS_PARCEL.has(kind) ? { shipments: { orderBy: { seq: 'asc' as const } } } : {}),
          ...(SHOWS_ORDER.has(kind) ? { lines: { orderBy: { lineNo: 'asc' as const } } } : {}),
        },
      });
      // A till or phone sale may give no email address: that customer is sent nothing, and nothing is logged.
      const recipient = order.customerEmail;
      if (!recipient) return;
      const shipments = 'shipments' in order ? order.shipments : [];
      const shipment = shipments.find((s) => s.seq === (extra.shipmentSeq ?? 1)) ?? shipments[0];
      const store = order.pickupLocationId
        ? await db.location.findUnique({ where: { id: order.pickupLocationId } })
        : null;
      const lines = 'lines' in order ? await namedLines(order.lines) : undefined;
      const email = renderOrderEmail(kind, {
        orderNumber,
        customerName: order.customerName ?? '',
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
        // An order from before tracking tokens gets one now.
        trackingPageUrl: `${config.publicUrl}/track/${order.trackingToken ?? (await trackingTokenFor(db, orderNumber))}`,
        shop: { name: config.shopName, logoUrl: config.shopLogoUrl, contact: config.shopContact },
        lines,
        totalMinor: order.totalMinor,
        pointsMinor: order.pointsMinor,
        paymentStatus: order.paymentStatus,
        deliverTo: store?.name ?? maskedAddressLine(order.shippingAddress as Record<string, string>),
        returnBy: order.deliveredAt
          ? new Date(order.deliveredAt.getTime() + config.afterSalesWindowMs).toISOString().slice(0, 10)
          : undefined,
      });
      const messageId = `<${orderNumber}.${kind}${extra.ref ? `.${extra.ref}` : ''}@shop-oms>`;
      // The log row first, as one INSERT (an upsert is a transaction of several statements): it exists already
      // when an earlier attempt wrote it, and then says whether that attempt got as far as sending.
      const fresh = await db.emailLog
        .create({
          data: {
            key,
            kind,
            recipient,
            subject: email.subject,
            messageId,
            status: 'SENDING',
            orderNumber,
          },
          select: { key: true },
        })
        .then(
          () => true,
          (err: unknown) => {
            if ((err as { code?: string }).code !== 'P2002') throw err;
            return false;
          },
        );
      if (!fresh && (await db.emailLog.findUnique({ where: { key }, select: { status: true } }))?.status === 'SENT') {
        return;
      }
      if (earlier?.acceptedMessageId !== messageId) {
        await mailer.sendMail({ from: config.mailFrom, to: recipient, messageId, ...email });
        Context.current().heartbeat({ acceptedMessageId: messageId } satisfies SmtpAccepted);
      }
      // updateMany: one UPDATE, without reading the row back.
      await db.emailLog.updateMany({ where: { key }, data: { status: 'SENT', sentAt: new Date() } });
    },
  };
}

/** What an attempt of sendOrderEmail leaves for its retry once the mail server has accepted the message. */
interface SmtpAccepted {
  acceptedMessageId: string;
}

function acceptedEarlier(): SmtpAccepted | undefined {
  const details = Context.current().info.heartbeatDetails as Partial<SmtpAccepted> | undefined;
  return typeof details?.acceptedMessageId === 'string' ? { acceptedMessageId: details.acceptedMessageId } : undefined;
}

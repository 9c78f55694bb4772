import type { ActivityDeps } from './deps';
import { carryAcceptance, sendEmailOnce } from './email-once';
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
  async function namedLines(lines: { sku: string; quantity: number; unitPriceMinor: number; gift: boolean }[]) {
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
        gift: l.gift,
      };
    });
  }

  /**
   * The discounts as the customer reads them, by promotion. A gift's own promotion is left out: the gift line says it
   * is a gift instead of showing its price. What a marketplace took off (no promotion of ours) comes as one, unnamed.
   */
  function discountsShown(order: {
    discountMinor: number;
    discounts: { code: string; name: string; amountMinor: number }[];
    lines: { gift: boolean; adjustments: unknown }[];
  }): { name?: string; amountMinor: number }[] {
    const giftCodes = new Set(
      order.lines
        .filter((l) => l.gift)
        .flatMap((l) => ((l.adjustments as { code: string }[] | null) ?? []).map((a) => a.code)),
    );
    if (order.discounts.length === 0) return order.discountMinor > 0 ? [{ amountMinor: order.discountMinor }] : [];
    return order.discounts
      .filter((d) => !giftCodes.has(d.code) && d.amountMinor > 0)
      .map(({ name, amountMinor }) => ({ name, amountMinor }));
  }

  return {
    /** Sends one customer email per (order, kind, ref), none when the order has no email address (email-once.ts). */
    async sendOrderEmail(orderNumber: string, kind: OrderEmailKind, extra: OrderEmailExtra = {}): Promise<void> {
      const key = `order:${orderNumber}:${kind}${extra.ref ? `:${extra.ref}` : ''}`;
      carryAcceptance();
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
          ...(SHOWS_ORDER.has(kind)
            ? {
                lines: { orderBy: { lineNo: 'asc' as const } },
                discounts: { orderBy: { id: 'asc' as const } },
                discountMinor: true,
              }
            : {}),
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
        discounts: 'discounts' in order ? discountsShown(order) : undefined,
        totalMinor: order.totalMinor,
        pointsMinor: order.pointsMinor,
        paymentStatus: order.paymentStatus,
        deliverTo: store?.name ?? maskedAddressLine(order.shippingAddress as Record<string, string>),
        returnBy: order.deliveredAt
          ? new Date(order.deliveredAt.getTime() + config.afterSalesWindowMs).toISOString().slice(0, 10)
          : undefined,
      });
      await sendEmailOnce(db, mailer, config.mailFrom, {
        key,
        kind,
        recipient,
        messageId: `<${orderNumber}.${kind}${extra.ref ? `.${extra.ref}` : ''}@shop-oms>`,
        orderNumber,
        ...email,
      });
    },
  };
}

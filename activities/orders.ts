import type { ActivityDeps } from '.';
import type { Prisma } from '../db/client';
import type { OrderStatus } from '../domain/order-status';
import { reviewOrder, type ReviewReason } from '../domain/review';
import type { ShippingAddress } from '../domain/order-input';
import { reserveOrder } from '../inventory/reservations';
import { reviewLowStock } from '../inventory/low-stock';
import { lowStockMailer } from '../mail/manager';

export function createOrderActivities({ db, mailer, config }: ActivityDeps) {
  const notifyManager = lowStockMailer(db, mailer, config.mailFrom, config.managerEmail);
  return {
    async recordOrderStatus(orderNumber: string, status: OrderStatus): Promise<void> {
      await db.order.update({ where: { orderNumber }, data: { status } });
    },

    /** Runs the automatic checks and keeps their reasons on the order; [] means clean. */
    async reviewOrder(orderNumber: string): Promise<ReviewReason[]> {
      const order = await db.order.findUniqueOrThrow({ where: { orderNumber }, include: { lines: true } });
      const skus = order.lines.map((l) => l.sku);
      const known = await db.productVariant.findMany({ where: { sku: { in: skus } }, select: { sku: true } });
      const reasons = reviewOrder(
        { ...order, shippingAddress: order.shippingAddress as ShippingAddress },
        new Set(known.map((v) => v.sku)),
      );
      await db.order.update({
        where: { orderNumber },
        data: { reviewReasons: reasons as unknown as Prisma.InputJsonValue },
      });
      return reasons;
    },

    /** All or nothing at one location; false when stock is short. */
    async reserveStock(orderNumber: string): Promise<boolean> {
      if (!(await reserveOrder(db, orderNumber))) return false;
      const held = await db.allocation.findMany({ where: { order: { orderNumber }, status: 'RESERVED' } });
      await reviewLowStock(db, notifyManager, held);
      return true;
    },
  };
}

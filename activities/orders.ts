import type { ActivityDeps } from './deps';
import type { Prisma } from '../db/client';
import type { OrderStatus, WaitingStage } from '../domain/order-status';
import type { ReviewReason } from '../domain/review';
import { reviewChecks } from './review-check';
import { reserveOrder } from '../inventory/reservations';
import { reviewLowStock } from '../inventory/low-stock';
import { lowStockMailer } from '../mail/manager';
import { renderOrderWarningEmail } from '../mail/templates';
import { clearWarning, openWarning } from './warnings';
import { releaseCoupons } from '../orders/promotions';

export interface OrderWarning {
  orderNumber: string;
  kind: 'DELAY' | 'EXCEPTION';
  stage: WaitingStage;
  /** Which shipment or return, when a stage can wait more than once. */
  ref: string;
  detail?: string;
}

/** One row of an order's audit trail; `key` keeps a retried write single. */
export interface AuditEntry {
  key: string;
  orderNumber: string;
  actor: string;
  action: string;
  reason?: string;
  details?: Record<string, unknown>;
  /** ISO time of the action; now when omitted. */
  at?: string;
}

const warningKey = (w: Omit<OrderWarning, 'detail'>) =>
  `${w.kind.toLowerCase()}:${w.orderNumber}:${w.stage}${w.ref ? `:${w.ref}` : ''}`;

export function createOrderActivities({ db, mailer, config, payments }: ActivityDeps) {
  const notifyManager = lowStockMailer(db, mailer, config.mailFrom, config.managerEmail);

  async function runReview(orderNumber: string) {
    const order = await db.order.findUniqueOrThrow({ where: { orderNumber }, include: { lines: true } });
    const { reasons, capturedMinor } = await reviewChecks(db, payments, order);
    await db.order.update({
      where: { orderNumber },
      data: { reviewReasons: reasons as unknown as Prisma.InputJsonValue, capturedMinor },
      select: { id: true },
    });
    return { reasons, lines: order.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku })) };
  }

  return {
    /** The order's status, and (from the second version on) a timeline row for the change. */
    async recordOrderStatus(orderNumber: string, status: OrderStatus, seq?: number): Promise<void> {
      const stamps =
        status === 'BACKORDERED'
          ? { backorderedAt: new Date() }
          : status === 'DELIVERED'
            ? { deliveredAt: new Date() }
            : {};
      await db.order.update({ where: { orderNumber }, data: { status, ...stamps }, select: { id: true } });
      // An order that will never be fulfilled gives its coupons' uses back (once: a retry finds them released).
      if (status === 'CANCELLED' || status === 'REJECTED') await releaseCoupons(db, orderNumber);
      if (seq !== undefined) {
        await recordAuditRow({
          key: `${orderNumber}:status:${seq}`,
          orderNumber,
          actor: 'workflow',
          action: `status ${status}`,
        });
      }
    },

    /** Runs the automatic checks and keeps their reasons on the order; [] means clean. (First version.) */
    async reviewOrder(orderNumber: string): Promise<ReviewReason[]> {
      return (await runReview(orderNumber)).reasons;
    },

    /** The automatic checks, and the order's lines as the workflow needs them. */
    async reviewOrderLines(orderNumber: string) {
      return runReview(orderNumber);
    },

    /** All or nothing at one location; false when stock is short. (First version.) */
    async reserveStock(orderNumber: string): Promise<boolean> {
      if (!(await reserveOrder(db, orderNumber))) return false;
      const held = await db.allocation.findMany({ where: { order: { orderNumber }, status: 'RESERVED' } });
      await reviewLowStock(db, notifyManager, held);
      return true;
    },

    async recordAudit(event: AuditEntry): Promise<void> {
      await recordAuditRow(event);
    },

    async recordClosedReason({ orderNumber, reason }: { orderNumber: string; reason: string }): Promise<void> {
      await db.order.update({ where: { orderNumber }, data: { closedReason: reason } });
    },

    /** Opens the warning (once per key while open) and emails the manager once; the email is claimed before sending. */
    async openOrderWarning(warning: OrderWarning): Promise<void> {
      const key = warningKey(warning);
      const message =
        warning.kind === 'EXCEPTION'
          ? `Order ${warning.orderNumber}: delivery exception (${warning.detail ?? 'unknown'}) on shipment ${warning.ref}; a decision is needed`
          : `Order ${warning.orderNumber} has waited longer than its SLA in ${warning.stage}${warning.ref ? ` (${warning.ref})` : ''}`;
      await openWarning(db, mailer, config, {
        kind: warning.kind,
        key,
        stage: warning.stage,
        orderNumber: warning.orderNumber,
        message,
        email: renderOrderWarningEmail({ ...warning, message, publicUrl: config.publicUrl }),
      });
    },

    async clearOrderWarning(warning: Omit<OrderWarning, 'detail'>): Promise<void> {
      await clearWarning(db, warningKey(warning));
    },
  };

  async function recordAuditRow(event: AuditEntry): Promise<void> {
    try {
      await db.auditEvent.create({
        data: {
          ...event,
          details: event.details as Prisma.InputJsonValue | undefined,
          at: event.at ? new Date(event.at) : undefined,
        },
      });
    } catch (err) {
      if ((err as { code?: string }).code !== 'P2002') throw err; // recorded by an earlier attempt
    }
  }
}

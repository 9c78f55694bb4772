/**
 * A customer's personal data on request, as PIPL (个人信息保护法) expects: all of it as one JSON document (export),
 * and its erasure. Erasure replaces the person's data wherever this database holds it (the customer record, their
 * address book and feedback, their orders' contact details and street address, the recipients of the emails sent,
 * their notes on returns) and keeps what the books need: orders, lines, amounts, refunds, the city a parcel went to.
 * Both are recorded on the customer (EXPORTED, ERASED) with who and why, never with the data itself.
 */
import type { Db, Prisma } from '../db/client';
import { editDetailsWithout, maskAddress, withoutContacts } from '../domain/customer-privacy';
import { CustomerNotFoundError } from './customers';
import { applyPoints } from './points';
import { lockCustomers } from './customer-lock';

/** What erased data reads as. */
export const ERASED = '[erased]';

/** Statuses after which an order needs no contact details any more. */
const CLOSED = ['COMPLETED', 'CANCELLED', 'REJECTED'];

/** Erasure waits for the customer's open orders: the parcel still needs its address, the customer their emails. */
export class OrdersOpenError extends Error {
  constructor(readonly orderNumbers: string[]) {
    super(`Orders or repairs still open: ${orderNumbers.join(', ')}; erase once they are completed or cancelled`);
  }
}

export class AlreadyErasedError extends Error {}

/** Everything held about the customer, and their orders in full; the export is recorded on the customer. */
export async function exportCustomer(db: Db, id: number, actor: string) {
  const customer = await db.customer.findUnique({
    where: { id },
    include: { addresses: true, feedback: true, events: true, points: true },
  });
  if (!customer) throw new CustomerNotFoundError(id);
  const orders = await db.order.findMany({
    where: { customerId: id },
    orderBy: { id: 'asc' },
    include: {
      lines: true,
      shipments: { include: { events: true } },
      returns: true,
      refunds: true,
    },
  });
  const emails = await db.emailLog.findMany({
    where: { orderNumber: { in: orders.map((o) => o.orderNumber) } },
    select: {
      kind: true,
      recipient: true,
      subject: true,
      status: true,
      orderNumber: true,
      createdAt: true,
      sentAt: true,
    },
    orderBy: { id: 'asc' },
  });
  const repairs = await db.repairTicket.findMany({
    where: { customerId: id },
    orderBy: { id: 'asc' },
    include: { events: true },
  });
  const repairEmails = await db.emailLog.findMany({
    where: { OR: repairs.map((r) => ({ key: { startsWith: `repair:${r.ticketNumber}:` } })) },
    select: { kind: true, recipient: true, subject: true, status: true, createdAt: true, sentAt: true },
    orderBy: { id: 'asc' },
  });
  await db.customerEvent.create({ data: { customerId: id, action: 'EXPORTED', actor } });
  return { exportedAt: new Date().toISOString(), customer, orders, emails: [...emails, ...repairEmails], repairs };
}

/**
 * Erases the customer's personal data in one transaction, once (a second erasure is refused). Refused while any of
 * their orders is still open (OrdersOpenError). Merged-away records that pointed here are erased with it.
 */
export async function eraseCustomer(db: Db, id: number, actor: string, reason: string): Promise<void> {
  await db.$transaction(async (tx) => {
    // The customer's row first (the write lock on SQLite, the row lock on PostgreSQL): no order links to it meanwhile.
    await lockCustomers(tx, [id]);
    const customer = await tx.customer.findUnique({ where: { id } });
    if (!customer) throw new CustomerNotFoundError(id);
    if (customer.erasedAt)
      throw new AlreadyErasedError(`Customer ${id} was erased on ${customer.erasedAt.toISOString()}`);
    const mergedAway = await tx.customer.findMany({ where: { mergedIntoId: id }, select: { id: true } });
    const ids = [id, ...mergedAway.map((c) => c.id)];
    const orders = await tx.order.findMany({
      where: { customerId: { in: ids } },
      select: {
        id: true,
        orderNumber: true,
        status: true,
        shippingAddress: true,
        reviewReasons: true,
        customerEmail: true,
        customerPhone: true,
      },
    });
    const repairs = await tx.repairTicket.findMany({
      where: { customerId: { in: ids } },
      select: { id: true, ticketNumber: true, closedAt: true },
    });
    // A device still in repair needs its owner's contact to come back.
    const open = [
      ...orders.filter((o) => !CLOSED.includes(o.status)).map((o) => o.orderNumber),
      ...repairs.filter((r) => !r.closedAt).map((r) => r.ticketNumber),
    ];
    if (open.length) throw new OrdersOpenError(open);

    const now = new Date();
    await tx.customer.updateMany({
      where: { id: { in: ids } },
      data: {
        name: ERASED,
        mobile: null,
        email: null,
        otherPhone: null,
        birthday: null,
        marketingConsent: false,
        tags: [],
        notes: null,
        erasedAt: now,
      },
    });
    await tx.customerAddress.deleteMany({ where: { customerId: { in: ids } } });
    await tx.customerFeedback.updateMany({ where: { customerId: { in: ids } }, data: { text: ERASED } });
    // The record of changes keeps who did what and when; what the fields were is personal data.
    for (const customerId of ids) {
      await tx.$executeRaw`UPDATE "CustomerEvent" SET "details" = NULL WHERE "customerId" = ${customerId}`;
    }
    for (const order of orders) {
      const reasons = Array.isArray(order.reviewReasons)
        ? (order.reviewReasons as { code: string; message: string }[]).map((r) => ({
            ...r,
            message: withoutContacts(r.message, order),
          }))
        : order.reviewReasons;
      await tx.order.update({
        where: { id: order.id },
        data: {
          customerName: ERASED,
          customerEmail: null,
          customerPhone: null,
          shippingAddress: maskAddress(order.shippingAddress) ?? {},
          reviewReasons: reasons ?? undefined,
        },
        select: { id: true },
      });
    }
    const numbers = orders.map((o) => o.orderNumber);
    await tx.emailLog.updateMany({ where: { orderNumber: { in: numbers } }, data: { recipient: ERASED } });
    // An edit's audit row keeps what the contact and address were before and after it.
    for (const edit of await tx.auditEvent.findMany({
      where: { orderNumber: { in: numbers }, action: 'edit order' },
    })) {
      await tx.auditEvent.update({
        where: { id: edit.id },
        data: { details: editDetailsWithout(edit.details, ERASED) as Prisma.InputJsonValue },
        select: { id: true },
      });
    }
    await tx.repairTicket.updateMany({
      where: { id: { in: repairs.map((r) => r.id) } },
      data: { contactName: ERASED, contactPhone: null, contactEmail: null },
    });
    for (const repair of repairs) {
      await tx.emailLog.updateMany({
        where: { key: { startsWith: `repair:${repair.ticketNumber}:` } },
        data: { recipient: ERASED },
      });
    }
    await tx.returnRequest.updateMany({
      where: { orderId: { in: orders.map((o) => o.id) }, note: { not: null } },
      data: { note: ERASED },
    });
    // Points cannot be used by someone nobody can recognise any more: they lapse with the person's data.
    let pointsLapsed = 0;
    for (const c of await tx.customer.findMany({ where: { id: { in: ids }, pointsBalance: { gt: 0 } } })) {
      const moved = await applyPoints(
        tx,
        {
          key: `erase:${c.id}`,
          customerId: c.id,
          kind: 'ADJUST',
          points: -c.pointsBalance,
          actor,
          reason: 'Personal data erased on request',
        },
        { partial: true },
      );
      pointsLapsed -= moved.points;
    }
    await tx.customerEvent.create({
      data: {
        customerId: id,
        action: 'ERASED',
        actor,
        details: { reason, orders: numbers.length, pointsLapsed },
        at: now,
      },
    });
  });
}

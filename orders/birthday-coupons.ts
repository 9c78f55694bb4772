/**
 * Birthday coupons (issue 16): each consenting customer with an email gets one personal, single-use coupon of the
 * birthday promotion (OMS_BIRTHDAY_PROMOTION) in their birthday week, once a year. The Temporal Schedule
 * `birthday-coupons` runs workflows/birthdays.ts every morning; these are its steps, each safe to run again.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/client';
import { birthdayCouponExpiry, birthdayIssueKey, birthdayThisWeek, startOfDayIn, todayIn } from '../domain/birthdays';

export interface BirthdayDue {
  customerId: number;
  /** The birthday's date this year (YYYY-MM-DD). */
  occurs: string;
}

/** Customers in their birthday week today who have not had this year's coupon; none when the promotion does not run. */
export async function birthdaysDue(db: Db, promotionCode: string, timeZone: string, now = new Date()) {
  const promotion = await db.promotion.findUnique({ where: { code: promotionCode } });
  if (!promotion || promotion.endedAt || !promotion.couponRequired) return [];
  const today = todayIn(timeZone, now);
  const customers = await db.customer.findMany({
    where: {
      marketingConsent: true,
      erasedAt: null,
      mergedIntoId: null,
      email: { not: null },
      birthday: { not: null },
    },
    select: { id: true, birthday: true },
  });
  const due: BirthdayDue[] = [];
  for (const c of customers) {
    const occurs = birthdayThisWeek(c.birthday, today);
    if (occurs) due.push({ customerId: c.id, occurs });
  }
  if (due.length === 0) return [];
  const issued = await db.coupon.findMany({
    where: { issueKey: { in: due.map((d) => birthdayIssueKey(d.customerId, d.occurs)) } },
    select: { issueKey: true },
  });
  const had = new Set(issued.map((c) => c.issueKey));
  return due.filter((d) => !had.has(birthdayIssueKey(d.customerId, d.occurs)));
}

/** This year's birthday coupon of a customer: found again if issued before (a retry), created once otherwise. */
export async function issueBirthdayCoupon(db: Db, promotionCode: string, timeZone: string, due: BirthdayDue) {
  const issueKey = birthdayIssueKey(due.customerId, due.occurs);
  const existing = await db.coupon.findUnique({ where: { issueKey }, include: { promotion: true } });
  if (existing) return existing;
  const promotion = await db.promotion.findUniqueOrThrow({ where: { code: promotionCode } });
  try {
    return await db.coupon.create({
      data: {
        code: `BD${crypto.randomBytes(5).toString('hex').toUpperCase()}`,
        promotionId: promotion.id,
        maxUses: 1,
        customerId: due.customerId,
        issueKey,
        expiresAt: startOfDayIn(birthdayCouponExpiry(due.occurs), timeZone),
        createdBy: 'birthday coupons',
      },
      include: { promotion: true },
    });
  } catch (err) {
    // Issued by a run alongside this one: that coupon is the one.
    if ((err as { code?: string }).code !== 'P2002') throw err;
    return db.coupon.findUniqueOrThrow({ where: { issueKey }, include: { promotion: true } });
  }
}

/** The birthday coupon workflow's steps (workflows/birthdays.ts): who is due today, and one customer's coupon and email. */
import type { ActivityDeps } from './deps';
import { carryAcceptance, sendEmailOnce } from './email-once';
import { BIRTHDAY_COUPON_GRACE_DAYS } from '../domain/birthdays';
import { renderBirthdayEmail } from '../mail/birthday-template';
import { birthdaysDue, issueBirthdayCoupon, type BirthdayDue } from '../orders/birthday-coupons';

export function createBirthdayActivities({ db, mailer, config }: Pick<ActivityDeps, 'db' | 'mailer' | 'config'>) {
  return {
    /** Consenting customers in their birthday week without this year's coupon. */
    async birthdaysDue(): Promise<BirthdayDue[]> {
      return birthdaysDue(db, config.birthdayPromotion, config.timeZone);
    },

    /** Issues the customer's coupon (once a year) and emails it (once). */
    async sendBirthdayCoupon(due: BirthdayDue): Promise<void> {
      carryAcceptance();
      const customer = await db.customer.findUniqueOrThrow({
        where: { id: due.customerId },
        select: {
          name: true,
          email: true,
          marketingConsent: true,
          erasedAt: true,
          orders: { orderBy: { id: 'desc' }, take: 1, select: { language: true } },
        },
      });
      // Consent withdrawn or data erased since the list was made: nothing goes out.
      if (!customer.email || !customer.marketingConsent || customer.erasedAt) return;
      const coupon = await issueBirthdayCoupon(db, config.birthdayPromotion, config.timeZone, due);
      const validUntil = new Date(`${due.occurs}T00:00:00Z`);
      validUntil.setUTCDate(validUntil.getUTCDate() + BIRTHDAY_COUPON_GRACE_DAYS);
      const email = renderBirthdayEmail({
        customerName: customer.name,
        language: customer.orders[0]?.language ?? config.language,
        couponCode: coupon.code,
        offer: coupon.promotion.name,
        validUntil: validUntil.toISOString().slice(0, 10),
        shop: { name: config.shopName, logoUrl: config.shopLogoUrl, contact: config.shopContact },
      });
      await sendEmailOnce(db, mailer, config.mailFrom, {
        key: coupon.issueKey!,
        kind: 'birthday_coupon',
        recipient: customer.email,
        messageId: `<${coupon.issueKey!.replaceAll(':', '.')}@shop-oms>`,
        ...email,
      });
    },
  };
}

export type BirthdayActivities = ReturnType<typeof createBirthdayActivities>;

/** Emails to the shop's manager (MANAGER_EMAIL). */
import type { Db } from '../db/client';
import type { NotifyManager } from '../inventory/low-stock';
import { renderLowStockEmail } from './templates';
import type { Mailer } from './transport';

export function lowStockMailer(db: Db, mailer: Mailer, from: string, to: string): NotifyManager {
  return async (notice) => {
    const location = await db.location.findUnique({ where: { id: notice.locationId } });
    await mailer.sendMail({
      from,
      to,
      messageId: `<low-stock.${notice.warningId}@shop-oms>`,
      ...renderLowStockEmail({ ...notice, locationName: location?.name ?? `location ${notice.locationId}` }),
    });
  };
}

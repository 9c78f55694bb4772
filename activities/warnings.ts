/**
 * Warnings a manager should see (the Warning table): opened once per key while open, the manager emailed once per
 * warning (claimed by `notifiedAt` before sending, released when sending fails so the retry sends), cleared when
 * what they waited on moves on.
 */
import type { Db } from '../db/client';
import type { Mailer } from '../mail/transport';

export interface WarningToOpen {
  kind: string;
  key: string;
  stage: string;
  message: string;
  orderNumber?: string;
  email: { subject: string; text: string; html: string };
}

export async function openWarning(
  db: Db,
  mailer: Mailer,
  config: { mailFrom: string; managerEmail: string },
  warning: WarningToOpen,
): Promise<void> {
  const { kind, key, stage, message, orderNumber } = warning;
  try {
    await db.warning.create({ data: { kind, key, openKey: key, stage, orderNumber, message } });
  } catch (err) {
    if ((err as { code?: string }).code !== 'P2002') throw err;
  }
  const open = await db.warning.findUnique({ where: { openKey: key } });
  if (!open) return;
  const claimed = await db.warning.updateMany({
    where: { id: open.id, notifiedAt: null },
    data: { notifiedAt: new Date() },
  });
  if (claimed.count === 0) return;
  try {
    await mailer.sendMail({
      from: config.mailFrom,
      to: config.managerEmail,
      messageId: `<warning.${open.id}@shop-oms>`,
      ...warning.email,
    });
  } catch (err) {
    await db.warning.update({ where: { id: open.id }, data: { notifiedAt: null } });
    throw err;
  }
}

export async function clearWarning(db: Db, key: string): Promise<void> {
  await db.warning.updateMany({ where: { openKey: key }, data: { openKey: null, clearedAt: new Date() } });
}

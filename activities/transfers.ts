import type { ActivityDeps } from './deps';
import { reviewLowStock } from '../inventory/low-stock';
import { cancelTransfer, receiveTransfer, shipTransfer } from '../inventory/transfers';
import { lowStockMailer } from '../mail/manager';
import type { ReceivedLine } from '../domain/transfer';

export function createTransferActivities({ db, mailer, config }: ActivityDeps) {
  const notifyManager = lowStockMailer(db, mailer, config.mailFrom, config.managerEmail);
  const touchedAt = async (transferNumber: string, side: 'fromLocationId' | 'toLocationId') => {
    const transfer = await db.transfer.findUniqueOrThrow({ where: { transferNumber }, include: { lines: true } });
    return transfer.lines.map((l) => ({ sku: l.sku, locationId: transfer[side] }));
  };
  return {
    async shipTransfer(transferNumber: string, actor: string): Promise<void> {
      await shipTransfer(db, transferNumber, actor);
    },
    async cancelTransfer(transferNumber: string, actor: string): Promise<void> {
      await cancelTransfer(db, transferNumber, actor);
      await reviewLowStock(db, notifyManager, await touchedAt(transferNumber, 'fromLocationId'));
    },
    async receiveTransfer(transferNumber: string, actor: string, lines: ReceivedLine[]): Promise<void> {
      await receiveTransfer(db, transferNumber, actor, lines);
      await reviewLowStock(db, notifyManager, await touchedAt(transferNumber, 'toLocationId'));
    },
  };
}

export type TransferActivities = ReturnType<typeof createTransferActivities>;

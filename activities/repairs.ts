/**
 * The repair workflow's activities: each step written (orders/repairs.ts), one customer email per step, and the
 * manager's warning when a stage waits past its SLA. All safe to retry.
 */
import type { ActivityDeps } from './deps';
import type { RepairStage, RepairStatus } from '../domain/repairs';
import { renderRepairEmail, renderRepairWarningEmail } from '../mail/repair-templates';
import { lineNames } from '../orders/line-names';
import { recordRepairStep, type StepRecord } from '../orders/repairs';
import { carryAcceptance, sendEmailOnce } from './email-once';
import { clearWarning, openWarning } from './warnings';

const day = (at: Date | null) => (at ? at.toISOString().slice(0, 10) : undefined);
const warningKey = (ticketNumber: string, stage: RepairStage) => `repair-delay:${ticketNumber}:${stage}`;

export function createRepairActivities({ db, mailer, carrier, config }: ActivityDeps) {
  return {
    /** Writes the step; the refusal in words when it cannot be (the workflow answers the Update with it). */
    async recordRepairStep(record: StepRecord): Promise<string | null> {
      return recordRepairStep(db, carrier, record);
    },

    /** The customer's email for the ticket's status, once; none when no email address was given. */
    async sendRepairEmail(ticketNumber: string, status: RepairStatus): Promise<void> {
      carryAcceptance();
      const ticket = await db.repairTicket.findUniqueOrThrow({ where: { ticketNumber } });
      if (!ticket.contactEmail) return;
      const [names, store] = await Promise.all([
        lineNames(db, [ticket.sku]),
        db.location.findUnique({ where: { id: ticket.locationId }, select: { name: true } }),
      ]);
      const { name, attributes } = names.get(ticket.sku)!;
      const email = renderRepairEmail(status, {
        ticketNumber,
        customerName: ticket.contactName ?? '',
        language: ticket.language,
        device: [name, ...attributes].join(' '),
        serial: ticket.serial,
        fault: ticket.fault,
        diagnosis: ticket.diagnosis,
        inWarranty: ticket.inWarranty,
        warrantyEnds: day(ticket.warrantyEndsAt),
        chargeMinor: ticket.chargeMinor,
        replacementSerial: ticket.replacementSerial,
        storeName: store?.name ?? '',
        carrier: ticket.carrier,
        trackingNumber: ticket.trackingNumber,
        trackingPageUrl: `${config.publicUrl}/track/${ticket.trackingToken}`,
        shop: { name: config.shopName, logoUrl: config.shopLogoUrl, contact: config.shopContact },
      });
      await sendEmailOnce(db, mailer, config.mailFrom, {
        key: `repair:${ticketNumber}:${status}`,
        kind: `repair_${status.toLowerCase()}`,
        recipient: ticket.contactEmail,
        messageId: `<${ticketNumber}.${status.toLowerCase()}@shop-oms>`,
        ...email,
      });
    },

    async openRepairWarning(ticketNumber: string, stage: RepairStage): Promise<void> {
      const message = `Repair ${ticketNumber} has waited longer than its SLA in ${stage}`;
      await openWarning(db, mailer, config, {
        kind: 'REPAIR_DELAY',
        key: warningKey(ticketNumber, stage),
        stage,
        message,
        email: renderRepairWarningEmail({ ticketNumber, message, publicUrl: config.publicUrl }),
      });
    },

    async clearRepairWarning(ticketNumber: string, stage: RepairStage): Promise<void> {
      await clearWarning(db, warningKey(ticketNumber, stage));
    },
  };
}

export type RepairActivities = ReturnType<typeof createRepairActivities>;

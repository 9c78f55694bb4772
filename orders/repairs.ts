/**
 * Repair tickets' data: a unit found by IMEI with its sale and warranty, a ticket opened for it (then its workflow
 * started), and each step written as the workflow's `advanceRepair` asks. The rules are domain/repairs.ts.
 */
import type { Client } from '@temporalio/client';
import type { Db, Tx } from '../db/client';
import { nextInSequence } from '../db/sequence';
import { isRepairClosed, warrantyOf, type RepairStep } from '../domain/repairs';
import { orderDay } from '../domain/order-number';
import { repairRunSummary } from '../domain/run-summaries';
import type { CarrierAdapter } from '../carriers/types';
import { applyMovements } from '../inventory/ledger';
import { SerialError, sellUnits } from '../inventory/serials';
import type { Config } from '../lib/config';
import { startWorkflowOnce } from '../lib/temporal';
import { customerIdFor } from './customers';
import { newTrackingToken } from './tracking-page';
import { REPAIR_WORKFLOW_TYPE, repairWorkflowId, type RepairWorkflowInput } from '../workflows/repair-definitions';

/** A serialised unit as the repair counter sees it: what it is, when and to whom it was sold, its warranty. */
export async function unitForRepair(db: Db | Tx, serial: string, warrantyMs: number, at = new Date()) {
  const unit = await db.serialUnit.findUnique({ where: { serial } });
  if (!unit) return undefined;
  // The last sale is the current owner's: a unit returned and sold again has its warranty from the second sale.
  const sale = await db.serialEvent.findFirst({
    where: { serial, kind: 'SALE' },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
  });
  const order = sale?.reference
    ? await db.order.findUnique({
        where: { orderNumber: sale.reference },
        select: {
          orderNumber: true,
          customerId: true,
          customerName: true,
          customerPhone: true,
          customerEmail: true,
          language: true,
        },
      })
    : null;
  const openTicket = await db.repairTicket.findUnique({
    where: { openSerial: serial },
    select: { ticketNumber: true },
  });
  return {
    serial,
    sku: unit.sku,
    status: unit.status,
    sale: sale ? { at: sale.at, reference: sale.reference } : null,
    order,
    warranty: warrantyOf(unit.status === 'SOLD' ? (sale?.at ?? null) : null, at, warrantyMs),
    openTicket: openTicket?.ticketNumber ?? null,
  };
}

export interface RepairRequest {
  serial: string;
  fault: string;
  locationId: number;
  receivedBy: string;
  /** Who brings it in; the sale order's customer when not given. */
  contact?: { name?: string; phone?: string; email?: string };
  language?: string;
}

export type OpenRepairResult =
  { ticketNumber: string } | { refused: 'SERIAL_NOT_FOUND' | 'NOT_SOLD' | 'REPAIR_OPEN'; message: string };

/**
 * Opens a ticket for a unit the shop sold, one open ticket per unit, then starts its workflow. Without its workflow
 * the ticket could never move, so when the start fails the ticket is removed and the error goes on to the caller.
 */
export async function openRepair(
  db: Db,
  temporal: Client,
  config: Pick<Config, 'taskQueue' | 'repairWarrantyMs' | 'repairSlaMs'>,
  request: RepairRequest,
): Promise<OpenRepairResult> {
  const now = new Date();
  const unit = await unitForRepair(db, request.serial, config.repairWarrantyMs, now);
  if (!unit) return { refused: 'SERIAL_NOT_FOUND', message: `No unit with serial ${request.serial} was ever received` };
  if (unit.status !== 'SOLD')
    return { refused: 'NOT_SOLD', message: `${request.serial} is ${unit.status}, not a unit in a customer's hands` };
  if (unit.openTicket)
    return { refused: 'REPAIR_OPEN', message: `${request.serial} is already in repair on ${unit.openTicket}` };
  const day = orderDay(now);
  const ticketNumber = `RP-${day}-${String(await nextInSequence(db, `RP-${day}`)).padStart(6, '0')}`;
  const contact = request.contact ?? {};
  const { warranty, order } = unit;
  // A till sale may have named nobody: then the person who brings it in is the customer, matched as at intake.
  const customerId =
    order?.customerId ?? (contact.name ? await customerIdFor(db, { ...contact, name: contact.name }) : null);
  try {
    await db.$transaction(async (tx) => {
      const ticket = await tx.repairTicket.create({
        data: {
          ticketNumber,
          serial: unit.serial,
          openSerial: unit.serial,
          sku: unit.sku,
          orderNumber: order?.orderNumber,
          customerId,
          locationId: request.locationId,
          status: 'RECEIVED',
          fault: request.fault,
          inWarranty: warranty.inWarranty,
          soldAt: warranty.soldAt,
          warrantyEndsAt: warranty.endsAt,
          contactName: contact.name ?? order?.customerName,
          contactPhone: contact.phone ?? order?.customerPhone,
          contactEmail: contact.email ?? order?.customerEmail,
          language: request.language ?? order?.language ?? 'zh-CN',
          trackingToken: newTrackingToken(),
          receivedBy: request.receivedBy,
          createdAt: now,
        },
        select: { id: true },
      });
      await tx.repairEvent.create({
        data: {
          key: `${ticketNumber}:received`,
          ticketId: ticket.id,
          status: 'RECEIVED',
          actor: request.receivedBy,
          at: now,
        },
      });
      await tx.serialEvent.create({
        data: {
          serial: unit.serial,
          kind: 'REPAIR_IN',
          locationId: request.locationId,
          reference: ticketNumber,
          at: now,
        },
      });
    });
  } catch (err) {
    // Two counters took the same unit in at once: the other's ticket stands.
    if ((err as { code?: string }).code === 'P2002')
      return { refused: 'REPAIR_OPEN', message: `${request.serial} is already in repair` };
    throw err;
  }
  const input: RepairWorkflowInput = { ticketNumber, inWarranty: warranty.inWarranty, slaMs: config.repairSlaMs };
  try {
    await startWorkflowOnce(temporal, {
      type: REPAIR_WORKFLOW_TYPE,
      workflowId: repairWorkflowId(ticketNumber),
      taskQueue: config.taskQueue,
      input,
      searchAttributes: [],
      summary: repairRunSummary(ticketNumber, unit.serial, warranty.inWarranty),
    });
  } catch (err) {
    await removeTicket(db, ticketNumber);
    throw err;
  }
  return { ticketNumber };
}

async function removeTicket(db: Db, ticketNumber: string) {
  await db.$transaction(async (tx) => {
    const ticket = await tx.repairTicket.findUniqueOrThrow({ where: { ticketNumber }, select: { id: true } });
    await tx.repairEvent.deleteMany({ where: { ticketId: ticket.id } });
    await tx.serialEvent.deleteMany({ where: { kind: 'REPAIR_IN', reference: ticketNumber } });
    await tx.repairTicket.delete({ where: { id: ticket.id } });
  });
}

export interface StepRecord {
  ticketNumber: string;
  actor: string;
  step: RepairStep;
  /** The Update's id: the same step asked again is written once. */
  key: string;
}

/**
 * Writes one step of a ticket, all or nothing: its status and what the step carries, the event, and for a
 * replacement the unit taken off the shelf (a ledger movement, so stock stays exact) and the broken one out of the
 * customer's hands. A ticket shipped back is booked with the carrier first (the booking is idempotent by ticket).
 * Answers why not in words when the world refuses (the replacement unit is not on the shelf), else null.
 */
export async function recordRepairStep(db: Db, carrier: CarrierAdapter, record: StepRecord): Promise<string | null> {
  const { ticketNumber, actor, step } = record;
  const eventKey = `${ticketNumber}:step:${record.key}`;
  if (await db.repairEvent.findUnique({ where: { key: eventKey }, select: { id: true } })) return null;
  const ticket = await db.repairTicket.findUniqueOrThrow({ where: { ticketNumber } });
  const closes = isRepairClosed(step.to);
  const now = new Date();

  let parcel: { carrier: string; trackingNumber: string } | undefined;
  if (step.to === 'SHIPPED_BACK' && step.shipTo) {
    const { name, phone, ...address } = step.shipTo;
    const booking = await carrier.book({
      idempotencyKey: `repair:${ticketNumber}:ship-back`,
      reference: ticketNumber,
      service: 'STANDARD',
      recipient: { name, phone, address },
      parcels: [{ sku: ticket.sku, quantity: 1 }],
    });
    parcel = { carrier: carrier.name, trackingNumber: booking.trackingNumber };
  }

  const write = async (tx: Tx) => {
    await tx.repairTicket.update({
      where: { id: ticket.id },
      data: {
        status: step.to,
        ...(step.diagnosis !== undefined ? { diagnosis: step.diagnosis } : {}),
        ...(step.chargeMinor !== undefined ? { chargeMinor: step.chargeMinor } : {}),
        ...(step.replacementSerial ? { replacementSerial: step.replacementSerial } : {}),
        ...(parcel ?? {}),
        ...(closes ? { closedAt: now, openSerial: null } : {}),
      },
      select: { id: true },
    });
    await tx.repairEvent.create({
      data: { key: eventKey, ticketId: ticket.id, status: step.to, actor, note: step.note ?? step.diagnosis, at: now },
    });
    if (closes) {
      await tx.serialEvent.create({
        data: {
          serial: ticket.serial,
          kind: 'REPAIR_OUT',
          locationId: ticket.locationId,
          reference: ticketNumber,
          at: now,
        },
      });
    }
  };

  try {
    if (step.to !== 'REPLACED') {
      await db.$transaction(write);
      return null;
    }
    const replacement = step.replacementSerial!;
    const result = await applyMovements(
      db,
      [
        {
          key: `repair-replace:${ticketNumber}`,
          kind: 'SHIP',
          sku: ticket.sku,
          locationId: ticket.locationId,
          onHandDelta: -1,
          reference: ticketNumber,
          actor,
          reason: `repair ${ticketNumber}: replacement for ${ticket.serial}`,
        },
      ],
      async (tx) => {
        await sellUnits(tx, ticket.sku, ticket.locationId, [replacement], ticketNumber);
        // The broken unit is the shop's now (back to the vendor), no longer the customer's.
        await tx.serialUnit.update({
          where: { serial: ticket.serial },
          data: { status: 'REPLACED', reference: ticketNumber },
        });
        await tx.serialEvent.create({
          data: { serial: ticket.serial, kind: 'REPLACED', locationId: ticket.locationId, reference: ticketNumber },
        });
        await write(tx);
      },
    );
    if (result === 'insufficient') return `no ${ticket.sku} is free at the counter's location to give in its place`;
    return null;
  } catch (err) {
    if (err instanceof SerialError) return `the replacement ${err.message}`;
    // The same step written meanwhile by an earlier attempt.
    if ((err as { code?: string }).code === 'P2002') return null;
    throw err;
  }
}

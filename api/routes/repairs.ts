import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { isValidImei } from '../../domain/imei';
import { LANGUAGES, shippingAddressSchema } from '../../domain/order-input';
import { nextRepairStatuses, REPAIR_STATUSES, REPAIR_STEP_TARGETS, type RepairStatus } from '../../domain/repairs';
import { note, plain, text } from '../../domain/text';
import type { Config } from '../../lib/config';
import { executeSealedUpdate } from '../../lib/temporal';
import { lineNames } from '../../orders/line-names';
import { openRepair, unitForRepair } from '../../orders/repairs';
import { advanceRepair, repairWorkflowId } from '../../workflows/repair-definitions';
import { actorOf } from '../auth';
import { HttpError } from '../errors';
import { locationByCode } from '../lookups';
import { apiGroup, route } from '../operations';
import { parseBody, parseQuery } from '../validate';
import { runUpdate } from '../workflow-updates';

const imei = z
  .string()
  .trim()
  .refine(isValidImei, 'must be a 15-digit IMEI with a valid check digit')
  .describe('The unit’s IMEI: 15 digits, the last a Luhn check digit');

const openSchema = z
  .object({
    serial: imei,
    fault: plain(z.string().trim().min(1, 'say what is wrong with it').max(1000), true),
    /** The counter that takes it in (a location code). */
    location: text(64),
    contact: z
      .object({ name: text(200).optional(), phone: text(40).optional(), email: z.email().max(254).optional() })
      .strict()
      .optional()
      .describe('Who brings it in; the sale order’s customer when left out'),
    language: z.enum(LANGUAGES).optional(),
  })
  .strict();

const stepSchema = z
  .object({
    to: z.enum(REPAIR_STEP_TARGETS),
    diagnosis: note(1000),
    chargeMinor: z.number().int().min(0).max(100_000_000).optional(),
    replacementSerial: imei.optional(),
    shipTo: shippingAddressSchema
      .extend({ name: text(200), phone: text(40) })
      .strict()
      .optional(),
    note: note(500),
  })
  .strict();

const listQuery = z.object({
  status: z.enum(REPAIR_STATUSES).optional(),
  open: z.enum(['true', 'false']).optional(),
  serial: z.string().trim().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const repairApi = apiGroup({
  mount: '/api/repairs',
  tag: 'Repairs',
  description:
    'Repairs (维修) of serialised goods, found by IMEI. Each ticket runs as the workflow `repair-<number>`: received at the counter → diagnosed → repaired in store or at the vendor → repaired, replaced (in warranty only, by a unit from the counter’s shelf) or refused → collected or shipped back. The warranty (`OMS_REPAIR_WARRANTY` from the unit’s own last sale) is decided when the unit is handed in. Each stage has an SLA (`OMS_REPAIR_SLA_<STAGE>`); the customer is emailed at every step and follows the ticket at `/track/<token>`.',
  operations: {
    repairUnit: {
      method: 'get',
      path: '/units/:serial',
      summary: 'A unit by IMEI: what it is, its sale, its warranty today, an open ticket',
      permission: 'repairs.read',
      responses: {
        200: '`{serial, sku, name, status, sale, order, warranty: {inWarranty, soldAt, endsAt}, openTicket}`',
      },
      errors: { 404: '`SERIAL_NOT_FOUND`' },
    },
    openRepair: {
      method: 'post',
      path: '/',
      summary: 'Take a unit in for repair',
      permission: 'repairs.handle',
      body: openSchema,
      responses: { 201: 'The ticket with its events' },
      errors: {
        404: '`SERIAL_NOT_FOUND`: no unit with that IMEI was ever received',
        409: '`NOT_SOLD`: the unit is not in a customer’s hands; `REPAIR_OPEN`: it is in repair already',
        422: '`VALIDATION_FAILED`, `UNKNOWN_LOCATION`',
      },
    },
    listRepairs: {
      method: 'get',
      path: '/',
      summary: 'Repair tickets, newest first',
      permission: 'repairs.read',
      query: listQuery,
      responses: { 200: '`{repairs}`' },
    },
    getRepair: {
      method: 'get',
      path: '/:ticketNumber',
      summary: 'One ticket with its steps and the device’s name',
      permission: 'repairs.read',
      responses: { 200: 'The ticket with `events`, `name` and `nextSteps`' },
      errors: { 404: '`REPAIR_NOT_FOUND`' },
    },
    advanceRepair: {
      method: 'post',
      path: '/:ticketNumber/steps',
      summary: 'Record the next step of a ticket',
      description:
        '`DIAGNOSED` needs a `diagnosis` (and, out of warranty, the `chargeMinor` quoted); `REPLACED` a `replacementSerial` of the same SKU on the counter’s shelf (in warranty only); `SHIPPED_BACK` a `shipTo` address, booked with the carrier.',
      permission: 'repairs.handle',
      body: stepSchema,
      responses: { 200: 'The ticket with its events' },
      errors: {
        404: '`REPAIR_NOT_FOUND`',
        409: '`WRONG_STATE`: not a step from the ticket’s status, or the ticket is closed',
        422: '`VALIDATION_FAILED`; `INVALID_CONTENT`: the step misses what it needs, or the replacement is not on the shelf',
      },
    },
  },
});

export function repairRoutes(db: Db, temporal: Client, config: Config): Router {
  const router = Router();
  const { operations } = repairApi;

  async function loadTicket(ticketNumber: string) {
    const ticket = await db.repairTicket.findUnique({
      where: { ticketNumber },
      include: { events: { orderBy: { id: 'asc' } } },
    });
    if (!ticket) throw new HttpError(404, 'REPAIR_NOT_FOUND', `No repair ticket ${ticketNumber}`);
    const names = await lineNames(db, [ticket.sku]);
    const { name, attributes } = names.get(ticket.sku) ?? { name: ticket.sku, attributes: [] };
    return {
      ...ticket,
      name: [name, ...attributes].join(' '),
      nextSteps: nextRepairStatuses(ticket.status as RepairStatus),
    };
  }

  route(router, operations.repairUnit, async (req, res) => {
    const serial = String(req.params.serial);
    const unit = await unitForRepair(db, serial, config.repairWarrantyMs);
    if (!unit) throw new HttpError(404, 'SERIAL_NOT_FOUND', `No unit with serial ${serial} was ever received`);
    const { name, attributes } = (await lineNames(db, [unit.sku])).get(unit.sku)!;
    res.json({ ...unit, name: [name, ...attributes].join(' ') });
  });

  route(router, operations.openRepair, async (req, res) => {
    const input = parseBody(openSchema, req.body);
    const location = await locationByCode(db, input.location);
    const opened = await openRepair(db, temporal, config, {
      serial: input.serial,
      fault: input.fault,
      locationId: location.id,
      receivedBy: actorOf(req).name,
      contact: input.contact,
      language: input.language,
    });
    if ('refused' in opened)
      throw new HttpError(opened.refused === 'SERIAL_NOT_FOUND' ? 404 : 409, opened.refused, opened.message);
    res.status(201).json(await loadTicket(opened.ticketNumber));
  });

  route(router, operations.listRepairs, async (req, res) => {
    const { status, open, serial, limit } = parseQuery(listQuery, req.query);
    const repairs = await db.repairTicket.findMany({
      where: {
        status,
        ...(serial ? { OR: [{ serial: { contains: serial } }, { ticketNumber: { contains: serial } }] } : {}),
        ...(open === 'true' ? { closedAt: null } : open === 'false' ? { closedAt: { not: null } } : {}),
      },
      orderBy: { id: 'desc' },
      take: limit,
    });
    res.json({ repairs });
  });

  route(router, operations.getRepair, async (req, res) => {
    res.json(await loadTicket(String(req.params.ticketNumber)));
  });

  route(router, operations.advanceRepair, async (req, res) => {
    const ticketNumber = String(req.params.ticketNumber);
    await loadTicket(ticketNumber);
    const step = parseBody(stepSchema, req.body);
    await runUpdate(`Repair ${ticketNumber}`, () =>
      executeSealedUpdate(temporal, repairWorkflowId(ticketNumber), advanceRepair, { actor: actorOf(req).name, step }),
    );
    res.json(await loadTicket(ticketNumber));
  });

  return router;
}

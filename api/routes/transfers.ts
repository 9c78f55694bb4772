import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { note, text } from '../../domain/text';
import { TRANSFER_STATUSES, transferShortfall } from '../../domain/transfer';
import type { Db } from '../../db/client';
import type { Config } from '../../lib/config';
import { executeSealedUpdate } from '../../lib/temporal';
import { openTransfer } from '../../orders/transfers';
import {
  cancelTransfer as cancelUpdate,
  receiveTransfer,
  shipTransfer,
  transferWorkflowId,
} from '../../workflows/transfer-definitions';
import { actorOf } from '../auth';
import { HttpError } from '../errors';
import { mayDo } from '../permissions';
import { noteSecurityEvent } from '../security-events';
import { locationByCode, requireKnownSkus } from '../lookups';
import { apiGroup, emptyBody, route, type Operation } from '../operations';
import { parseBody, parseQuery } from '../validate';
import { runUpdate } from '../workflow-updates';

const sku = text(64);
const requestSchema = z
  .object({
    from: text(64),
    to: text(64),
    note: note(500),
    lines: z
      .array(z.object({ sku, quantity: z.number().int().min(1).max(1_000_000) }).strict())
      .min(1)
      .max(500),
  })
  .strict();
const receiveSchema = z
  .object({
    lines: z.array(z.object({ sku, received: z.number().int().min(0).max(1_000_000) }).strict()).max(500),
  })
  .strict();

const listQuery = z.object({
  status: z.enum(TRANSFER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const TRANSFER_UPDATE = {
  404: '`TRANSFER_NOT_FOUND`',
  409: '`WRONG_STATE`: the transfer is not waiting for this',
  422: '`INVALID_CONTENT`',
};

export const transferApi = apiGroup({
  mount: '/api/transfers',
  tag: 'Transfers',
  description:
    'Stock moved between locations. Each transfer runs as the workflow `transfer-<number>`: reserved at the source when requested, at neither location in transit, then received (possibly short, the shortfall recorded) or cancelled.',
  operations: {
    requestTransfer: {
      method: 'post',
      path: '/',
      summary: 'Request a transfer between two locations',
      permission: 'transfers.move',
      body: requestSchema,
      responses: { 201: 'The transfer with its lines' },
      errors: {
        409: '`INSUFFICIENT_STOCK`: the source does not have all of it available',
        422: '`UNKNOWN_LOCATION`, `UNKNOWN_SKU`, `SAME_LOCATION`',
      },
    },
    listTransfers: {
      method: 'get',
      path: '/',
      summary: 'Transfers, newest first, with their lines',
      permission: 'transfers.read',
      query: listQuery,
      responses: { 200: '`{transfers}`, each with its lines and location codes `from` and `to`' },
    },
    getTransfer: {
      method: 'get',
      path: '/:transferNumber',
      summary: 'One transfer with its lines',
      permission: 'transfers.read',
      responses: { 200: 'The transfer with its lines' },
      errors: { 404: '`TRANSFER_NOT_FOUND`' },
    },
    shipTransfer: {
      method: 'post',
      path: '/:transferNumber/ship',
      summary: 'The goods left the source',
      permission: 'transfers.move',
      body: emptyBody,
      responses: { 200: 'The transfer' },
      errors: TRANSFER_UPDATE,
    },
    cancelTransfer: {
      method: 'post',
      path: '/:transferNumber/cancel',
      summary: 'Cancel a transfer not yet shipped',
      permission: 'transfers.move',
      body: emptyBody,
      responses: { 200: 'The transfer' },
      errors: TRANSFER_UPDATE,
    },
    receiveTransfer: {
      method: 'post',
      path: '/:transferNumber/receive',
      summary: 'The goods arrived: what was received per SKU',
      permission: 'transfers.move',
      body: receiveSchema,
      responses: { 200: 'The transfer' },
      errors: {
        ...TRANSFER_UPDATE,
        403: '`RECEIPT_NEEDS_MANAGER`: short by more than OMS_COUNT_LOWER_LIMIT units, from a role that may not write stock off (`details.short`, `details.limit`); nothing recorded',
      },
    },
  },
});

export function transferRoutes(db: Db, temporal: Client, config: Config): Router {
  const router = Router();
  const { operations } = transferApi;

  async function loadTransfer(transferNumber: string) {
    const transfer = await db.transfer.findUnique({
      where: { transferNumber },
      include: { lines: { orderBy: { lineNo: 'asc' } } },
    });
    if (!transfer) throw new HttpError(404, 'TRANSFER_NOT_FOUND', `No transfer ${transferNumber}`);
    return transfer;
  }

  route(router, operations.requestTransfer, async (req, res) => {
    const input = parseBody(requestSchema, req.body);
    const [from, to] = [await locationByCode(db, input.from), await locationByCode(db, input.to)];
    if (from.id === to.id) throw new HttpError(422, 'SAME_LOCATION', 'A transfer needs two different locations');
    await requireKnownSkus(
      db,
      input.lines.map((l) => l.sku),
    );
    const transferNumber = await openTransfer(db, temporal, config, {
      fromLocationId: from.id,
      toLocationId: to.id,
      lines: input.lines,
      requestedBy: actorOf(req).name,
      note: input.note,
    });
    if (!transferNumber)
      throw new HttpError(409, 'INSUFFICIENT_STOCK', `${from.code} does not have all of that available`);
    res.status(201).json(await loadTransfer(transferNumber));
  });

  route(router, operations.listTransfers, async (req, res) => {
    const { status, limit } = parseQuery(listQuery, req.query);
    const [transfers, locations] = await Promise.all([
      db.transfer.findMany({
        where: { status },
        orderBy: { id: 'desc' },
        take: limit,
        include: { lines: { orderBy: { lineNo: 'asc' } } },
      }),
      db.location.findMany({ select: { id: true, code: true } }),
    ]);
    const codeOf = new Map(locations.map((l) => [l.id, l.code]));
    res.json({
      transfers: transfers.map((t) => ({ ...t, from: codeOf.get(t.fromLocationId), to: codeOf.get(t.toLocationId) })),
    });
  });

  route(router, operations.getTransfer, async (req, res) => {
    res.json(await loadTransfer(String(req.params.transferNumber)));
  });

  const action = (operation: Operation, run: (n: string, actor: string, body: unknown) => Promise<unknown>) =>
    route(router, operation, async (req, res) => {
      const transferNumber = String(req.params.transferNumber);
      await loadTransfer(transferNumber);
      await runUpdate(`Transfer ${transferNumber}`, () => run(transferNumber, actorOf(req).name, req.body));
      res.json(await loadTransfer(transferNumber));
    });

  action(operations.shipTransfer, (n, actor, body) => {
    parseBody(emptyBody, body);
    return executeSealedUpdate(temporal, transferWorkflowId(n), shipTransfer, { actor });
  });
  action(operations.cancelTransfer, (n, actor, body) => {
    parseBody(emptyBody, body);
    return executeSealedUpdate(temporal, transferWorkflowId(n), cancelUpdate, { actor });
  });
  // A receipt short of what was sent writes the rest off as lost: past a few units, that is a manager's.
  route(router, operations.receiveTransfer, async (req, res) => {
    const transferNumber = String(req.params.transferNumber);
    const transfer = await loadTransfer(transferNumber);
    const { lines } = parseBody(receiveSchema, req.body);
    const short = transferShortfall(transfer.lines, lines);
    const actor = req.actor!;
    if (
      // REQUESTED too: a receipt may come while the shipping is being recorded (workflows/transfer.ts).
      (transfer.status === 'IN_TRANSIT' || transfer.status === 'REQUESTED') &&
      !mayDo(actor.role, 'inventory.write-off') &&
      short > config.countLowerLimit
    ) {
      noteSecurityEvent(res, {
        kind: 'FORBIDDEN',
        keyId: actor.keyId,
        keyPrefix: actor.prefix,
        detail: `transfers.receive: ${transferNumber} short by ${short}, past ${config.countLowerLimit}`,
      });
      throw new HttpError(
        403,
        'RECEIPT_NEEDS_MANAGER',
        `${transferNumber}: ${short} units would be written off as lost on the way; more than ${config.countLowerLimit} needs a manager`,
        { short, limit: config.countLowerLimit },
      );
    }
    await runUpdate(`Transfer ${transferNumber}`, () =>
      executeSealedUpdate(temporal, transferWorkflowId(transferNumber), receiveTransfer, {
        actor: actorOf(req).name,
        lines,
      }),
    );
    res.json(await loadTransfer(transferNumber));
  });

  return router;
}

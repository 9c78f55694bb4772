import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { note, text } from '../../domain/text';
import type { Db } from '../../db/client';
import type { Config } from '../../lib/config';
import { openTransfer } from '../../orders/transfers';
import {
  cancelTransfer as cancelUpdate,
  receiveTransfer,
  shipTransfer,
  transferWorkflowId,
} from '../../workflows/transfer-definitions';
import { actorOf, allow } from '../auth';
import { HttpError } from '../errors';
import { locationByCode, requireKnownSkus } from '../lookups';
import { parseBody } from '../validate';
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
const emptySchema = z.object({}).strict();

export function transferRoutes(db: Db, temporal: Client, config: Config): Router {
  const router = Router();

  async function loadTransfer(transferNumber: string) {
    const transfer = await db.transfer.findUnique({
      where: { transferNumber },
      include: { lines: { orderBy: { lineNo: 'asc' } } },
    });
    if (!transfer) throw new HttpError(404, 'TRANSFER_NOT_FOUND', `No transfer ${transferNumber}`);
    return transfer;
  }

  router.post('/', allow('transfers.move'), async (req, res) => {
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

  router.get('/:transferNumber', allow('transfers.read'), async (req, res) => {
    res.json(await loadTransfer(String(req.params.transferNumber)));
  });

  const action = (path: string, run: (n: string, actor: string, body: unknown) => Promise<unknown>) =>
    router.post(`/:transferNumber/${path}`, allow('transfers.move'), async (req, res) => {
      const transferNumber = String(req.params.transferNumber);
      await loadTransfer(transferNumber);
      await runUpdate(`Transfer ${transferNumber}`, () => run(transferNumber, actorOf(req).name, req.body));
      res.json(await loadTransfer(transferNumber));
    });
  const handle = (n: string) => temporal.workflow.getHandle(transferWorkflowId(n));

  action('ship', (n, actor, body) => {
    parseBody(emptySchema, body);
    return handle(n).executeUpdate(shipTransfer, { args: [{ actor }] });
  });
  action('cancel', (n, actor, body) => {
    parseBody(emptySchema, body);
    return handle(n).executeUpdate(cancelUpdate, { args: [{ actor }] });
  });
  action('receive', (n, actor, body) => {
    const { lines } = parseBody(receiveSchema, body);
    return handle(n).executeUpdate(receiveTransfer, { args: [{ actor, lines }] });
  });

  return router;
}

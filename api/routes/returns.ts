/** After-sales: returns and exchanges (opened under /api/orders/:orderNumber/returns), decided and handled here. */
import { Router, type Request } from 'express';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { multilineText, note, text } from '../../domain/text';
import type { Db } from '../../db/client';
import { orderWorkflowId } from '../../domain/order-number';
import { RETURN_REASONS } from '../../domain/after-sales';
import { checkReturnReceipt, ReturnReceiptError } from '../../orders/returns';
import { decideReturn, receiveReturn, refundReturn } from '../../workflows/definitions';
import { actorOf, allow } from '../auth';
import { HttpError } from '../errors';
import { locationByCode } from '../lookups';
import { parseBody, parseQuery } from '../validate';
import { runUpdate } from '../workflow-updates';

const RETURN_STATUSES = ['REQUESTED', 'APPROVED', 'REJECTED', 'RECEIVED', 'REFUNDED', 'EXCHANGED'] as const;
const listQuery = z.object({
  reason: z.enum(RETURN_REASONS).optional(),
  status: z.enum(RETURN_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const approveSchema = z.object({ note: note(500) }).strict();
const rejectSchema = z.object({ reason: multilineText(500) }).strict();
const receiveSchema = z
  .object({
    location: text(32).optional(),
    lines: z
      .array(
        z
          .object({
            lineNo: z.number().int().min(1),
            condition: z.enum(['RESTOCK', 'WRITE_OFF']),
            serials: z.array(text(64)).max(1000).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict();

export function returnRoutes(db: Db, temporal: Client): Router {
  const router = Router();

  async function loadReturn(returnNumber: string) {
    const request = await db.returnRequest.findUnique({
      where: { returnNumber },
      include: { order: { select: { orderNumber: true } } },
    });
    if (!request) throw new HttpError(404, 'RETURN_NOT_FOUND', `No return ${returnNumber}`);
    return request;
  }
  const param = (req: Request) => String(req.params.returnNumber);
  async function act(req: Request, run: (orderNumber: string) => Promise<unknown>) {
    const request = await loadReturn(param(req));
    await runUpdate(`Return ${request.returnNumber}`, () => run(request.order.orderNumber));
    return loadReturn(request.returnNumber);
  }
  const handleOf = (orderNumber: string) => temporal.workflow.getHandle(orderWorkflowId(orderNumber));

  router.get('/', allow('returns.read'), async (req, res) => {
    const { reason, status, limit } = parseQuery(listQuery, req.query);
    const returns = await db.returnRequest.findMany({
      where: { reasonCode: reason, status },
      orderBy: { id: 'desc' },
      take: limit,
      include: { order: { select: { orderNumber: true } } },
    });
    res.json({ returns });
  });

  router.get('/:returnNumber', allow('returns.read'), async (req, res) => {
    res.json(await loadReturn(param(req)));
  });

  router.post('/:returnNumber/approve', allow('returns.decide'), async (req, res) => {
    const { note } = parseBody(approveSchema, req.body);
    res.json(
      await act(req, (orderNumber) =>
        handleOf(orderNumber).executeUpdate(decideReturn, {
          args: [{ actor: actorOf(req), returnNumber: param(req), approve: true, note }],
        }),
      ),
    );
  });

  router.post('/:returnNumber/reject', allow('returns.decide'), async (req, res) => {
    const { reason } = parseBody(rejectSchema, req.body);
    res.json(
      await act(req, (orderNumber) =>
        handleOf(orderNumber).executeUpdate(decideReturn, {
          args: [{ actor: actorOf(req), returnNumber: param(req), approve: false, note: reason }],
        }),
      ),
    );
  });

  /** Goods are back and inspected: each line restocked or written off; serialised units named. */
  router.post('/:returnNumber/receive', allow('returns.receive'), async (req, res) => {
    const body = parseBody(receiveSchema, req.body);
    const request = await loadReturn(param(req));
    const location = body.location ? await locationByCode(db, body.location) : undefined;
    try {
      await checkReturnReceipt(db, request, body.lines);
    } catch (err) {
      if (err instanceof ReturnReceiptError) throw new HttpError(422, err.code, err.message, err.details);
      throw err;
    }
    res.json(
      await act(req, (orderNumber) =>
        handleOf(orderNumber).executeUpdate(receiveReturn, {
          args: [
            { actor: actorOf(req), returnNumber: request.returnNumber, lines: body.lines, locationId: location?.id },
          ],
        }),
      ),
    );
  });

  router.post('/:returnNumber/refund', allow('returns.refund'), async (req, res) => {
    parseBody(z.object({}).strict(), req.body);
    res.json(
      await act(req, (orderNumber) =>
        handleOf(orderNumber).executeUpdate(refundReturn, {
          args: [{ actor: actorOf(req), returnNumber: param(req) }],
        }),
      ),
    );
  });

  return router;
}

/** After-sales: returns and exchanges (opened under /api/orders/:orderNumber/returns), decided and handled here. */
import { Router, type Request } from 'express';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { multilineText, note, text } from '../../domain/text';
import type { Db } from '../../db/client';
import { orderWorkflowId } from '../../domain/order-number';
import { RETURN_REASONS } from '../../domain/after-sales';
import { checkReturnReceipt, ReturnReceiptError } from '../../orders/returns';
import { executeSealedUpdate, type Sealed, type Unsealed } from '../../lib/temporal';
import { decideReturn, receiveReturn, refundReturn } from '../../workflows/definitions';
import { actorOf } from '../auth';
import { HttpError } from '../errors';
import { locationByCode } from '../lookups';
import { apiGroup, emptyBody, route } from '../operations';
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

const RETURN_UPDATE = {
  404: '`RETURN_NOT_FOUND`',
  409: '`WRONG_STATE`: the return is not waiting for this',
  422: '`INVALID_CONTENT`',
};

export const returnApi = apiGroup({
  mount: '/api/returns',
  tag: 'Returns',
  description:
    "Returns and exchanges, opened under `POST /api/orders/{orderNumber}/returns`, decided and handled here. Each step is a Temporal Update on the order's workflow.",
  operations: {
    listReturns: {
      method: 'get',
      path: '/',
      summary: 'Returns, newest first, with their reason codes',
      permission: 'returns.read',
      query: listQuery,
      responses: { 200: '`{returns}`, each with its order number' },
    },
    getReturn: {
      method: 'get',
      path: '/:returnNumber',
      summary: 'One return',
      permission: 'returns.read',
      responses: { 200: 'The return, with its order number' },
      errors: { 404: '`RETURN_NOT_FOUND`' },
    },
    approveReturn: {
      method: 'post',
      path: '/:returnNumber/approve',
      summary: 'Approve a requested return or exchange',
      permission: 'returns.decide',
      body: approveSchema,
      responses: { 200: 'The return' },
      errors: RETURN_UPDATE,
    },
    rejectReturn: {
      method: 'post',
      path: '/:returnNumber/reject',
      summary: 'Reject a requested return or exchange',
      permission: 'returns.decide',
      body: rejectSchema,
      responses: { 200: 'The return' },
      errors: RETURN_UPDATE,
    },
    receiveReturn: {
      method: 'post',
      path: '/:returnNumber/receive',
      summary: 'The goods are back and inspected',
      description:
        'Each line `RESTOCK` or `WRITE_OFF`; serialised units named by serial. `location`: where they are received (a location code).',
      permission: 'returns.receive',
      body: receiveSchema,
      responses: { 200: 'The return' },
      errors: {
        ...RETURN_UPDATE,
        422: '`INVALID_CONTENT`, `UNKNOWN_LOCATION`, `UNKNOWN_LINE`, `SERIAL_NOT_SOLD_HERE`: a line or serial that is not on the return',
      },
    },
    refundReturn: {
      method: 'post',
      path: '/:returnNumber/refund',
      summary: 'Refund a received return at the prices paid',
      permission: 'returns.refund',
      body: emptyBody,
      responses: { 200: 'The return' },
      errors: RETURN_UPDATE,
    },
  },
});

export function returnRoutes(db: Db, temporal: Client): Router {
  const router = Router();
  const { operations } = returnApi;

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
  const sealedUpdate = <Ret, Arg extends Sealed>(
    orderNumber: string,
    update: UpdateDefinition<Ret, [Arg]>,
    arg: Unsealed<Arg>,
  ) => executeSealedUpdate(temporal, orderWorkflowId(orderNumber), update, arg);

  route(router, operations.listReturns, async (req, res) => {
    const { reason, status, limit } = parseQuery(listQuery, req.query);
    const returns = await db.returnRequest.findMany({
      where: { reasonCode: reason, status },
      orderBy: { id: 'desc' },
      take: limit,
      include: { order: { select: { orderNumber: true } } },
    });
    res.json({ returns });
  });

  route(router, operations.getReturn, async (req, res) => {
    res.json(await loadReturn(param(req)));
  });

  route(router, operations.approveReturn, async (req, res) => {
    const { note } = parseBody(approveSchema, req.body);
    res.json(
      await act(req, (orderNumber) =>
        sealedUpdate(orderNumber, decideReturn, { actor: actorOf(req), returnNumber: param(req), approve: true, note }),
      ),
    );
  });

  route(router, operations.rejectReturn, async (req, res) => {
    const { reason } = parseBody(rejectSchema, req.body);
    res.json(
      await act(req, (orderNumber) =>
        sealedUpdate(orderNumber, decideReturn, {
          actor: actorOf(req),
          returnNumber: param(req),
          approve: false,
          note: reason,
        }),
      ),
    );
  });

  /** Goods are back and inspected: each line restocked or written off; serialised units named. */
  route(router, operations.receiveReturn, async (req, res) => {
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
        sealedUpdate(orderNumber, receiveReturn, {
          actor: actorOf(req),
          returnNumber: request.returnNumber,
          lines: body.lines,
          locationId: location?.id,
        }),
      ),
    );
  });

  route(router, operations.refundReturn, async (req, res) => {
    parseBody(emptyBody, req.body);
    res.json(
      await act(req, (orderNumber) =>
        sealedUpdate(orderNumber, refundReturn, { actor: actorOf(req), returnNumber: param(req) }),
      ),
    );
  });

  return router;
}

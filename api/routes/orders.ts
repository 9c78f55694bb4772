import { Router } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { Db } from '../../db/client';
import type { Config } from '../../lib/config';
import { orderInputSchema } from '../../domain/order-input';
import { orderWorkflowId } from '../../domain/order-number';
import { acceptOrder, UnknownSkusError } from '../../orders/intake';
import { approveOrder, confirmPicked, rejectOrder, type StaffActor } from '../../workflows/definitions';
import { requireRole } from '../auth';
import { HttpError, validationError } from '../errors';

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw validationError(result.error);
  return result.data;
}

const rejectSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
const approveSchema = z.object({ note: z.string().trim().max(500).optional() }).strict();
const pickSchema = z.object({}).strict();

export function orderRoutes(db: Db, temporal: Client, config: Config): Router {
  const router = Router();

  async function loadOrder(orderNumber: string) {
    const order = await db.order.findUnique({
      where: { orderNumber },
      include: {
        lines: { orderBy: { lineNo: 'asc' } },
        allocations: true,
        shipments: { include: { events: { orderBy: { occurredAt: 'asc' } } } },
      },
    });
    if (!order) throw new HttpError(404, 'ORDER_NOT_FOUND', `No order ${orderNumber}`);
    return order;
  }

  /** Runs a staff action as a workflow Update: 409 when the order is not in a state for it. */
  async function staffAction(
    orderNumber: string,
    run: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<unknown>,
  ) {
    await loadOrder(orderNumber);
    try {
      await run(temporal.workflow.getHandle(orderWorkflowId(orderNumber)));
    } catch (err) {
      if (
        err instanceof WorkflowUpdateFailedError &&
        err.cause instanceof ApplicationFailure &&
        err.cause.type === 'WRONG_STATE'
      ) {
        throw new HttpError(409, 'WRONG_STATE', err.cause.message);
      }
      if (err instanceof WorkflowNotFoundError) {
        throw new HttpError(409, 'WRONG_STATE', `Order ${orderNumber} is closed or not started yet`);
      }
      throw err;
    }
    return loadOrder(orderNumber);
  }

  const actor = (req: { actor?: { keyId: number; name: string } }): StaffActor => ({
    keyId: req.actor!.keyId,
    name: req.actor!.name,
  });

  router.post('/', requireRole('clerk', 'manager'), async (req, res) => {
    const input = parse(orderInputSchema, req.body);
    try {
      const result = await acceptOrder(db, temporal, config, input);
      res.status(result.created ? 201 : 200).json(await loadOrder(result.orderNumber));
    } catch (err) {
      if (err instanceof UnknownSkusError) throw new HttpError(422, 'UNKNOWN_SKU', err.message, { skus: err.skus });
      throw err;
    }
  });

  router.get('/:orderNumber', async (req, res) => {
    res.json(await loadOrder(String(req.params.orderNumber)));
  });

  router.post('/:orderNumber/approve', requireRole('manager'), async (req, res) => {
    const { note } = parse(approveSchema, req.body);
    res.json(
      await staffAction(String(req.params.orderNumber), (h) =>
        h.executeUpdate(approveOrder, { args: [{ actor: actor(req), note }] }),
      ),
    );
  });

  router.post('/:orderNumber/reject', requireRole('manager'), async (req, res) => {
    const { reason } = parse(rejectSchema, req.body);
    res.json(
      await staffAction(String(req.params.orderNumber), (h) =>
        h.executeUpdate(rejectOrder, { args: [{ actor: actor(req), reason }] }),
      ),
    );
  });

  router.post('/:orderNumber/pick', requireRole('warehouse', 'manager'), async (req, res) => {
    parse(pickSchema, req.body);
    res.json(
      await staffAction(String(req.params.orderNumber), (h) =>
        h.executeUpdate(confirmPicked, { args: [{ actor: actor(req) }] }),
      ),
    );
  });

  return router;
}

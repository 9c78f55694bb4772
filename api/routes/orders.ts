import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../../db/client';
import type { Config } from '../../lib/config';
import { orderInputSchema } from '../../domain/order-input';
import { orderWorkflowId } from '../../domain/order-number';
import { acceptOrder, UnknownSkusError } from '../../orders/intake';
import { approveOrder, confirmPicked, rejectOrder, type StaffActor } from '../../workflows/definitions';
import { requireRole } from '../auth';
import { HttpError } from '../errors';
import { parseBody } from '../validate';
import { runUpdate } from '../workflow-updates';

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
    await runUpdate(`Order ${orderNumber}`, () => run(temporal.workflow.getHandle(orderWorkflowId(orderNumber))));
    return loadOrder(orderNumber);
  }

  const actor = (req: { actor?: { keyId: number; name: string } }): StaffActor => ({
    keyId: req.actor!.keyId,
    name: req.actor!.name,
  });

  router.post('/', requireRole('clerk', 'manager'), async (req, res) => {
    const input = parseBody(orderInputSchema, req.body);
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
    const { note } = parseBody(approveSchema, req.body);
    res.json(
      await staffAction(String(req.params.orderNumber), (h) =>
        h.executeUpdate(approveOrder, { args: [{ actor: actor(req), note }] }),
      ),
    );
  });

  router.post('/:orderNumber/reject', requireRole('manager'), async (req, res) => {
    const { reason } = parseBody(rejectSchema, req.body);
    res.json(
      await staffAction(String(req.params.orderNumber), (h) =>
        h.executeUpdate(rejectOrder, { args: [{ actor: actor(req), reason }] }),
      ),
    );
  });

  router.post('/:orderNumber/pick', requireRole('warehouse', 'manager'), async (req, res) => {
    parseBody(pickSchema, req.body);
    res.json(
      await staffAction(String(req.params.orderNumber), (h) =>
        h.executeUpdate(confirmPicked, { args: [{ actor: actor(req) }] }),
      ),
    );
  });

  return router;
}

/**
 * Tracking webhooks from carriers: signed, so only the carrier can move an order. The event is
 * signalled to the order's workflow first and recorded after, so a carrier retry after a failure
 * here still reaches the workflow (which ignores repeats).
 */
import { Router } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { text } from '../../domain/text';
import type { Db } from '../../db/client';
import type { Config } from '../../lib/config';
import { TRACKING_STATUSES } from '../../carriers/types';
import { SIGNATURE_HEADER, verifySignature } from '../../carriers/webhook-signature';
import { orderWorkflowId } from '../../domain/order-number';
import { recordTrackingEvent } from '../../orders/tracking';
import { carrierEventSignal, shipmentWorkflowId, type CarrierEvent } from '../../workflows/definitions';
import { HttpError } from '../errors';
import { noteSecurityEvent } from '../security-events';
import { parseBody } from '../validate';

const eventSchema = z.object({
  eventId: text(100),
  trackingNumber: text(100),
  status: z.enum(TRACKING_STATUSES),
  occurredAt: z.iso.datetime({ offset: true }),
  detail: text(100).optional(),
});

const KNOWN_CARRIERS = new Set(['local']);

/** False when the workflow has closed or never existed: a late event changes nothing, it is recorded all the same. */
async function signalIfRunning(temporal: Client, workflowId: string, event: CarrierEvent): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(workflowId).signal(carrierEventSignal, event);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

export function carrierRoutes(db: Db, temporal: Client, config: Config): Router {
  const router = Router();

  router.post('/:carrier/events', async (req, res) => {
    const carrier = req.params.carrier;
    if (!KNOWN_CARRIERS.has(carrier)) throw new HttpError(404, 'UNKNOWN_CARRIER', `No carrier "${carrier}"`);
    const check = verifySignature(config.carrierWebhookSecret, req.header(SIGNATURE_HEADER), req.rawBody ?? '');
    if (!check.ok) {
      noteSecurityEvent(res, { kind: 'BAD_SIGNATURE', detail: `${carrier}: ${check.reason}` });
      throw new HttpError(401, 'BAD_SIGNATURE', `Webhook signature refused: ${check.reason}`);
    }
    const event = parseBody(eventSchema, req.body);

    const shipment = await db.shipment.findUnique({
      where: { trackingNumber: event.trackingNumber },
      include: { order: { select: { orderNumber: true } } },
    });
    if (!shipment || shipment.carrier !== carrier) {
      throw new HttpError(404, 'UNKNOWN_SHIPMENT', `No ${carrier} shipment ${event.trackingNumber}`);
    }
    // The shipment's own workflow follows it; orders of the first version follow their one parcel themselves.
    const signalled = await signalIfRunning(
      temporal,
      shipmentWorkflowId(shipment.order.orderNumber, shipment.seq),
      event,
    );
    if (!signalled) await signalIfRunning(temporal, orderWorkflowId(shipment.order.orderNumber), event);

    const { duplicate } = await recordTrackingEvent(db, shipment.id, carrier, event);
    res.json({ received: true, duplicate });
  });

  return router;
}

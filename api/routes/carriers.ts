/**
 * Tracking webhooks from carriers: signed, so only the carrier can move an order. An event that would move a
 * shipment back, or is dated before its booking or in the future (domain/tracking.ts), is recorded as ignored and
 * never reaches the workflow. Any other is signalled to the order's workflow first and recorded after, so a carrier
 * retry after a failure here still reaches the workflow (which ignores repeats).
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
import { judgeTrackingEvent } from '../../domain/tracking';
import { recordedTrackingEvent, recordTrackingEvent } from '../../orders/tracking';
import { carrierEventSignal, shipmentWorkflowId, type CarrierEvent } from '../../workflows/definitions';
import { HttpError } from '../errors';
import { apiGroup, route } from '../operations';
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
    // Sealed for this workflow: a copy sent to another is dropped there (workflows/sealed.ts).
    await temporal.workflow.getHandle(workflowId).signal(carrierEventSignal, { ...event, seal: { workflowId } });
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

export const carrierApi = apiGroup({
  mount: '/api/carriers',
  tag: 'Carriers',
  description: 'Tracking webhooks. No API key: the carrier signs each request with the shared secret instead.',
  operations: {
    carrierEvent: {
      method: 'post',
      path: '/:carrier/events',
      summary: 'A tracking event from a carrier',
      description:
        "Signalled to the shipment's workflow first and recorded after, so a retry after a failure still reaches the workflow (which ignores repeats). An event that would move the shipment back (or comes after it ended), or whose `occurredAt` is more than 5 minutes before the booking or after the API's clock, is recorded with its reason and answered 200 with `ignored`, so the carrier does not send it again; it changes neither the shipment nor the order.",
      permission: null,
      headers: z.object({
        [SIGNATURE_HEADER]: z.string().meta({
          description:
            '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with `CARRIER_WEBHOOK_SECRET`, over the exact bytes sent; at most 300 s from the API\'s clock',
        }),
      }),
      body: eventSchema,
      responses: {
        200: '`{received: true, duplicate, ignored?}`: `duplicate` when the event was seen before; `ignored` (`BACKWARDS`, `SHIPMENT_ENDED`, `BEFORE_BOOKING`, `IN_FUTURE`) when it was recorded but not applied',
      },
      errors: {
        401: '`BAD_SIGNATURE`: missing, malformed, wrong or too old',
        404: '`UNKNOWN_CARRIER`, `UNKNOWN_SHIPMENT`',
        503: '`UNAVAILABLE`: send it again',
      },
    },
  },
});

export function carrierRoutes(db: Db, temporal: Client, config: Config): Router {
  const router = Router();

  route(router, carrierApi.operations.carrierEvent, async (req, res) => {
    const carrier = String(req.params.carrier);
    if (!KNOWN_CARRIERS.has(carrier)) throw new HttpError(404, 'UNKNOWN_CARRIER', `No carrier "${carrier}"`);
    // No secret, no webhooks: an empty HMAC key would let anyone sign (api/main.ts refuses to start without one).
    const secret = config.carrierWebhookSecret;
    const check = secret
      ? verifySignature(secret, req.header(SIGNATURE_HEADER), req.rawBody ?? '')
      : { ok: false as const, reason: 'no webhook secret is configured' };
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
    // A repeat was signalled before it was first recorded: it is answered as it was then.
    const seen = await recordedTrackingEvent(db, carrier, event.eventId);
    if (seen) {
      res.json({ received: true, duplicate: true, ...(seen.ignoredReason ? { ignored: seen.ignoredReason } : {}) });
      return;
    }
    const verdict = judgeTrackingEvent(
      { status: event.status, occurredAt: new Date(event.occurredAt) },
      shipment,
      new Date(),
    );
    if (!verdict.apply) {
      const { duplicate } = await recordTrackingEvent(db, shipment, carrier, event, verdict.reason);
      res.json({ received: true, duplicate, ignored: verdict.reason });
      return;
    }
    // The shipment's own workflow follows it; orders of the first version follow their one parcel themselves.
    const signalled = await signalIfRunning(
      temporal,
      shipmentWorkflowId(shipment.order.orderNumber, shipment.seq),
      event,
    );
    if (!signalled) await signalIfRunning(temporal, orderWorkflowId(shipment.order.orderNumber), event);

    const { duplicate } = await recordTrackingEvent(db, shipment, carrier, event);
    res.json({ received: true, duplicate });
  });

  return router;
}

/**
 * The local carrier service: a stand-in for a real carrier's API, run as its own HTTP process.
 * It books shipments (idempotent per Idempotency-Key), hands out tracking numbers and labels,
 * and later posts signed tracking events to the shop's webhook, retrying until the shop accepts them.
 * State is kept in a JSON file so a restart neither forgets bookings nor loses pending events.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { signPayload, SIGNATURE_HEADER } from '../carriers/webhook-signature';
import type { TrackingStatus } from '../carriers/types';
import { describeError } from '../lib/redact';

export interface LocalCarrierOptions {
  stateFile: string;
  webhookUrl: string;
  webhookSecret: string;
  /** Time between tracking events: in transit, out for delivery, delivered. */
  stepMs: number;
  /**
   * Enables the test controls (scenarios, faults, the bookings list): each request must send it in
   * `X-Carrier-Test-Token`. Unset, they answer 404, as on a real carrier.
   */
  testToken?: string;
}

export const TEST_TOKEN_HEADER = 'x-carrier-test-token';

export interface PendingEvent {
  eventId: string;
  status: TrackingStatus;
  detail?: string;
  dueAt: number;
  sent: boolean;
}

/** One booking, as the carrier keeps it (and saves it in its state file). */
export interface CarrierShipment {
  idempotencyKey: string;
  trackingNumber: string;
  reference: string;
  service: string;
  bookedAt: string;
  /** Booking requests received under this key: the first booked, the rest (client retries) got the same answer. */
  requests?: number;
  cancelled?: boolean;
  events: PendingEvent[];
}

/**
 * A test scenario for one order reference's next parcel: EXCEPTION goes in transit, then fails with
 * `detail`; STALL goes in transit and then nothing more is heard (a parcel stuck in the network).
 */
interface Scenario {
  reference: string;
  outcome: 'EXCEPTION' | 'STALL';
  detail: string;
}

/**
 * A test fault on booking requests: `error` answers 500 and books nothing; `timeout` books and then never answers,
 * as a carrier whose reply is lost would (the client times out and must retry with the same key).
 */
type BookingFault = 'none' | 'error' | 'timeout';
const BOOKING_FAULTS: BookingFault[] = ['none', 'error', 'timeout'];
const isBookingFault = (value: unknown): value is BookingFault => BOOKING_FAULTS.some((fault) => fault === value);

/** A request's JSON fields, each to be checked before use (express.json() leaves no body when none was sent). */
const fieldsOf = (req: express.Request): Record<string, unknown> => (req.body ?? {}) as Record<string, unknown>;

const DELIVERY_STEPS: TrackingStatus[] = ['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED'];
const WEBHOOK_TIMEOUT_MS = 5_000;
const TICK_MS = 250;

export function startLocalCarrier(options: LocalCarrierOptions, port: number, host = '127.0.0.1') {
  const shipments = new Map<string, CarrierShipment>(); // by idempotency key
  if (fs.existsSync(options.stateFile)) {
    for (const s of JSON.parse(fs.readFileSync(options.stateFile, 'utf8')) as CarrierShipment[]) {
      shipments.set(s.idempotencyKey, s);
    }
  }
  const save = () => {
    fs.mkdirSync(path.dirname(options.stateFile), { recursive: true });
    const tmp = `${options.stateFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify([...shipments.values()]));
    fs.renameSync(tmp, options.stateFile);
  };
  const byTracking = (tn: string) => [...shipments.values()].find((s) => s.trackingNumber === tn);
  // Scenarios are for tests and demos only; kept in memory (a restart forgets the ones not yet used).
  const scenarios = new Map<string, Scenario>();
  let bookingFault: BookingFault = 'none';
  /** Booking requests refused with 500 by the `error` fault. */
  let refused = 0;

  const app = express();
  app.use(express.json());

  // Test controls only for whoever holds the test token: else anyone on the machine could fail or stall parcels.
  const testControl: express.RequestHandler = (req, res, next) => {
    if (!options.testToken) {
      res.status(404).json({ error: 'test controls are off (no LOCAL_CARRIER_TEST_TOKEN)' });
      return;
    }
    const sent = Buffer.from(req.header(TEST_TOKEN_HEADER) ?? '');
    const expected = Buffer.from(options.testToken);
    if (sent.length !== expected.length || !crypto.timingSafeEqual(sent, expected)) {
      res.status(403).json({ error: `a valid ${TEST_TOKEN_HEADER} header is required` });
      return;
    }
    next();
  };

  // Stand-in only: makes the next parcel booked for `reference` end in an exception, or stall in transit.
  app.post('/v1/scenarios', testControl, (req, res) => {
    const { reference, outcome, detail } = fieldsOf(req);
    if (typeof reference !== 'string' || (outcome !== 'EXCEPTION' && outcome !== 'STALL')) {
      res.status(400).json({ error: 'reference and outcome "EXCEPTION" or "STALL" are required' });
      return;
    }
    scenarios.set(reference, { reference, outcome, detail: typeof detail === 'string' ? detail : 'LOST' });
    res.status(201).json(scenarios.get(reference));
  });

  // Stand-in only: makes booking requests fail (500) or hang until the client gives up, until set back to `none`.
  app.post('/v1/faults', testControl, (req, res) => {
    const mode = fieldsOf(req).bookings;
    if (!isBookingFault(mode)) {
      res.status(400).json({ error: `bookings must be one of ${BOOKING_FAULTS.join(', ')}` });
      return;
    }
    bookingFault = mode;
    res.json({ bookings: bookingFault, refused });
  });
  app.get('/v1/faults', testControl, (_req, res) => void res.json({ bookings: bookingFault, refused }));

  // Every booking made for an order reference, with how many requests each took (tests count bookings per order).
  app.get('/v1/shipments', testControl, (req, res) => {
    const reference = req.query.reference;
    if (typeof reference !== 'string') {
      res.status(400).json({ error: 'reference is required' });
      return;
    }
    res.json({ shipments: [...shipments.values()].filter((s) => s.reference === reference) });
  });

  app.delete('/v1/shipments/:trackingNumber', (req, res) => {
    const shipment = byTracking(req.params.trackingNumber);
    if (!shipment) {
      res.status(404).json({ error: 'unknown tracking number' });
      return;
    }
    shipment.cancelled = true;
    save();
    res.json({ trackingNumber: shipment.trackingNumber, cancelled: true });
  });

  app.post('/v1/shipments', (req, res) => {
    const key = req.header('idempotency-key');
    const { reference, service, recipient } = fieldsOf(req);
    const address =
      typeof recipient === 'object' && recipient !== null ? (recipient as { address?: unknown }).address : undefined;
    if (!key || typeof reference !== 'string' || !address) {
      res.status(400).json({ error: 'Idempotency-Key header, reference and recipient.address are required' });
      return;
    }
    if (bookingFault === 'error') {
      refused++;
      res.status(500).json({ error: 'simulated carrier failure' });
      return;
    }
    let shipment = shipments.get(key);
    if (!shipment) {
      const now = Date.now();
      const scenario = scenarios.get(reference);
      scenarios.delete(reference);
      const steps: { status: TrackingStatus; detail?: string }[] =
        scenario?.outcome === 'EXCEPTION'
          ? [{ status: 'IN_TRANSIT' }, { status: 'EXCEPTION', detail: scenario.detail }]
          : scenario?.outcome === 'STALL'
            ? [{ status: 'IN_TRANSIT' }]
            : DELIVERY_STEPS.map((status) => ({ status }));
      shipment = {
        idempotencyKey: key,
        trackingNumber: `LC${crypto.randomInt(1e9, 1e10)}CN`,
        reference,
        service: typeof service === 'string' ? service : 'standard',
        bookedAt: new Date(now).toISOString(),
        events: steps.map((step, i) => ({
          eventId: crypto.randomUUID(),
          ...step,
          dueAt: now + (i + 1) * options.stepMs,
          sent: false,
        })),
      };
      shipments.set(key, shipment);
    }
    shipment.requests = (shipment.requests ?? 0) + 1;
    save();
    if (bookingFault === 'timeout') return; // booked, but the answer never comes
    res.status(201).json({
      trackingNumber: shipment.trackingNumber,
      labelUrl: `http://${host}:${port}/v1/labels/${shipment.trackingNumber}`,
      service: shipment.service,
    });
  });

  app.get('/v1/shipments/:trackingNumber', (req, res) => {
    const shipment = byTracking(req.params.trackingNumber);
    if (!shipment) res.status(404).json({ error: 'unknown tracking number' });
    else res.json(shipment);
  });

  app.get('/v1/labels/:trackingNumber', (req, res) => {
    const shipment = byTracking(req.params.trackingNumber);
    if (!shipment) res.status(404).end();
    else res.type('text/plain').send(`LOCAL CARRIER\n${shipment.trackingNumber}\nRef ${shipment.reference}\n`);
  });

  // Deliver due events in order, one shipment at a time; a failed post is retried on a later tick.
  let delivering = false;
  const deliverDue = async () => {
    if (delivering) return;
    delivering = true;
    try {
      for (const shipment of shipments.values()) {
        const next = shipment.events.find((e) => !e.sent);
        if (shipment.cancelled || !next || next.dueAt > Date.now()) continue;
        const body = JSON.stringify({
          eventId: next.eventId,
          trackingNumber: shipment.trackingNumber,
          status: next.status,
          occurredAt: new Date(next.dueAt).toISOString(),
          ...(next.detail ? { detail: next.detail } : {}),
        });
        try {
          const response = await fetch(options.webhookUrl, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              [SIGNATURE_HEADER]: signPayload(options.webhookSecret, body),
            },
            body,
            signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
          });
          if (response.ok) {
            next.sent = true;
            save();
          }
        } catch {
          // the shop is unreachable: try again on the next tick
        }
      }
    } finally {
      delivering = false;
    }
  };
  const timer = setInterval(() => {
    // Anything else that goes wrong in a tick is logged; the next tick tries again.
    void deliverDue().catch((err: unknown) => console.error(`tracking events not delivered: ${describeError(err)}`));
  }, TICK_MS);

  const server = app.listen(port, host);
  return {
    server,
    close: () => {
      clearInterval(timer);
      server.close();
      server.closeAllConnections(); // bookings held open by the `timeout` fault, too
    },
  };
}

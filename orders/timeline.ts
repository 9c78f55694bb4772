/**
 * An order's timeline for staff: the workflow's status changes and staff actions (audit rows), carrier
 * tracking events, customer emails sent and warnings opened or cleared, in time order.
 */
import type { Db } from '../db/client';

export interface TimelineEntry {
  at: Date;
  kind: 'status' | 'staff' | 'tracking' | 'email' | 'warning';
  actor?: string;
  action?: string;
  reason?: string | null;
  status?: string;
  details?: unknown;
}

export async function orderTimeline(
  db: Db,
  order: {
    orderNumber: string;
    shipments: {
      seq: number;
      trackingNumber: string;
      /** Events recorded with an `ignoredReason` (domain/tracking.ts) moved nothing and are left out. */
      events: { status: string; occurredAt: Date; eventId: string; ignoredReason?: string | null }[];
    }[];
  },
): Promise<TimelineEntry[]> {
  const { orderNumber } = order;
  const [audits, emails, warnings] = await Promise.all([
    db.auditEvent.findMany({ where: { orderNumber }, orderBy: { id: 'asc' } }),
    db.emailLog.findMany({ where: { orderNumber, status: 'SENT' }, orderBy: { id: 'asc' } }),
    db.warning.findMany({ where: { orderNumber }, orderBy: { id: 'asc' } }),
  ]);
  const entries: TimelineEntry[] = [];
  for (const a of audits) {
    if (a.actor === 'workflow' && a.action.startsWith('status ')) {
      entries.push({ at: a.at, kind: 'status', status: a.action.slice('status '.length) });
    } else {
      entries.push({ at: a.at, kind: 'staff', actor: a.actor, action: a.action, reason: a.reason, details: a.details });
    }
  }
  for (const s of order.shipments) {
    for (const e of s.events) {
      if (e.ignoredReason) continue;
      entries.push({
        at: e.occurredAt,
        kind: 'tracking',
        status: e.status,
        details: { shipment: s.seq, trackingNumber: s.trackingNumber },
      });
    }
  }
  for (const m of emails)
    entries.push({ at: m.sentAt ?? m.createdAt, kind: 'email', action: m.kind, details: { subject: m.subject } });
  for (const w of warnings) {
    entries.push({
      at: w.openedAt,
      kind: 'warning',
      action: `${w.kind} opened`,
      status: w.stage ?? undefined,
      reason: w.message,
    });
    if (w.clearedAt)
      entries.push({ at: w.clearedAt, kind: 'warning', action: `${w.kind} cleared`, status: w.stage ?? undefined });
  }
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
}

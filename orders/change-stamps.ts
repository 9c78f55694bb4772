/**
 * What the console's live feed watches: a stamp per topic that changes whenever something staff would see changes.
 * Each is built from the highest id of append-only tables (an index lookup, whatever their size) and, for
 * warnings, how many are open (clearing one adds no row).
 */
import type { Db } from '../db/client';

export const LIVE_TOPICS = ['orders', 'stock', 'warnings'] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];
export type ChangeStamps = Record<LiveTopic, string>;

export async function changeStamps(db: Db): Promise<ChangeStamps> {
  const top = { _max: { id: true } } as const;
  const [orders, audit, tracking, returns, refunds, movements, warnings, openWarnings] = await Promise.all([
    db.order.aggregate(top),
    db.auditEvent.aggregate(top),
    db.trackingEvent.aggregate(top),
    db.returnRequest.aggregate(top),
    db.refund.aggregate(top),
    db.stockMovement.aggregate(top),
    db.warning.aggregate(top),
    db.warning.count({ where: { openKey: { not: null } } }),
  ]);
  const id = (row: { _max: { id: number | null } }) => row._max.id ?? 0;
  return {
    // Status changes and staff actions are audit rows; carriers' news are tracking events.
    orders: [orders, audit, tracking, returns, refunds].map(id).join('.'),
    stock: String(id(movements)),
    warnings: `${id(warnings)}.${openWarnings}`,
  };
}

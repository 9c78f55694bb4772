/**
 * What the Temporal Web UI shows managers of a run and of its timers (Temporal's user metadata), in business terms:
 * order number, channel, total; "picking SLA 1d". No personal data: histories are read by whoever runs Temporal.
 */
import type { WaitingStage } from './order-status';

const STAGE_WORDS: Record<WaitingStage, string> = {
  REVIEW: 'review',
  BACKORDER: 'backorder',
  PICKING: 'picking',
  PICKUP: 'pickup',
  DELIVERY: 'delivery',
  RETURN: 'return decision',
};

const UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** A duration as the configuration writes it: `1d`, `4h`, `1d 2h`, `90s` → `1m 30s`; under a second, `250ms`. */
export function durationLabel(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000) * 1000;
  for (const [unit, size] of UNITS) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return parts.join(' ');
}

/** `¥1,299.00` from fen. */
function amount(minor: number, currency: string): string {
  const text = (minor / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return currency === 'CNY' ? `¥${text}` : `${text} ${currency}`;
}

export function orderRunSummary(order: {
  orderNumber: string;
  channel: string;
  totalMinor: number;
  currency: string;
}): string {
  return `Order ${order.orderNumber} · ${order.channel} · received · ${amount(order.totalMinor, order.currency)}`;
}

export function transferRunSummary(transferNumber: string, lines: { quantity: number }[]): string {
  const units = lines.reduce((sum, line) => sum + line.quantity, 0);
  return `Transfer ${transferNumber} · ${lines.length} SKU(s), ${units} unit(s)`;
}

/** Activities where a manager reading the history wants the why: emails, bookings, warnings, refunds. */
export const emailActivitySummary = (kind: string) => `email the customer: ${kind.replace(/_/g, ' ')}`;
export const bookingActivitySummary = (seq: number, purpose: string) =>
  `book the carrier for shipment ${seq} (${purpose.toLowerCase()})`;
export const warningActivitySummary = (kind: 'DELAY' | 'EXCEPTION', stage: WaitingStage) =>
  kind === 'DELAY' ? `warn managers: ${STAGE_WORDS[stage]} is late` : `warn managers: ${STAGE_WORDS[stage]} exception`;
export const refundActivitySummary = (what: string) => `refund ${what}`;

/** The timer of a waiting stage: "picking SLA 1d". */
export const stageTimerSummary = (stage: WaitingStage, ms: number) => `${STAGE_WORDS[stage]} SLA ${durationLabel(ms)}`;

/** The after-sales window's timer: "after-sales window 7d" (what is left of it, when it is resumed). */
export const afterSalesTimerSummary = (ms: number) => `after-sales window ${durationLabel(ms)}`;

/** A repair ticket's run, as the Temporal Web UI lists it: "Repair RP-… · IMEI 35… · in warranty". */
export function repairRunSummary(ticketNumber: string, serial: string, inWarranty: boolean): string {
  return `Repair ${ticketNumber} · IMEI ${serial} · ${inWarranty ? 'in warranty' : 'out of warranty'}`;
}

/** The timer of a repair stage: "repair DIAGNOSIS SLA 1d". */
export const repairTimerSummary = (stage: string, ms: number) =>
  `repair ${stage.toLowerCase().replace(/_/g, ' ')} SLA ${durationLabel(ms)}`;

/** What the Temporal Web UI shows managers of a run and its timers (domain/run-summaries.ts). */
import {
  afterSalesTimerSummary,
  durationLabel,
  orderRunSummary,
  bookingActivitySummary,
  emailActivitySummary,
  refundActivitySummary,
  stageTimerSummary,
  transferRunSummary,
  warningActivitySummary,
} from '../../domain/run-summaries';

test('durations read as the configuration writes them, to two units at most', () => {
  expect(durationLabel(86_400_000)).toBe('1d');
  expect(durationLabel(4 * 3_600_000)).toBe('4h');
  expect(durationLabel(90_000)).toBe('1m 30s');
  expect(durationLabel(86_400_000 + 2 * 3_600_000 + 5 * 60_000)).toBe('1d 2h');
  expect(durationLabel(5000)).toBe('5s');
  expect(durationLabel(250)).toBe('250ms');
});

test('an order run names its number, channel and total, and nothing about the customer', () => {
  expect(
    orderRunSummary({ orderNumber: 'SO-20261201-000001', channel: 'web', totalMinor: 129_900, currency: 'CNY' }),
  ).toBe('Order SO-20261201-000001 · web · received · ¥1,299.00');
  expect(transferRunSummary('TR-20261201-0001', [{ quantity: 3 }, { quantity: 2 }])).toBe(
    'Transfer TR-20261201-0001 · 2 SKU(s), 5 unit(s)',
  );
});

test("timers say which stage's SLA or window they wait for", () => {
  expect(stageTimerSummary('PICKING', 86_400_000)).toBe('picking SLA 1d');
  expect(stageTimerSummary('RETURN', 3 * 86_400_000)).toBe('return decision SLA 3d');
  expect(afterSalesTimerSummary(7 * 86_400_000)).toBe('after-sales window 7d');
});

test('activities say what they do for the order', () => {
  expect(emailActivitySummary('refund_issued')).toBe('email the customer: refund issued');
  expect(bookingActivitySummary(2, 'RESHIP')).toBe('book the carrier for shipment 2 (reship)');
  expect(warningActivitySummary('DELAY', 'PICKING')).toBe('warn managers: picking is late');
  expect(warningActivitySummary('EXCEPTION', 'DELIVERY')).toBe('warn managers: delivery exception');
  expect(refundActivitySummary('return SO-20261201-000001-R1')).toBe('refund return SO-20261201-000001-R1');
});

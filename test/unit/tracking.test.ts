import { judgeTrackingEvent, TRACKING_CLOCK_SKEW_MS } from '../../domain/tracking';

describe('which tracking events move a shipment', () => {
  const bookedAt = new Date('2026-12-01T10:00:00Z');
  const now = new Date('2026-12-01T12:00:00Z');
  const at = (iso: string) => new Date(iso);
  const judge = (status: string, current: string, occurredAt = at('2026-12-01T11:00:00Z')) =>
    judgeTrackingEvent({ status, occurredAt }, { status: current, bookedAt }, now);

  test('forward steps, repeats of the same step and an exception before the end are applied', () => {
    expect(judge('IN_TRANSIT', 'BOOKED')).toEqual({ apply: true });
    expect(judge('DELIVERED', 'BOOKED')).toEqual({ apply: true });
    expect(judge('OUT_FOR_DELIVERY', 'IN_TRANSIT')).toEqual({ apply: true });
    expect(judge('DELIVERED', 'OUT_FOR_DELIVERY')).toEqual({ apply: true });
    expect(judge('IN_TRANSIT', 'IN_TRANSIT')).toEqual({ apply: true });
    for (const current of ['BOOKED', 'IN_TRANSIT', 'OUT_FOR_DELIVERY'])
      expect(judge('EXCEPTION', current)).toEqual({ apply: true });
  });

  test('a step back is ignored', () => {
    expect(judge('IN_TRANSIT', 'OUT_FOR_DELIVERY')).toEqual({ apply: false, reason: 'BACKWARDS' });
  });

  test('nothing moves a shipment that has ended', () => {
    for (const current of ['DELIVERED', 'EXCEPTION', 'CANCELLED', 'RETURNED'])
      for (const status of ['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED', 'EXCEPTION'])
        expect(judge(status, current)).toEqual({ apply: false, reason: 'SHIPMENT_ENDED' });
  });

  test('an event dated before the booking, or in the future, is ignored; small clock skew either way is not', () => {
    const skew = TRACKING_CLOCK_SKEW_MS;
    expect(judge('DELIVERED', 'BOOKED', at('2020-01-01T00:00:00Z'))).toEqual({
      apply: false,
      reason: 'BEFORE_BOOKING',
    });
    expect(judge('DELIVERED', 'BOOKED', at('9999-12-31T23:59:59Z'))).toEqual({ apply: false, reason: 'IN_FUTURE' });
    expect(judge('IN_TRANSIT', 'BOOKED', new Date(bookedAt.getTime() - skew))).toEqual({ apply: true });
    expect(judge('IN_TRANSIT', 'BOOKED', new Date(bookedAt.getTime() - skew - 1))).toMatchObject({ apply: false });
    expect(judge('IN_TRANSIT', 'BOOKED', new Date(now.getTime() + skew))).toEqual({ apply: true });
    expect(judge('IN_TRANSIT', 'BOOKED', new Date(now.getTime() + skew + 1))).toMatchObject({ apply: false });
  });

  test('a bad date is ignored even on a shipment that has ended', () => {
    expect(judge('DELIVERED', 'DELIVERED', at('9999-01-01T00:00:00Z'))).toEqual({ apply: false, reason: 'IN_FUTURE' });
  });
});

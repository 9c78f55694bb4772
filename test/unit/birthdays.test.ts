/** Birthday coupons' dates (domain/birthdays.ts): who is in their birthday week, and until when the coupon runs. */
import {
  birthdayCouponExpiry,
  birthdayIssueKey,
  birthdayThisWeek,
  startOfDayIn,
  todayIn,
} from '../../domain/birthdays';

describe('birthday week', () => {
  test('a birthday today or in the next six days is this week; a week on is not', () => {
    expect(birthdayThisWeek('1990-12-07', '2026-12-07')).toBe('2026-12-07');
    expect(birthdayThisWeek('1990-12-13', '2026-12-07')).toBe('2026-12-13');
    expect(birthdayThisWeek('1990-12-14', '2026-12-07')).toBeNull();
    expect(birthdayThisWeek('1990-12-06', '2026-12-07')).toBeNull();
  });

  test('across the new year the birthday is next year’s, and the key says so', () => {
    expect(birthdayThisWeek('1992-01-02', '2026-12-28')).toBe('2027-01-02');
    expect(birthdayIssueKey(7, '2027-01-02')).toBe('birthday:7:2027');
  });

  test('29 February falls on 28 February outside leap years', () => {
    expect(birthdayThisWeek('1992-02-29', '2027-02-25')).toBe('2027-02-28');
    expect(birthdayThisWeek('1992-02-29', '2028-02-25')).toBe('2028-02-29');
  });

  test('no birthday, or a malformed one, is never due', () => {
    expect(birthdayThisWeek(null, '2026-12-07')).toBeNull();
    expect(birthdayThisWeek('12-07', '2026-12-07')).toBeNull();
  });

  test('the coupon runs until the end of the seventh day after the birthday, in the shop’s time zone', () => {
    expect(birthdayCouponExpiry('2026-12-10')).toBe('2026-12-18');
    expect(startOfDayIn('2026-12-18', 'Asia/Shanghai').toISOString()).toBe('2026-12-17T16:00:00.000Z');
    expect(startOfDayIn('2026-07-01', 'Europe/Berlin').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(todayIn('Asia/Shanghai', new Date('2026-12-07T17:00:00Z'))).toBe('2026-12-08');
  });
});

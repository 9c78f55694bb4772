/** The repair rules (domain/repairs.ts): which step may follow which, what each needs, the warranty, the SLA stages. */
import {
  isRepairClosed,
  nextRepairStatuses,
  REPAIR_STATUSES,
  repairStageOf,
  repairStepRefusal,
  warrantyOf,
} from '../../domain/repairs';

const YEAR = 365 * 86_400_000;
const inWarranty = { inWarranty: true };
const outOfWarranty = { inWarranty: false };

describe('warrantyOf', () => {
  const soldAt = new Date('2026-01-10T08:00:00Z');
  test('in warranty up to the last moment of the period from the sale, out after it', () => {
    expect(warrantyOf(soldAt, new Date(soldAt.getTime() + YEAR), YEAR)).toEqual({
      inWarranty: true,
      soldAt,
      endsAt: new Date('2027-01-10T08:00:00Z'),
    });
    expect(warrantyOf(soldAt, new Date(soldAt.getTime() + YEAR + 1), YEAR).inWarranty).toBe(false);
  });
  test('a unit never sold has no warranty', () => {
    expect(warrantyOf(null, new Date(), YEAR)).toEqual({ inWarranty: false, soldAt: null, endsAt: null });
  });
});

describe('repairStepRefusal', () => {
  test('steps follow the ticket: diagnosis first, handback last, nothing after that', () => {
    const early = repairStepRefusal({ status: 'RECEIVED', ...inWarranty }, { to: 'AT_VENDOR' });
    expect(early?.code).toBe('WRONG_STATE');
    expect(early?.message).toContain('DIAGNOSED');
    expect(repairStepRefusal({ status: 'AT_VENDOR', ...inWarranty }, { to: 'REPAIRED' })).toBeUndefined();
    expect(repairStepRefusal({ status: 'REPAIRED', ...inWarranty }, { to: 'COLLECTED' })).toBeUndefined();
    const late = repairStepRefusal({ status: 'COLLECTED', ...inWarranty }, { to: 'SHIPPED_BACK' });
    expect(late?.code).toBe('WRONG_STATE');
    expect(late?.message).toContain('closed');
  });

  test('a diagnosis says what is wrong; it is free in warranty and may be charged out of it', () => {
    expect(repairStepRefusal({ status: 'RECEIVED', ...inWarranty }, { to: 'DIAGNOSED' })?.code).toBe('INVALID_CONTENT');
    const charged = { to: 'DIAGNOSED' as const, diagnosis: 'battery', chargeMinor: 9_900 };
    expect(repairStepRefusal({ status: 'RECEIVED', ...inWarranty }, charged)?.message).toMatch(/free of charge/);
    expect(repairStepRefusal({ status: 'RECEIVED', ...outOfWarranty }, charged)).toBeUndefined();
    expect(
      repairStepRefusal({ status: 'IN_STORE_REPAIR', ...outOfWarranty }, { to: 'REPAIRED', chargeMinor: 1 })?.code,
    ).toBe('INVALID_CONTENT');
  });

  test('only a unit in warranty is replaced, and by a named unit', () => {
    const swap = { to: 'REPLACED' as const, replacementSerial: '356938035643809' };
    expect(repairStepRefusal({ status: 'DIAGNOSED', ...inWarranty }, swap)).toBeUndefined();
    expect(repairStepRefusal({ status: 'DIAGNOSED', ...outOfWarranty }, swap)?.message).toMatch(
      /only a unit in warranty/,
    );
    expect(repairStepRefusal({ status: 'DIAGNOSED', ...inWarranty }, { to: 'REPLACED' })?.code).toBe('INVALID_CONTENT');
    expect(repairStepRefusal({ status: 'AT_VENDOR', ...inWarranty }, { ...swap, to: 'REPAIRED' })?.code).toBe(
      'INVALID_CONTENT',
    );
  });

  test('shipping back needs the address, and only it carries one', () => {
    const shipTo = {
      name: 'Li',
      phone: '13800138000',
      line1: '1 Road',
      city: 'Shanghai',
      postalCode: '200001',
      country: 'CN',
    };
    expect(repairStepRefusal({ status: 'REFUSED', ...outOfWarranty }, { to: 'SHIPPED_BACK' })?.code).toBe(
      'INVALID_CONTENT',
    );
    expect(repairStepRefusal({ status: 'REFUSED', ...outOfWarranty }, { to: 'SHIPPED_BACK', shipTo })).toBeUndefined();
    expect(repairStepRefusal({ status: 'REFUSED', ...outOfWarranty }, { to: 'COLLECTED', shipTo })?.code).toBe(
      'INVALID_CONTENT',
    );
  });
});

test('every open status waits in a stage with its SLA; the two handbacks close the ticket', () => {
  for (const status of REPAIR_STATUSES) {
    expect(isRepairClosed(status)).toBe(repairStageOf(status) === undefined);
    expect(isRepairClosed(status)).toBe(nextRepairStatuses(status).length === 0);
  }
  expect(REPAIR_STATUSES.filter(isRepairClosed)).toEqual(['COLLECTED', 'SHIPPED_BACK']);
  expect(repairStageOf('AT_VENDOR')).toBe('VENDOR');
});

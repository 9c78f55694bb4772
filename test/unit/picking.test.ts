import { checkPickScans, serialsBySku } from '../../domain/picking';

const shipment = [
  { sku: 'TEE-WHI-M', barcode: '111', quantity: 2, serialised: false },
  { sku: 'PHONE-X1-128', barcode: '222', quantity: 1, serialised: true },
];
const codes = (scans: { barcode: string; serial?: string }[]) => checkPickScans(shipment, scans).map((p) => p.code);

describe('picking by scan', () => {
  test('exactly the shipment, one scan per unit and a serial per phone, passes', () => {
    const scans = [{ barcode: '111' }, { barcode: '111' }, { barcode: '222', serial: '356938035643809' }];
    expect(checkPickScans(shipment, scans)).toEqual([]);
    expect(serialsBySku(shipment, scans)).toEqual({ 'PHONE-X1-128': ['356938035643809'] });
  });

  test('goods not on the shipment are named', () => {
    const problems = checkPickScans(shipment, [
      { barcode: '111' },
      { barcode: '111' },
      { barcode: '222', serial: 'A' },
      { barcode: '999' },
      { barcode: '999' },
    ]);
    expect(problems).toEqual([expect.objectContaining({ code: 'NOT_ON_SHIPMENT', barcode: '999' })]);
    expect(problems[0].message).toContain('999');
  });

  test('missing and extra units are named with the SKU and the counts', () => {
    const missing = checkPickScans(shipment, [{ barcode: '111' }, { barcode: '222', serial: 'A' }]);
    expect(missing).toEqual([expect.objectContaining({ code: 'MISSING', sku: 'TEE-WHI-M' })]);
    expect(missing[0].message).toContain('1 of 2');
    expect(
      codes([{ barcode: '111' }, { barcode: '111' }, { barcode: '111' }, { barcode: '222', serial: 'A' }]),
    ).toEqual(['EXTRA']);
  });

  test('serials: required for serialised goods, refused for others, never twice', () => {
    expect(codes([{ barcode: '111' }, { barcode: '111' }, { barcode: '222' }])).toEqual(['SERIAL_REQUIRED']);
    expect(codes([{ barcode: '111', serial: 'X' }, { barcode: '111' }, { barcode: '222', serial: 'A' }])).toEqual([
      'UNEXPECTED_SERIAL',
    ]);
    const twoPhones = [{ sku: 'P', barcode: '222', quantity: 2, serialised: true }];
    expect(
      checkPickScans(twoPhones, [
        { barcode: '222', serial: 'A' },
        { barcode: '222', serial: 'A' },
      ]).map((p) => p.code),
    ).toEqual(['SERIAL_REPEATED']);
  });

  test('nothing scanned: every line is missing', () => {
    expect(codes([])).toEqual(['MISSING', 'MISSING']);
  });
});

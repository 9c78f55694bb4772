/**
 * Picking by scan: staff scan every unit of a shipment (and its serial number for serialised goods).
 * Pure, so the workflow's Update validator refuses wrong goods before anything is recorded.
 */
export interface ExpectedPickLine {
  sku: string;
  barcode: string;
  quantity: number;
  serialised: boolean;
}

export interface ScannedUnit {
  barcode: string;
  serial?: string;
}

export interface PickProblem {
  code: 'NOT_ON_SHIPMENT' | 'MISSING' | 'EXTRA' | 'SERIAL_REQUIRED' | 'SERIAL_REPEATED' | 'UNEXPECTED_SERIAL';
  barcode: string;
  sku?: string;
  message: string;
}

/** Every problem with these scans against what the shipment must contain; [] when they match exactly. */
export function checkPickScans(expected: readonly ExpectedPickLine[], scans: readonly ScannedUnit[]): PickProblem[] {
  const problems: PickProblem[] = [];
  const byBarcode = new Map<string, ExpectedPickLine & { wanted: number }>();
  for (const line of expected) {
    const known = byBarcode.get(line.barcode);
    byBarcode.set(line.barcode, { ...line, wanted: (known?.wanted ?? 0) + line.quantity });
  }
  const counted = new Map<string, number>();
  const serialsSeen = new Set<string>();
  for (const scan of scans) {
    const line = byBarcode.get(scan.barcode);
    if (!line) {
      if (!counted.has(scan.barcode)) {
        problems.push({
          code: 'NOT_ON_SHIPMENT',
          barcode: scan.barcode,
          message: `Barcode ${scan.barcode} is not on this shipment`,
        });
      }
      counted.set(scan.barcode, (counted.get(scan.barcode) ?? 0) + 1);
      continue;
    }
    counted.set(scan.barcode, (counted.get(scan.barcode) ?? 0) + 1);
    if (line.serialised && !scan.serial) {
      problems.push({
        code: 'SERIAL_REQUIRED',
        barcode: scan.barcode,
        sku: line.sku,
        message: `${line.sku} is serialised: scan the serial number of each unit`,
      });
    } else if (!line.serialised && scan.serial) {
      problems.push({
        code: 'UNEXPECTED_SERIAL',
        barcode: scan.barcode,
        sku: line.sku,
        message: `${line.sku} has no serial numbers; ${scan.serial} was not expected`,
      });
    } else if (scan.serial) {
      if (serialsSeen.has(scan.serial)) {
        problems.push({
          code: 'SERIAL_REPEATED',
          barcode: scan.barcode,
          sku: line.sku,
          message: `Serial number ${scan.serial} was scanned twice`,
        });
      }
      serialsSeen.add(scan.serial);
    }
  }
  for (const [barcode, line] of byBarcode) {
    const got = counted.get(barcode) ?? 0;
    if (got < line.wanted) {
      problems.push({
        code: 'MISSING',
        barcode,
        sku: line.sku,
        message: `${line.sku} (barcode ${barcode}): ${line.wanted - got} of ${line.wanted} not scanned`,
      });
    } else if (got > line.wanted) {
      problems.push({
        code: 'EXTRA',
        barcode,
        sku: line.sku,
        message: `${line.sku} (barcode ${barcode}): ${got} scanned, the shipment has ${line.wanted}`,
      });
    }
  }
  return problems;
}

/** The shipment a staff action is for: the one numbered `seq`, or without a number the only candidate there is. */
export function namedShipment<T extends { seq: number }>(
  candidates: readonly T[],
  seq: number | undefined,
): T | undefined {
  return seq === undefined && candidates.length === 1 ? candidates[0] : candidates.find((s) => s.seq === seq);
}

/** The serial numbers scanned, per SKU. */
export function serialsBySku(expected: readonly ExpectedPickLine[], scans: readonly ScannedUnit[]) {
  const skuOf = new Map(expected.map((l) => [l.barcode, l.sku]));
  const result: Record<string, string[]> = {};
  for (const scan of scans) {
    const sku = skuOf.get(scan.barcode);
    if (sku && scan.serial) (result[sku] ??= []).push(scan.serial);
  }
  return result;
}

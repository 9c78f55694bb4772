/**
 * Scanning one shipment, unit by unit, before anything is sent: what each scan means (a unit of a line, the IMEI
 * of the phone just scanned, or a refusal), and what the pick route is then sent. Pure: a refused scan changes
 * nothing, so nothing is recorded for it.
 */
import { isValidImei } from '../../../../domain/imei';
import type { PickListShipment } from './types';

/** What to scan: one entry per barcode (order lines with the same barcode are counted together, as the API does). */
export interface ScanTarget {
  barcode: string;
  sku: string;
  lineNos: number[];
  needed: number;
  serialised: boolean;
  suggestedSerials: string[];
}

export interface Scan {
  barcode: string;
  serial?: string;
}

export interface ScanState {
  scans: Scan[];
  /** The barcode of a phone just scanned, whose IMEI is the next scan. */
  awaitingSerial?: string;
}

export type Refusal =
  | { kind: 'unknown'; code: string }
  | { kind: 'extra'; sku: string; needed: number }
  | { kind: 'badImei'; code: string }
  | { kind: 'repeatedImei'; code: string }
  | { kind: 'barcodeForSerial'; sku: string }
  | { kind: 'serialUnknown'; code: string }
  | { kind: 'serialElsewhere'; code: string; sku: string; location: string };

export type ScanOutcome =
  | { kind: 'counted'; state: ScanState; target: ScanTarget }
  | { kind: 'needSerial'; state: ScanState; target: ScanTarget }
  /** An IMEI that looks right: the caller checks it is on the shelf, then calls `withSerial`. */
  | { kind: 'checkSerial'; serial: string; target: ScanTarget }
  | { kind: 'refused'; refusal: Refusal };

export const EMPTY: ScanState = { scans: [] };

export function targetsOf(shipment: PickListShipment): ScanTarget[] {
  const byBarcode = new Map<string, ScanTarget>();
  for (const line of shipment.lines) {
    const known = byBarcode.get(line.barcode);
    if (known) {
      known.needed += line.quantity;
      known.lineNos.push(line.lineNo);
      known.suggestedSerials.push(...line.suggestedSerials);
    } else {
      byBarcode.set(line.barcode, {
        barcode: line.barcode,
        sku: line.sku,
        lineNos: [line.lineNo],
        needed: line.quantity,
        serialised: line.serialised,
        suggestedSerials: [...line.suggestedSerials],
      });
    }
  }
  return [...byBarcode.values()];
}

export const scannedOf = (state: ScanState, barcode: string) => state.scans.filter((s) => s.barcode === barcode).length;

export const isComplete = (targets: readonly ScanTarget[], state: ScanState) =>
  !state.awaitingSerial && targets.every((t) => scannedOf(state, t.barcode) === t.needed);

/** The target a code names: its barcode, or (typed by hand) its SKU in any case. */
function targetFor(targets: readonly ScanTarget[], code: string): ScanTarget | undefined {
  return targets.find((t) => t.barcode === code) ?? targets.find((t) => t.sku.toLowerCase() === code.toLowerCase());
}

/** What one scan (a code typed or scanned, then Enter) does. */
export function scan(targets: readonly ScanTarget[], state: ScanState, raw: string): ScanOutcome {
  const code = raw.trim();
  if (state.awaitingSerial) {
    const target = targets.find((t) => t.barcode === state.awaitingSerial)!;
    if (targetFor(targets, code)) return { kind: 'refused', refusal: { kind: 'barcodeForSerial', sku: target.sku } };
    if (!isValidImei(code)) return { kind: 'refused', refusal: { kind: 'badImei', code } };
    if (state.scans.some((s) => s.serial === code)) return { kind: 'refused', refusal: { kind: 'repeatedImei', code } };
    return { kind: 'checkSerial', serial: code, target };
  }
  const target = targetFor(targets, code);
  if (!target) return { kind: 'refused', refusal: { kind: 'unknown', code } };
  if (scannedOf(state, target.barcode) >= target.needed) {
    return { kind: 'refused', refusal: { kind: 'extra', sku: target.sku, needed: target.needed } };
  }
  if (target.serialised) return { kind: 'needSerial', state: { ...state, awaitingSerial: target.barcode }, target };
  return { kind: 'counted', state: { scans: [...state.scans, { barcode: target.barcode }] }, target };
}

/** The phone waiting for its IMEI, counted with it (once the IMEI is known to be on the shelf). */
export function withSerial(state: ScanState, serial: string): ScanState {
  if (!state.awaitingSerial) return state;
  return { scans: [...state.scans, { barcode: state.awaitingSerial, serial }] };
}

/** Esc: the phone waiting for its IMEI is put back, else the last unit scanned is taken off. */
export function undo(state: ScanState): { state: ScanState; undone?: Scan; cancelledSerial?: string } {
  if (state.awaitingSerial) return { state: { scans: state.scans }, cancelledSerial: state.awaitingSerial };
  if (state.scans.length === 0) return { state };
  return { state: { scans: state.scans.slice(0, -1) }, undone: state.scans[state.scans.length - 1] };
}

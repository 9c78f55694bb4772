/**
 * CSV cells that a spreadsheet cannot take for formulas (CSV injection, OWASP). Excel, LibreOffice and Google
 * Sheets start a formula at a cell beginning with `=`, `+`, `-` or `@`, and some also after a leading tab or
 * carriage return. Such a text cell is written with a single quote in front, which the spreadsheet shows as text.
 *
 * Numbers (a price, a quantity) are written as they are: the export writes them from numbers, so they hold only
 * digits and a sign and can never carry a formula, and `-3` has to stay a number a spreadsheet can add up.
 */

/** What gets a quote in front: a formula start, or quotes before one (so that the quote taken off on import is ours). */
const QUOTED_OR_FORMULA_START = /^'*[=+\-@\t\r]/;

/** A text cell made safe to open in a spreadsheet; numbers unchanged. */
export function spreadsheetSafe(cell: string | number): string | number {
  if (typeof cell === 'number') return cell;
  return QUOTED_OR_FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * The text of a cell as it was before `spreadsheetSafe`: an exported file imports back unchanged. Only the quote
 * that `spreadsheetSafe` adds is taken off (one quote before quotes and `=`, `+`, `-`, `@`, tab or CR); others stay.
 */
export function fromSpreadsheetSafe(cell: string): string {
  return cell.startsWith("'") && QUOTED_OR_FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/**
 * CSV as every export of the console writes it (units.exportCsv, audit.exportCsv): RFC 4180
 * quoting, CRLF lines, and no formula injection.
 *
 * OWASP "CSV injection": a spreadsheet runs a cell that starts with = + - @, a tab or a carriage
 * return as a formula (=HYPERLINK(…), @SUM(…), =cmd|…). Such a text cell gets a leading apostrophe,
 * which spreadsheets show as text and do not display.
 *
 * Numbers: a cell of a numeric column is passed as a JS number (a unit's capacity, a count) and is
 * written as it is — `-3` stays the number −3, since a number cannot carry a formula. Text is
 * always text: the string "-3" (a phone number, a name someone typed) is escaped like any other
 * text. So the column's type decides, never the look of the text.
 *
 * Reading our own exports back (units.importCsv): `csvUnescape` takes the apostrophe off again.
 */

export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: formula-escaped when it is text, quoted when it holds a quote, comma or line break. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows (the header first) as CSV text: CRLF after every line; `bom` for Excel on a Chinese Windows PC. */
export function toCsv(rows: readonly (readonly CsvValue[])[], options: { bom?: boolean } = {}): string {
  return (options.bom ? '\uFEFF' : '') + rows.map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}

/** A cell of a file we exported, as it was before csvCell escaped it. */
export function csvUnescape(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

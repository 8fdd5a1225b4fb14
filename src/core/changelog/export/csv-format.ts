/**
 * CSV as spreadsheet programs and auditors' scripts read it: RFC 4180 (fields holding a comma, a double quote, CR
 * or LF are quoted, quotes doubled; records end with CRLF, the last one too), UTF-8, optionally with a byte-order
 * mark so that Excel detects the encoding.
 *
 * Formula-injection safety: a cell whose text starts with `=`, `+`, `-`, `@`, TAB or CR would be run as a
 * formula by Excel, LibreOffice or Google Sheets, and titles, logins and branch names come from the people whose
 * changes are being audited. Such a cell is written with a leading apostrophe (`'=HYPERLINK(…)`), which
 * spreadsheets show as text; a script reading the file sees the apostrophe and can strip it. The rule is stated
 * in the export's manifest (`csv.formula_prefix`).
 */

export const CSV_FORMULA_PREFIX = "'";
export const CSV_FORMULA_TRIGGERS = ["=", "+", "-", "@", "\t", "\r"] as const;
const BOM = "\uFEFF";

export interface CsvOptions {
  /** Start the file with a UTF-8 byte-order mark (U+FEFF) for Excel. */
  bom?: boolean;
}

/** One cell: neutralised against formulas, then quoted if RFC 4180 requires it. */
export function csvCell(value: string): string {
  const text = CSV_FORMULA_TRIGGERS.some((t) => value.startsWith(t))
    ? `${CSV_FORMULA_PREFIX}${value}`
    : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line of a file: the row's cells, joined with commas and ended with CRLF. */
export function csvLine(header: readonly string[], row: readonly string[]): string {
  if (row.length !== header.length)
    throw new Error(`CSV row has ${row.length} cells, header has ${header.length}`);
  return `${row.map(csvCell).join(",")}\r\n`;
}

/** The start of a file: the byte-order mark if asked for, then the header line. */
export function csvHead(header: readonly string[], options: CsvOptions = {}): string {
  return (options.bom ? BOM : "") + csvLine(header, header);
}

/** A whole file: the header, then one line per row, every line ending in CRLF. */
export function csvFile(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: CsvOptions = {},
): string {
  return csvHead(header, options) + rows.map((row) => csvLine(header, row)).join("");
}

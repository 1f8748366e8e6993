/**
 * CSV as French Excel opens it with a double click: UTF-8 with a byte-order mark (else accents break), `;` between
 * fields (the comma is the decimal separator), CRLF line ends, every field quoted with inner quotes doubled, and
 * numbers written with a decimal comma and no thousands separator. Every export goes through `toCsv`.
 *
 * A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula by a
 * spreadsheet (a funder tag named `=HYPERLINK(…)` in a file staff open): such cells get a leading apostrophe,
 * which spreadsheets read as "this is text". Numbers are written as numbers.
 */
export type CsvCell = string | number | null | undefined;

const decimal = new Intl.NumberFormat('fr-FR', { useGrouping: false, maximumFractionDigits: 1 });

export function csvCell(v: CsvCell): string {
  const text = v === null || v === undefined ? '' : typeof v === 'number' ? (Number.isFinite(v) ? decimal.format(v) : '') : neutralised(v);
  return `"${text.replace(/"/g, '""')}"`;
}

const neutralised = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

export const toCsv = (rows: CsvCell[][]) => '\uFEFF' + rows.map((r) => r.map(csvCell).join(';')).join('\r\n') + '\r\n';

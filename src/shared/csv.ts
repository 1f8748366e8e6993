/**
 * CSV as French Excel opens it with a double click: UTF-8 with a byte-order mark (else accents break), `;` between
 * fields (the comma is the decimal separator), CRLF line ends, every field quoted with inner quotes doubled, and
 * numbers written with a decimal comma and no thousands separator.
 */
export type CsvCell = string | number | null | undefined;

const decimal = new Intl.NumberFormat('fr-FR', { useGrouping: false, maximumFractionDigits: 1 });

export function csvCell(v: CsvCell): string {
  const text = v === null || v === undefined ? '' : typeof v === 'number' ? (Number.isFinite(v) ? decimal.format(v) : '') : v;
  return `"${text.replace(/"/g, '""')}"`;
}

export const toCsv = (rows: CsvCell[][]) => '\uFEFF' + rows.map((r) => r.map(csvCell).join(';')).join('\r\n') + '\r\n';

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

/**
 * Reads a CSV as spreadsheets and association tools write it: an optional byte-order mark, `;` or `,` between
 * fields (whichever the first line uses more, outside quotes), fields in double quotes with inner quotes doubled
 * and line breaks allowed inside, CRLF or LF line ends. A blank line is a row of one empty field, so rows keep the
 * numbers a spreadsheet shows. Never throws: a quote left open runs to the end of the text, as spreadsheets read it.
 */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const sep = csvSeparatorOf(src);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    field = '';
    rows.push(row);
    row = [];
  };
  while (i < src.length) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
    } else if (c === sep) {
      row.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      endRow();
      if (c === '\r' && src[i + 1] === '\n') i++;
    } else {
      field += c;
    }
    i++;
  }
  if (field !== '' || row.length) endRow();
  return rows;
}

function csvSeparatorOf(text: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ';') semicolons++;
    else if (!quoted && c === ',') commas++;
  }
  return commas > semicolons ? ',' : ';';
}

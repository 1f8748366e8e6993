/**
 * A small RFC 4180 reader: quoted fields may hold the separator, quotes ("") and line breaks. The shipped files
 * and the Etalab geo-dvf export use it; the raw DGFiP DVF file never quotes and is read line by line instead.
 */

export interface CsvRecord {
  /** 1-based line where the record starts (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

export function parseCsvRows(text: string, separator = ','): { row: string[]; line: number }[] {
  const rows: { row: string[]; line: number }[] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === separator) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push({ row, line: rowLine });
      row = [];
      field = '';
      line++;
      rowLine = line;
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push({ row, line: rowLine });
  }
  return rows;
}

/** Records keyed by the header's names. Throws when a row does not have as many fields as the header. */
export function parseCsv(text: string, separator = ','): { header: string[]; records: CsvRecord[] } {
  const [head, ...rest] = parseCsvRows(text, separator);
  if (!head) return { header: [], records: [] };
  const header = head.row.map((h) => h.trim());
  const records = rest.map(({ row, line }) => {
    if (row.length !== header.length) throw new Error(`line ${line}: ${row.length} fields, expected ${header.length}`);
    return { line, values: Object.fromEntries(header.map((h, i) => [h, row[i]])) };
  });
  return { header, records };
}

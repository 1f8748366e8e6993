/**
 * The one way to draw a data table: caption, column headers with `scope="col"`, optional row headers, numbers
 * right-aligned, an empty state, and a frame that scrolls sideways on a narrow screen so the page itself reflows
 * at 320 px (WCAG 1.4.10). Pure: no page context, so it also serves the Markdown renderer and cached fragments.
 *
 *   <Table caption={t('…')} rows={rows} rowKey={(r) => r.id} empty={t('…empty')}
 *     columns={[{ key: 'name', header: t('…'), rowHeader: true, render: (r) => r.name },
 *               { key: 'count', header: t('…'), align: 'end', render: (r) => r.count }]} />
 *
 * A table whose body is not one row per item (groups of rows, a pre-rendered body) keeps the caption, head and
 * frame with <TableFrame> and writes its own <tbody>.
 */
import type { ComponentChildren } from 'preact';

/** `end` puts numbers flush right (the stylesheet's `num`); `center` is for the guide's Markdown tables. */
export type Align = 'start' | 'end' | 'center';

const ALIGN_CLASS: Record<Align, string | undefined> = { start: undefined, end: 'num', center: 'center' };

const classes = (...names: (string | false | null | undefined)[]) => names.filter(Boolean).join(' ') || undefined;

/** What the head needs to know about a column. */
export interface HeaderColumn {
  key: string;
  /** The header cell's content; `null` leaves an empty corner (`<td>`) above a column of row headers. */
  header: ComponentChildren | null;
  align?: Align;
  /** Class of the header cell only (body cells take `className`). */
  headerClassName?: string;
  /** The column the rows are sorted by, for `aria-sort`. */
  sort?: 'ascending' | 'descending';
}

export interface Column<Row> extends HeaderColumn {
  /** The cell is the row's header (`<th scope="row">`): the name that identifies the row. */
  rowHeader?: boolean;
  /** Class of the body cells, fixed or per row (e.g. the best value of a comparison). */
  className?: string | ((row: Row) => string | undefined);
  render: (row: Row, index: number) => ComponentChildren;
}

type FrameLayout =
  /** Default: inside `div.table-wrap`, which scrolls sideways when the table is wider than the screen. */
  | { wrap?: 'scroll'; captionId?: string }
  /**
   * A wide table (many columns): the frame is also a focusable region named by the caption, so a keyboard user
   * can scroll it. Needs the caption's id.
   */
  | { wrap: 'region'; captionId: string }
  /** A narrow table that reflows on its own (two columns, in a side panel or a <details>). */
  | { wrap: 'none'; captionId?: string };

interface FrameBase {
  caption?: ComponentChildren;
  /** The caption is for assistive technology only (the heading above already says it). */
  captionHidden?: boolean;
  /** Class of the `<table>` (e.g. `data-table`, `hours`). */
  class?: string;
  /** `false` for a key–value table with no header row, whose row headers say it all (opening hours). */
  head?: boolean;
  /** Footer rows (`<tr>`s), e.g. totals. */
  foot?: ComponentChildren;
}

export type TableFrameProps = FrameLayout &
  FrameBase & {
    columns: readonly HeaderColumn[];
    /** The body: one or more `<tbody>`. */
    children?: ComponentChildren;
  };

/** Caption, head, optional foot and the scrolling frame, around a body written by the caller. */
export function TableFrame(props: TableFrameProps) {
  const { caption, captionHidden, captionId, columns, head = true, foot, children } = props;
  const table = (
    <table class={props.class}>
      {caption !== undefined && caption !== null && caption !== false && (
        <caption id={captionId} class={captionHidden ? 'visually-hidden' : undefined}>
          {caption}
        </caption>
      )}
      {head && (
        <thead>
          <tr>
            {columns.map((c) =>
              c.header === null ? (
                <td key={c.key} />
              ) : (
                <th key={c.key} scope="col" class={classes(ALIGN_CLASS[c.align ?? 'start'], c.headerClassName)} aria-sort={c.sort}>
                  {c.header}
                </th>
              ),
            )}
          </tr>
        </thead>
      )}
      {children}
      {foot !== undefined && foot !== null && foot !== false && <tfoot>{foot}</tfoot>}
    </table>
  );
  if (props.wrap === 'none') return table;
  if (props.wrap === 'region')
    return (
      <div class="table-wrap" role="region" aria-labelledby={props.captionId} tabIndex={0}>
        {table}
      </div>
    );
  return <div class="table-wrap">{table}</div>;
}

export interface TableRowsProps<Row> {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row, index: number) => string | number;
  /** Class of a whole row (e.g. `zero` for a count of nothing). */
  rowClass?: (row: Row) => string | undefined;
}

/** The `<tr>`s of a body, one per row: for a <TableFrame> whose body is cached or split into groups. */
export function TableRows<Row>({ columns, rows, rowKey, rowClass }: TableRowsProps<Row>) {
  return (
    <>
      {rows.map((row, i) => (
        <tr key={rowKey(row, i)} class={rowClass?.(row)}>
          {columns.map((c) => {
            const className = classes(ALIGN_CLASS[c.align ?? 'start'], typeof c.className === 'function' ? c.className(row) : c.className);
            return c.rowHeader ? (
              <th key={c.key} scope="row" class={className}>
                {c.render(row, i)}
              </th>
            ) : (
              <td key={c.key} class={className}>
                {c.render(row, i)}
              </td>
            );
          })}
        </tr>
      ))}
    </>
  );
}

export type TableProps<Row> = FrameLayout &
  FrameBase &
  TableRowsProps<Row> & {
    /** Shown as a paragraph instead of the table when there is no row; without it an empty table is drawn. */
    empty?: ComponentChildren;
  };

export function Table<Row>(props: TableProps<Row>) {
  const { rows, columns, rowKey, rowClass, empty, ...frame } = props;
  if (rows.length === 0 && empty !== undefined) return <p>{empty}</p>;
  return (
    <TableFrame {...(frame as FrameLayout & FrameBase)} columns={columns}>
      <tbody>
        <TableRows columns={columns} rows={rows} rowKey={rowKey} rowClass={rowClass} />
      </tbody>
    </TableFrame>
  );
}

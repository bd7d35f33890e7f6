import {type Cell, type ColumnKind, formatColumn, formatFigure, isNumericKind} from './column-format.js'
import {type CellStyle, type TableLayout, fitTable} from './fit-table.js'
import {paint} from './paint.js'
import {csvField} from './safe/csv.js'
import {markdownCell} from './safe/markdown.js'
import {terminalText} from './safe/terminal.js'

export type {Cell} from './column-format.js'

/** A column of a report table: header, what it holds (see ColumnKind) and its drop rank (0: always shown). */
export interface ColumnSpec {
  head: string
  kind?: ColumnKind
  drop?: number
  style?: CellStyle
  /** On a narrow terminal a cell may go on a second line before its `(`: `43.8 %` / `(32.3–55.9)`. */
  wrap?: boolean
}

export type TableFormat = 'table' | 'md' | 'csv'

/** A table printed whole, uncoloured: piped output and tests. */
export const WHOLE: TableLayout = {width: null, paint: paint(false)}

/** csv keeps every value as it is (for machines); table and md give each column's numbers one precision. */
export function renderTable(
  columns: ColumnSpec[],
  rows: Cell[][],
  format: TableFormat,
  layout: TableLayout = WHOLE,
): string {
  const head = columns.map((c) => c.head)
  if (format === 'csv') return csvTable(head, rows)
  // Text from input is shown, never obeyed: the terminal table gets it with its controls made visible.
  const kinds = columns.map((c) => c.kind ?? 'name')
  const byColumn = kinds.map((kind, i) =>
    formatColumn(
      kind,
      rows.map((r) => r[i]),
    ),
  )
  const text = rows.map((_, r) => kinds.map((_, i) => byColumn[i][r]))
  if (format === 'md') return markdownTable(head, text, {rightAlign: kinds.map(isNumericKind)})
  return fitTable(
    columns.map((c, i) => ({
      head: terminalText(c.head),
      kind: kinds[i],
      drop: c.drop ?? 0,
      style: c.style,
      wrap: c.wrap,
    })),
    text.map((r) => r.map(terminalText)),
    layout,
  )
}

/** A non-finite number is unknown (—), as --json's null. */
export function formatCell(v: Cell): string {
  if (v === null || v === undefined) return '—'
  if (typeof v === 'number') return Number.isFinite(v) ? formatFigure(v) : '—'
  return String(v)
}

/** Values as they are (history, query): columns drop from the right to fit; text is shortened, numbers never. */
export function textTable(head: string[], rows: Cell[][], opts: {layout?: TableLayout} = {}): string {
  const columns = head.map((h, i) => ({head: terminalText(h), kind: 'text' as const, drop: i === 0 ? 0 : i}))
  return fitTable(
    columns,
    rows.map((r) => r.map((c) => terminalText(formatCell(c)))),
    opts.layout ?? WHOLE,
  )
}

/** A GitHub-flavoured Markdown table; cells escaped by `markdownCell`. */
export function markdownTable(head: string[], rows: Cell[][], opts: {rightAlign?: boolean[]} = {}): string {
  const esc = markdownCell
  const lines = [
    `| ${head.map(esc).join(' | ')} |`,
    `| ${head.map((_, i) => (opts.rightAlign?.[i] ? '---:' : '---')).join(' | ')} |`,
  ]
  for (const r of rows) lines.push(`| ${r.map((c) => esc(formatCell(c))).join(' | ')} |`)
  return lines.join('\n')
}

/** RFC 4180 CSV (fields quoted when needed, formulas neutralised: `csvField`); nulls are empty fields. */
export function csvTable(head: string[], rows: Cell[][]): string {
  const q = csvField
  return [head.map(q).join(','), ...rows.map((r) => r.map(q).join(','))].join('\n')
}

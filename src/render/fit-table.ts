import Table from 'cli-table3'
import stringWidth from 'string-width'
import type {ColumnKind} from './column-format.js'
import {isNumericKind} from './column-format.js'
import type {Paint} from './paint.js'

/** A column of a terminal table: its header, what it holds, and how early it is dropped when the window is narrow. */
export interface FitColumn {
  head: string
  kind: ColumnKind
  /** 0: always shown; otherwise the highest number is dropped first. */
  drop: number
  /**
   * Colour for the column's cells: `origin` dim; `state` a run's state, failed red and crashed yellow; `status` a
   * check's, fail red and unknown yellow; `alerts` a count of alerts, red when not 0.
   */
  style?: CellStyle
  /** A cell wider than its column goes on a second line before its ` (` (an estimate, then its interval). */
  wrap?: boolean
}

const wrapPieces = (text: string): string[] => text.split(/ (?=\()/)

export type CellStyle = 'dim' | 'state' | 'status' | 'alerts'

/** A cell in its column's colour (applied after the text was sanitised and shortened, so no escape is cut). */
function styled(text: string, style: CellStyle | undefined, paint: Paint): string {
  if (style === 'dim') return paint.dim(text)
  if (style === 'state') return text === 'failed' ? paint.alert(text) : text === 'crashed' ? paint.notice(text) : text
  if (style === 'status') return text === 'fail' ? paint.alert(text) : text === 'unknown' ? paint.notice(text) : text
  if (style === 'alerts') return /^[1-9]/.test(text) ? paint.alert(text) : text
  return text
}

/** How a table is laid out: `width` null prints it whole (piped output, --wide). */
export interface TableLayout {
  width: number | null
  paint: Paint
}

/** Display width in terminal cells (East Asian wide characters and emoji count 2; colour codes 0). */
export const displayWidth = (s: string): number => stringWidth(s)

/** Shorten cells, then drop the least important columns (named in a footnote), then fall back to key–value lines. */
export function fitTable(columns: FitColumn[], rows: string[][], layout: TableLayout): string {
  const width = layout.width
  if (width === null)
    return drawTable(
      columns.map((_, i) => i),
      columns,
      rows,
      null,
      layout.paint,
    )
  // Two lines per row are the last resort before the key–value layout: first without wrapping any cell.
  const fitted = fitColumns(
    columns.map((c) => (c.wrap ? {...c, wrap: false} : c)),
    rows,
    width,
    layout.paint,
  )
  if (fitted !== null || !columns.some((c) => c.wrap)) return fitted ?? keyValue(columns, rows, width, layout.paint)
  return fitColumns(columns, rows, width, layout.paint) ?? keyValue(columns, rows, width, layout.paint)
}

/** Steps 1–5 of fitting (docs/terminal-output.md); null when even the columns always shown do not fit. */
function fitColumns(columns: FitColumn[], rows: string[][], width: number, paint: Paint): string | null {
  const order = columns
    .map((c, i) => ({i, drop: c.drop}))
    .filter((c) => c.drop > 0)
    .sort((a, b) => b.drop - a.drop || b.i - a.i)
  const shown = columns.map((_, i) => i)
  const dropped: number[] = []
  const measures = columns.map((c, i) =>
    measure(
      c,
      rows.map((r) => r[i] ?? ''),
    ),
  )
  for (;;) {
    const fit = fitWidths(
      shown.map((i) => measures[i]),
      width,
    )
    if (fit) {
      // A wide column may have gone when narrower, less important ones behind it still fit: put those back where
      // they fit without narrowing the columns shown.
      let widths = fit
      for (const i of [...dropped].reverse()) {
        const trial = [...shown, i].sort((a, b) => a - b)
        const more = fitWidths(
          trial.map((j) => measures[j]),
          width,
        )
        const at = trial.indexOf(i)
        if (!more || more.some((w, k) => k !== at && w < widths[k < at ? k : k - 1])) continue
        shown.splice(0, shown.length, ...trial)
        dropped.splice(dropped.indexOf(i), 1)
        widths = more
      }
      const table = drawTable(shown, columns, rows, widths, paint)
      return dropped.length === 0 ? table : `${table}\n${footnote(dropped, columns, rows, width, paint)}`
    }
    const next = order.shift()
    if (!next) return null
    shown.splice(shown.indexOf(next.i), 1)
    dropped.push(next.i)
  }
}

/** Border and padding of a cli-table3 table with `n` columns: `│ a │ b │`. */
const chrome = (n: number) => 3 * n + 1

/** A column's natural width and the narrower widths it can take: each floor loses a little more. */
interface Measure {
  natural: number
  /** Headers wrapped at spaces; text and paths shortened; header words broken. */
  floors: [number, number, number]
}

function measure(column: FitColumn, values: string[]): Measure {
  const cellMax = Math.max(0, ...values.map(displayWidth))
  const words = Math.max(...column.head.split(' ').map(displayWidth))
  // A plain header word never breaks ("incorrec/t" reads badly: the column goes first); a compound one (a run name,
  // `problem_type`) breaks down to 6 cells, after a `-`, `_`, `/` or `.` where it can (wrapWords).
  const pieces = Math.max(
    ...column.head.split(' ').map((w) => (/[-_/.]./.test(w) ? Math.min(displayWidth(w), 6) : displayWidth(w))),
  )
  let shortest = cellMax
  // Text keeps at least 12 cells and its numbers; a path its last part (when that does not fit, drop the column).
  if (column.kind === 'path')
    shortest = Math.min(cellMax, Math.max(0, ...values.map((v) => displayWidth(v.slice(v.lastIndexOf('/') + 1)) + 2)))
  else if (column.wrap) shortest = Math.max(0, ...values.map((v) => Math.max(...wrapPieces(v).map(displayWidth))))
  else if (column.kind === 'text')
    shortest = Math.min(cellMax, Math.max(12, ...values.map((v) => (looksNumeric(v) ? displayWidth(v) : 0))))
  return {
    natural: Math.max(cellMax, displayWidth(column.head)),
    floors: [Math.max(cellMax, words), Math.max(shortest, words), Math.max(shortest, pieces)],
  }
}

/** Widths of the shown columns that fit `width`, or null when even shortened cells and wrapped headers do not. */
function fitWidths(shown: Measure[], width: number): number[] | null {
  const budget = width - chrome(shown.length)
  const widths = shown.map((m) => m.natural)
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
  if (sum(shown.map((m) => m.floors[2])) > budget) return null
  for (let f = 0; f < 3; f++) {
    const floor = shown.map((m) => Math.min(m.natural, m.floors[f]))
    let total = sum(widths)
    while (total > budget) {
      // Narrow the column furthest above its floor: long cells lose a little each rather than one losing all.
      let best = -1
      for (let k = 0; k < widths.length; k++)
        if (widths[k] > floor[k] && (best < 0 || widths[k] - floor[k] > widths[best] - floor[best])) best = k
      if (best < 0) break
      widths[best]--
      total--
    }
    if (total <= budget) return widths
  }
  return null
}

function looksNumeric(s: string | undefined): boolean {
  return s !== undefined && /^[-+$]*[\d,.]+(e[-+]?\d+)?%?$/i.test(s)
}

function drawTable(
  shown: number[],
  columns: FitColumn[],
  rows: string[][],
  widths: number[] | null,
  paint: Paint,
): string {
  const head = shown.map((i, k) => (widths ? wrapWords(columns[i].head, widths[k]).join('\n') : columns[i].head))
  const t = new Table({
    head,
    style: {head: paint.enabled ? ['cyan'] : [], border: paint.enabled ? ['grey'] : [], compact: true},
    colAligns: shown.map((i) => (isNumericKind(columns[i].kind) ? 'right' : 'left')),
    ...(widths ? {colWidths: widths.map((w) => w + 2)} : {}),
  })
  for (const r of rows)
    t.push(
      shown.map((i, k) => {
        const cell = r[i] ?? ''
        if (widths && columns[i].wrap && displayWidth(cell) > widths[k])
          return wrapPieces(cell)
            .map((l) => styled(l, columns[i].style, paint))
            .join('\n')
        const text = widths ? shorten(cell, widths[k], columns[i].kind) : cell
        return styled(text, columns[i].style, paint)
      }),
    )
  return t.toString()
}

/** `text` cut to `width` display cells: paths keep their last part, other text its start and end; others whole. */
export function shorten(text: string, width: number, kind: ColumnKind): string {
  if (displayWidth(text) <= width || (kind !== 'text' && kind !== 'path') || looksNumeric(text)) return text
  if (kind === 'path') {
    const cut = text.lastIndexOf('/')
    const last = text.slice(cut + 1)
    const room = width - displayWidth(last) - 2
    if (cut >= 0 && room >= 0) return `${takeStart(text.slice(0, cut), room)}…/${last}`
    return `…${takeEnd(text, width - 1)}`
  }
  const start = Math.ceil((width - 1) / 2)
  return `${takeStart(text, start)}…${takeEnd(text, width - 1 - start)}`
}

/** Grapheme clusters: an emoji sequence or a letter with its accents is cut whole. */
const graphemes = (text: string) => Array.from(new Intl.Segmenter().segment(text), (s) => s.segment)

function takeStart(text: string, width: number): string {
  let out = ''
  let used = 0
  for (const g of graphemes(text)) {
    used += displayWidth(g)
    if (used > width) break
    out += g
  }
  return out
}

function takeEnd(text: string, width: number): string {
  const parts = graphemes(text)
  let out = ''
  let used = 0
  for (let i = parts.length - 1; i >= 0; i--) {
    used += displayWidth(parts[i])
    if (used > width) break
    out = parts[i] + out
  }
  return out
}

/** Words of `text` on lines of at most `width` cells; a word longer than a line is broken. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (let word of text.split(' ')) {
    while (displayWidth(word) > width) {
      if (line) lines.push(line)
      line = ''
      // Break after a `-`, `_`, `/` or `.` when one falls in the line, so the pieces stay readable.
      const fits = takeStart(word, Math.max(1, width))
      const at = Math.max(...['-', '_', '/', '.'].map((s) => fits.lastIndexOf(s)))
      const part = at > 0 ? fits.slice(0, at + 1) : fits
      lines.push(part)
      word = word.slice(part.length)
    }
    if (!word) continue
    if (!line) line = word
    else if (displayWidth(`${line} ${word}`) <= width) line += ` ${word}`
    else {
      lines.push(line)
      line = word
    }
  }
  if (line || lines.length === 0) lines.push(line)
  return lines
}

/** A line of prose wrapped to the window (as it is when the layout is whole). */
export function fitLine(text: string, layout: TableLayout): string {
  return layout.width === null
    ? text
    : text
        .split('\n')
        .flatMap((l) => wrapWords(l, layout.width!))
        .join('\n')
}

/** Names the dropped columns (with their one value when every row has the same) and how to see them. */
function footnote(dropped: number[], columns: FitColumn[], rows: string[][], width: number, paint: Paint): string {
  const names = [...dropped]
    .sort((a, b) => a - b)
    .map((i) => {
      const values = new Set(rows.map((r) => r[i]))
      const [only] = values
      if (values.size !== 1 || !only) return columns[i].head
      return rows.length > 1 ? `${columns[i].head} (${only} in every row)` : `${columns[i].head} (${only})`
    })
  const note = `Not shown to fit the window: ${names.join(', ')}; --wide shows every column.`
  return paint.dim(wrapWords(note, width).join('\n'))
}

/** One block of `header  value` lines per row, for windows too narrow for even the columns always shown. */
function keyValue(columns: FitColumn[], rows: string[][], width: number, paint: Paint): string {
  const keyWidth = Math.max(...columns.map((c) => displayWidth(c.head)))
  const valueWidth = Math.max(1, width - keyWidth - 2)
  return rows
    .map((r) =>
      columns
        .map((c, i) => {
          const value = shorten(r[i] ?? '', valueWidth, c.kind)
          const lines = displayWidth(value) <= valueWidth ? [value] : wrapWords(value, valueWidth)
          const key = c.head + ' '.repeat(keyWidth - displayWidth(c.head))
          const pad = ' '.repeat(keyWidth)
          return lines.map((l, n) => `${n === 0 ? key : pad}  ${styled(l, c.style, paint)}`).join('\n')
        })
        .join('\n'),
    )
    .join('\n\n')
}

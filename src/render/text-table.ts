import Table from 'cli-table3'
import {csvField} from './safe/csv.js'
import {markdownCell} from './safe/markdown.js'
import {terminalText} from './safe/terminal.js'

export type Cell = string | number | boolean | null | undefined

/** Formats one cell for humans: null → "—", numbers trimmed; a non-finite number is unknown (—), as --json's null. */
export function formatCell(v: Cell, digits = 4): string {
  if (v === null || v === undefined) return '—'
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '—'
    if (Number.isInteger(v)) return String(v)
    return String(Number(v.toPrecision(digits + 2)))
  }
  return String(v)
}

/** A terminal table (cli-table3) with a header row; text from input is shown, never obeyed (`terminalText`). */
export function textTable(head: string[], rows: Cell[][], opts: {rightAlign?: boolean[]} = {}): string {
  const t = new Table({
    head: head.map(terminalText),
    style: {head: process.stdout.isTTY ? ['cyan'] : [], border: process.stdout.isTTY ? ['grey'] : [], compact: true},
    ...(opts.rightAlign ? {colAligns: opts.rightAlign.map((r) => (r ? 'right' : 'left'))} : {}),
  })
  for (const r of rows) t.push(r.map((c) => terminalText(formatCell(c))))
  return t.toString()
}

/** A GitHub-flavoured Markdown table; cells escaped by `markdownCell`. */
export function markdownTable(head: string[], rows: Cell[][], opts: {rightAlign?: boolean[]} = {}): string {
  const esc = markdownCell
  const lines = [`| ${head.map(esc).join(' | ')} |`, `| ${head.map((_, i) => (opts.rightAlign?.[i] ? '---:' : '---')).join(' | ')} |`]
  for (const r of rows) lines.push(`| ${r.map((c) => esc(formatCell(c))).join(' | ')} |`)
  return lines.join('\n')
}

/** RFC 4180 CSV (fields quoted when needed, formulas neutralised: `csvField`); nulls are empty fields. */
export function csvTable(head: string[], rows: Cell[][]): string {
  const q = csvField
  return [head.map(q).join(','), ...rows.map((r) => r.map(q).join(','))].join('\n')
}

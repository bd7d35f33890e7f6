import Table from 'cli-table3'

export type Cell = string | number | boolean | null | undefined

/** Formats one cell for humans: null → "—", numbers trimmed. */
export function formatCell(v: Cell, digits = 4): string {
  if (v === null || v === undefined) return '—'
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v)
    if (Number.isInteger(v)) return String(v)
    return String(Number(v.toPrecision(digits + 2)))
  }
  return String(v)
}

/** A terminal table (cli-table3) with a header row. */
export function textTable(head: string[], rows: Cell[][], opts: {rightAlign?: boolean[]} = {}): string {
  const t = new Table({
    head,
    style: {head: process.stdout.isTTY ? ['cyan'] : [], border: process.stdout.isTTY ? ['grey'] : [], compact: true},
    ...(opts.rightAlign ? {colAligns: opts.rightAlign.map((r) => (r ? 'right' : 'left'))} : {}),
  })
  for (const r of rows) t.push(r.map((c) => formatCell(c)))
  return t.toString()
}

/** A GitHub-flavoured Markdown table. */
export function markdownTable(head: string[], rows: Cell[][], opts: {rightAlign?: boolean[]} = {}): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  const lines = [`| ${head.map(esc).join(' | ')} |`, `| ${head.map((_, i) => (opts.rightAlign?.[i] ? '---:' : '---')).join(' | ')} |`]
  for (const r of rows) lines.push(`| ${r.map((c) => esc(formatCell(c))).join(' | ')} |`)
  return lines.join('\n')
}

/** RFC 4180 CSV (fields quoted when needed); nulls are empty fields. */
export function csvTable(head: string[], rows: Cell[][]): string {
  const q = (v: Cell) => {
    if (v === null || v === undefined) return ''
    const s = String(v)
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return [head.map(q).join(','), ...rows.map((r) => r.map(q).join(','))].join('\n')
}

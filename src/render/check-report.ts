import type {CheckResult} from '../check/evaluate.js'
import {type TableLayout, fitLine} from './fit-table.js'
import {type Cell, type ColumnSpec, WHOLE, renderTable} from './text-table.js'
import type {ReportFormat} from './summary-report.js'

/** The value column goes before the rule and the status: those are the verdict, kept when the window is narrow. */
export function renderCheck(
  results: CheckResult[],
  format: ReportFormat,
  allowUnknown: boolean,
  layout: TableLayout = WHOLE,
): string {
  const many = results.length > 1
  const columns: ColumnSpec[] = [
    ...(many ? [{head: 'run'}] : []),
    {head: 'rule'},
    {head: 'value', kind: 'figure', drop: 1},
    {head: 'status', style: 'status'},
  ]
  const rows: Cell[][] = results.flatMap((r) =>
    r.rules.map((x) => [...(many ? [r.run] : []), x.rule, x.value, x.status]),
  )
  const table = renderTable(columns, rows, format, layout)
  if (format === 'csv') return table
  const line = verdict(results, allowUnknown)
  const shown = format === 'md' ? line : fitLine(line, layout)
  return `${table}\n${line.startsWith('FAIL') ? layout.paint.alert(shown) : shown}`
}

function verdict(results: CheckResult[], allowUnknown: boolean): string {
  const all = results.flatMap((r) => r.rules)
  const failed = all.filter((x) => x.status === 'fail').length
  const unknown = all.filter((x) => x.status === 'unknown').length
  const runs = results.length > 1 ? ` on ${results.length} runs` : ''
  if (results.every((r) => r.passed)) {
    const allowed = unknown > 0 ? `, ${unknown} unknown allowed (--allow-unknown)` : ''
    return `pass: ${all.length - failed - unknown} rule check(s) passed${runs}${allowed}`
  }
  const parts = [
    ...(failed > 0 ? [`${failed} failed`] : []),
    ...(unknown > 0 && !allowUnknown
      ? [`${unknown} unknown (the run has no such figure; --allow-unknown lets them pass)`]
      : []),
  ]
  return `FAIL: ${parts.join(', ')} of ${all.length} rule check(s)${runs}`
}

/** A `--follow` line: one rule whose status changed. */
export function renderStatusChange(
  time: string,
  run: string,
  x: CheckResult['rules'][number],
  before: string | undefined,
): string {
  const value = x.value === null ? 'unknown' : String(Number(x.value.toPrecision(6)))
  return `${time} ${run}: ${x.rule}: ${before ? `${before} → ` : ''}${x.status} (value ${value})`
}

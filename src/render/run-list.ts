import {relative} from 'node:path'
import type {RunOverview} from '../readers/run/read-run.js'
import type {TableLayout} from './fit-table.js'
import {type Cell, type ColumnSpec, type TableFormat, WHOLE, renderTable} from './text-table.js'
import {formatBytes, formatDuration} from './units.js'

export type RunListEntry = Pick<
  RunOverview,
  | 'dir'
  | 'id'
  | 'name'
  | 'project'
  | 'state'
  | 'exit_code'
  | 'steps'
  | 'history_rows'
  | 'wandb_version'
  | 'started_at'
  | 'runtime_s'
  | 'bytes'
  | 'unreadable_bytes'
>

/** The `ls` columns; drop ranks (highest first) are documented in docs/terminal-output.md. */
const COLUMNS: ColumnSpec[] = [
  {head: 'started', kind: 'name', drop: 1},
  {head: 'id', kind: 'name'},
  {head: 'name', kind: 'text', drop: 3},
  {head: 'project', kind: 'text', drop: 4},
  {head: 'state', kind: 'name', style: 'state'},
  {head: 'exit', kind: 'count', drop: 7},
  {head: 'steps', kind: 'count', drop: 2},
  {head: 'rows', kind: 'count', drop: 11},
  {head: 'wandb', kind: 'name', drop: 10},
  {head: 'runtime', kind: 'figure', drop: 5},
  {head: 'size', kind: 'figure', drop: 8},
  {head: 'unreadable', kind: 'figure', drop: 9},
  {head: 'dir', kind: 'path', drop: 6},
]

/** `ls` as a table (fitted to the terminal), Markdown or CSV (raw numbers and absolute paths). */
export function renderRunList(entries: RunListEntry[], format: TableFormat, layout: TableLayout = WHOLE): string {
  const human = format !== 'csv'
  const rows: Cell[][] = entries.map((e) => [
    e.started_at ? e.started_at.replace('T', ' ').slice(0, 19) : null,
    e.id,
    e.name,
    e.project,
    e.state,
    e.exit_code,
    e.steps,
    e.history_rows,
    e.wandb_version,
    human ? formatDuration(e.runtime_s) : e.runtime_s,
    human ? formatBytes(e.bytes) : e.bytes,
    human ? (e.unreadable_bytes > 0 ? formatBytes(e.unreadable_bytes) : '') : e.unreadable_bytes,
    human ? relative(process.cwd(), e.dir) || '.' : e.dir,
  ])
  return renderTable(COLUMNS, rows, format, layout)
}

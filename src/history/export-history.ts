import {statSync, writeFileSync} from 'node:fs'
import {type Table, tableToIPC} from 'apache-arrow'
import {TableBuilder} from '../arrow/table-builder.js'
import {quoteLiteral} from '../engine/sql-text.js'
import {logRunId} from '../metrics/run-evidence.js'
import {HISTORY_COLUMNS} from '../readers/run/run-tables.js'
import {numericValue} from '../readers/run/json-value.js'
import {readRun} from '../readers/run/read-run.js'
import type {HistoryRecord} from '../readers/wandb/records.js'
import {InputError} from '../readers/wandb/errors.js'
import {OutputSink} from '../render/output-sink.js'
import {csvTable, textTable} from '../render/text-table.js'
import {historyJsonLine} from './history-lines.js'
import {keyFilter} from './key-filter.js'
import {WideHistoryBuilder, cellText} from './wide-history.js'

export type HistoryFormat = 'table' | 'csv' | 'json' | 'jsonl' | 'arrow' | 'parquet'

export interface HistoryExport {
  run: string
  rows: number
  warnings: string[]
}

/** Whether RUN is a wandb run (a directory or a `.wandb` file) rather than a trainer stdout log, as in summarize. */
function isWandbRun(runPath: string): boolean {
  const st = statSync(runPath, {throwIfNoEntry: false})
  if (!st) throw new InputError(runPath, 'no such file or directory')
  return st.isDirectory() || runPath.endsWith('.wandb')
}

/**
 * Writes a run's history in the given format to `output` (stdout when absent). jsonl and json stream record by
 * record in bounded memory; table and csv are wide (one column per key); arrow and parquet are the long-form
 * `history` table (run_id, row, step, key, value, value_json, runtime, timestamp). RUN may also be a trainer stdout
 * log: its per-step metrics are its history (see `trainerLogHistory`).
 */
export async function exportHistory(
  runPath: string,
  format: HistoryFormat,
  opts: {keys?: string; output?: string},
): Promise<HistoryExport> {
  if ((format === 'arrow' || format === 'parquet') && !opts.output)
    throw new InputError(runPath, `--format ${format} writes a binary file: give --output FILE`)
  if (isWandbRun(runPath)) return exportRunHistory(runPath, format, opts)
  const {trainerLogHistory} = await import('./trainer-log-history.js')
  const records = await trainerLogHistory(runPath)
  return exportRecords(runPath, records, format, opts)
}

/** The history of a trainer log's records (held in memory: one per step). */
async function exportRecords(
  runPath: string,
  records: HistoryRecord[],
  format: HistoryFormat,
  opts: {keys?: string; output?: string},
): Promise<HistoryExport> {
  const keep = keyFilter(opts.keys)
  if (format === 'jsonl' || format === 'json' || format === 'table' || format === 'csv') {
    const writer = recordWriter(format, keep, opts.output)
    try {
      for (const rec of records) writer.add(rec)
      return {run: runPath, rows: writer.end(), warnings: []}
    } finally {
      writer.close()
    }
  }
  const b = new TableBuilder(HISTORY_COLUMNS)
  const runId = logRunId(runPath)
  records.forEach((rec, row) => {
    for (const it of rec.items) {
      if (keep && !keep(it.key)) continue
      const value = numericValue(it.valueJson)
      b.append({run_id: runId, row, step: rec.step, key: it.key, value, value_json: it.valueJson})
    }
  })
  const table = b.finish()
  await writeLongForm(table, format, opts.output!)
  return {run: runPath, rows: table.numRows, warnings: []}
}

/**
 * Writes history records one at a time: jsonl and json as they come, table and csv (wide) at the end. `end()` says
 * how many rows were written.
 */
function recordWriter(
  format: 'jsonl' | 'json' | 'table' | 'csv',
  keep: ((key: string) => boolean) | null,
  output?: string,
) {
  if (format === 'table' || format === 'csv') {
    const wide = new WideHistoryBuilder(keep)
    let sink: OutputSink | null = null
    return {
      add: (rec: HistoryRecord) => wide.add(rec),
      end: () => {
        const {columns, rows} = wide.finish()
        const cells = rows.map((r) => columns.map((c) => cellText(r.get(c))))
        const empty = rows.length === 0 ? 'No history rows.' : null
        const text = format === 'csv' ? csvTable(columns, cells) : (empty ?? textTable(columns, cells))
        sink = new OutputSink(output)
        sink.write(`${text}\n`)
        return rows.length
      },
      close: () => sink?.close(),
    }
  }
  const sink = new OutputSink(output)
  let rows = 0
  if (format === 'json') sink.write('[')
  return {
    add: (rec: HistoryRecord) => {
      const line = historyJsonLine(rec, keep)
      if (line === null) return
      if (format === 'json') sink.write(rows === 0 ? `\n${line}` : `,\n${line}`)
      else sink.write(`${line}\n`)
      rows++
    },
    end: () => {
      if (format === 'json') sink.write(rows === 0 ? ']\n' : '\n]\n')
      return rows
    },
    close: () => sink.close(),
  }
}

/** A wandb run's history, read from its `.wandb` log. */
async function exportRunHistory(
  runPath: string,
  format: HistoryFormat,
  opts: {keys?: string; output?: string},
): Promise<HistoryExport> {
  const keep = keyFilter(opts.keys)
  if (format === 'jsonl' || format === 'json' || format === 'table' || format === 'csv') {
    const writer = recordWriter(format, keep, opts.output)
    try {
      const data = readRun(runPath, {tables: [], onHistory: (rec) => writer.add(rec)})
      return {run: data.overview.dir, rows: writer.end(), warnings: data.warnings}
    } finally {
      writer.close()
    }
  }

  const data = readRun(runPath, {tables: ['history']})
  let table = data.tables.history!
  if (keep) {
    const keys = table.getChild('key')!
    const idx: number[] = []
    for (let i = 0; i < table.numRows; i++) if (keep(keys.get(i) as string)) idx.push(i)
    if (idx.length !== table.numRows) table = selectRows(table, idx)
  }
  await writeLongForm(table, format, opts.output!)
  return {run: data.overview.dir, rows: table.numRows, warnings: data.warnings}
}

/** The long-form `history` table as an Arrow IPC file or (through DuckDB's COPY) a Parquet file. */
async function writeLongForm(table: Table, format: 'arrow' | 'parquet', output: string): Promise<void> {
  if (format === 'arrow') {
    writeOutput(output, tableToIPC(table, 'file'))
    return
  }
  // DuckDB is loaded only for the formats that need it: it costs a third of a second at start-up.
  const {RunDatabase} = await import('../engine/run-database.js')
  const db = await RunDatabase.open()
  try {
    await db.load('history', table)
    await db.run(`COPY history TO ${quoteLiteral(output)} (FORMAT parquet, COMPRESSION zstd)`)
  } finally {
    db.close()
  }
}

function writeOutput(file: string, bytes: Uint8Array): void {
  try {
    writeFileSync(file, bytes)
  } catch (error) {
    throw new InputError(file, `cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
}

/** The rows of a long-form history table at the given indices. */
function selectRows(table: Table, idx: number[]): Table {
  const b = new TableBuilder(HISTORY_COLUMNS)
  const cols = Object.keys(HISTORY_COLUMNS).map((n) => [n, table.getChild(n)!] as const)
  for (const i of idx) {
    const row: Record<string, unknown> = {}
    for (const [n, c] of cols) row[n] = c.get(i)
    b.append(row)
  }
  return b.finish()
}

import {writeFileSync} from 'node:fs'
import {type Table, tableToIPC} from 'apache-arrow'
import {TableBuilder} from '../arrow/table-builder.js'
import {quoteLiteral} from '../engine/sql-text.js'
import {HISTORY_COLUMNS} from '../readers/run/run-tables.js'
import {readRun} from '../readers/run/read-run.js'
import {InputError} from '../readers/wandb/errors.js'
import {OutputSink} from '../render/output-sink.js'
import {csvTable, textTable} from '../render/text-table.js'
import type {TableLayout} from '../render/fit-table.js'
import {historyJsonLine} from './history-lines.js'
import {keyFilter} from './key-filter.js'
import {WideHistoryBuilder, cellText} from './wide-history.js'

export type HistoryFormat = 'table' | 'csv' | 'json' | 'jsonl' | 'arrow' | 'parquet'

export interface HistoryExport {
  run: string
  rows: number
  warnings: string[]
}

/**
 * Writes a run's history in the given format to `output` (stdout when absent). jsonl and json stream record by
 * record in bounded memory; table and csv are wide (one column per key); arrow and parquet are the long-form
 * `history` table (run_id, row, step, key, value, value_json, runtime, timestamp).
 */
export async function exportHistory(
  runPath: string,
  format: HistoryFormat,
  opts: {keys?: string; output?: string; layout?: TableLayout},
): Promise<HistoryExport> {
  const keep = keyFilter(opts.keys)
  if ((format === 'arrow' || format === 'parquet') && !opts.output)
    throw new InputError(runPath, `--format ${format} writes a binary file: give --output FILE`)

  if (format === 'jsonl' || format === 'json') {
    const sink = new OutputSink(opts.output)
    let rows = 0
    try {
      if (format === 'json') sink.write('[')
      const data = readRun(runPath, {
        tables: [],
        onHistory: (rec) => {
          const line = historyJsonLine(rec, keep)
          if (line === null) return
          if (format === 'json') sink.write(rows === 0 ? `\n${line}` : `,\n${line}`)
          else sink.write(`${line}\n`)
          rows++
        },
      })
      if (format === 'json') sink.write(rows === 0 ? ']\n' : '\n]\n')
      return {run: data.overview.dir, rows, warnings: data.warnings}
    } finally {
      sink.close()
    }
  }

  if (format === 'table' || format === 'csv') {
    const wide = new WideHistoryBuilder(keep)
    const data = readRun(runPath, {tables: [], onHistory: (rec) => wide.add(rec)})
    const {columns, rows} = wide.finish()
    const cells = rows.map((r) => columns.map((c) => cellText(r.get(c))))
    const text = format === 'csv' ? csvTable(columns, cells) : rows.length === 0 ? 'No history rows.' : textTable(columns, cells, {layout: opts.layout})
    const sink = new OutputSink(opts.output)
    sink.write(`${text}\n`)
    sink.close()
    return {run: data.overview.dir, rows: rows.length, warnings: data.warnings}
  }

  const data = readRun(runPath, {tables: ['history']})
  let table = data.tables.history!
  if (keep) {
    const keys = table.getChild('key')!
    const idx: number[] = []
    for (let i = 0; i < table.numRows; i++) if (keep(keys.get(i) as string)) idx.push(i)
    if (idx.length !== table.numRows) table = selectRows(table, idx)
  }
  if (format === 'arrow') {
    writeOutput(opts.output!, tableToIPC(table, 'file'))
  } else {
    // DuckDB is loaded only for the formats that need it: it costs a third of a second at start-up.
    const {RunDatabase} = await import('../engine/run-database.js')
    const db = await RunDatabase.open()
    try {
      await db.load('history', table)
      await db.run(`COPY history TO ${quoteLiteral(opts.output!)} (FORMAT parquet, COMPRESSION zstd)`)
    } finally {
      db.close()
    }
  }
  return {run: data.overview.dir, rows: table.numRows, warnings: data.warnings}
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

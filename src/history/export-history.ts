import {writeFileSync} from 'node:fs'
import {type Table, tableToIPC} from 'apache-arrow'
import {TableBuilder} from '../arrow/table-builder.js'
import {quoteLiteral} from '../engine/sql-text.js'
import {HISTORY_COLUMNS} from '../readers/run/run-tables.js'
import {readRun} from '../readers/run/read-run.js'
import {InputError} from '../readers/wandb/errors.js'
import {OutputSink} from '../render/output-sink.js'
import {csvTable, textTable} from '../render/text-table.js'
import {writeHistoryJsonLine} from './history-lines.js'
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
  opts: {keys?: string; output?: string},
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
          if (format === 'json') {
            // The separator goes before the line, which the filter may leave out: the line's first piece writes it.
            let first = true
            const write = (text: string) => {
              if (first) sink.write(rows === 0 ? '\n' : ',\n')
              first = false
              sink.write(text)
            }
            if (writeHistoryJsonLine(rec, keep, write)) rows++
          } else if (writeHistoryJsonLine(rec, keep, (text) => sink.write(text))) {
            sink.write('\n')
            rows++
          }
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
    const warnings = [...data.warnings]
    const sink = new OutputSink(opts.output)
    try {
      if (format === 'csv') writeCsv(sink, columns, rows)
      else if (rows.length === 0) sink.write('No history rows.\n')
      else {
        // A terminal table of 100,000 columns is unreadable and slow to lay out: the first ones are shown.
        const shown = columns.length > MAX_TABLE_COLUMNS ? columns.slice(0, MAX_TABLE_COLUMNS) : columns
        if (shown.length < columns.length) {
          warnings.push(
            `${data.overview.dir}: the table shows the first ${MAX_TABLE_COLUMNS} of ` +
              `${columns.length.toLocaleString('en-US')} columns (--keys picks columns; --format csv has them all)`,
          )
        }
        const cells = rows.map((r) => shown.map((c) => cellText(r.get(c), MAX_CELL_CHARS)))
        sink.write(`${textTable(shown, cells)}\n`)
      }
    } finally {
      sink.close()
    }
    return {run: data.overview.dir, rows: rows.length, warnings}
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

/** Columns of a terminal history table, at most (csv has them all). */
export const MAX_TABLE_COLUMNS = 100
/** Characters of a terminal table's cell, at most (a longer value is cut, saying how much was left out). */
export const MAX_CELL_CHARS = 1000
/** Rows turned into CSV text at a time. */
const CSV_ROWS = 1000

/** The wide history as CSV, written a slice of rows at a time (a whole table as one string can exceed memory). */
function writeCsv(sink: OutputSink, columns: string[], rows: Array<Map<string, string>>): void {
  sink.write(csvTable(columns, []))
  for (let i = 0; i < rows.length; i += CSV_ROWS) {
    const cells = rows.slice(i, i + CSV_ROWS).map((r) => columns.map((c) => cellText(r.get(c))))
    // No header: the text starts with the empty header line's end.
    sink.write(csvTable([], cells))
  }
  sink.write('\n')
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

import {statSync} from 'node:fs'
import {readRunOverview} from '../readers/run/read-overview.js'
import type {HistoryRecord} from '../readers/wandb/records.js'
import {InputError} from '../errors.js'
import {OutputSink} from '../render/output-sink.js'
import {csvTable, textTable} from '../render/text-table.js'
import type {TableLayout} from '../render/fit-table.js'
import {writeHistoryJsonLine} from './history-lines.js'
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

/** jsonl and json stream in bounded memory; table and csv are wide; arrow and parquet the long-form table. */
export async function exportHistory(
  runPath: string,
  format: HistoryFormat,
  opts: {keys?: string; output?: string; layout?: TableLayout},
): Promise<HistoryExport> {
  if ((format === 'arrow' || format === 'parquet') && !opts.output)
    throw new InputError(runPath, `--format ${format} writes a binary file: give --output FILE`)
  if (isWandbRun(runPath)) return exportRunHistory(runPath, format, opts)
  const {trainerLogHistory} = await import('./trainer-log-history.js')
  const records = await trainerLogHistory(runPath)
  return exportRecords(runPath, records, format, opts)
}

async function exportRecords(
  runPath: string,
  records: HistoryRecord[],
  format: HistoryFormat,
  opts: {keys?: string; output?: string; layout?: TableLayout},
): Promise<HistoryExport> {
  const keep = keyFilter(opts.keys)
  if (isRecordFormat(format)) {
    return writeRecords(format, keep, opts, (add) => {
      for (const rec of records) add(rec)
      return {run: runPath, warnings: []}
    })
  }
  const {exportRecordsLongForm} = await import('./long-form-history.js')
  return exportRecordsLongForm(runPath, records, format, keep, opts.output!)
}

/** Columns of a terminal history table, at most (csv has them all). */
export const MAX_TABLE_COLUMNS = 100
/** Characters of a terminal table's cell, at most (a longer value is cut, saying how much was left out). */
export const MAX_CELL_CHARS = 1000
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

/** The wide history as a terminal table: at most MAX_TABLE_COLUMNS columns, long cells cut; what was left out. */
function writeTable(
  sink: OutputSink,
  columns: string[],
  rows: Array<Map<string, string>>,
  run: string,
  layout?: TableLayout,
): string[] {
  if (rows.length === 0) {
    sink.write('No history rows.\n')
    return []
  }
  // A terminal table of 100,000 columns is unreadable and slow to lay out: the first ones are shown.
  const shown = columns.length > MAX_TABLE_COLUMNS ? columns.slice(0, MAX_TABLE_COLUMNS) : columns
  const cells = rows.map((r) => shown.map((c) => cellText(r.get(c), MAX_CELL_CHARS)))
  sink.write(`${textTable(shown, cells, {layout})}\n`)
  if (shown.length === columns.length) return []
  return [
    `${run}: the table shows the first ${MAX_TABLE_COLUMNS} of ${columns.length.toLocaleString('en-US')} columns ` +
      '(--keys picks columns; --format csv has them all)',
  ]
}

/** jsonl and json as records come (a huge value in pieces); table and csv, being wide, at the end. */
function recordWriter(
  format: RecordFormat,
  keep: ((key: string) => boolean) | null,
  output?: string,
  layout?: TableLayout,
) {
  if (format === 'table' || format === 'csv') {
    const wide = new WideHistoryBuilder(keep)
    let sink: OutputSink | null = null
    return {
      add: (rec: HistoryRecord) => wide.add(rec),
      end: (run: string) => {
        const {columns, rows} = wide.finish()
        sink = new OutputSink(output)
        if (format === 'csv') {
          writeCsv(sink, columns, rows)
          return {rows: rows.length, warnings: [] as string[]}
        }
        return {rows: rows.length, warnings: writeTable(sink, columns, rows, run, layout)}
      },
      close: () => sink?.close(),
    }
  }
  const sink = new OutputSink(output)
  let rows = 0
  if (format === 'json') sink.write('[')
  return {
    add: (rec: HistoryRecord) => {
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
    end: (_run: string) => {
      if (format === 'json') sink.write(rows === 0 ? ']\n' : '\n]\n')
      return {rows, warnings: [] as string[]}
    },
    close: () => sink.close(),
  }
}

type RecordFormat = 'jsonl' | 'json' | 'table' | 'csv'
const isRecordFormat = (format: HistoryFormat): format is RecordFormat =>
  format === 'jsonl' || format === 'json' || format === 'table' || format === 'csv'

function writeRecords(
  format: RecordFormat,
  keep: ((key: string) => boolean) | null,
  opts: {output?: string; layout?: TableLayout},
  feed: (add: (rec: HistoryRecord) => void) => {run: string; warnings: string[]},
): HistoryExport {
  const writer = recordWriter(format, keep, opts.output, opts.layout)
  try {
    const {run, warnings} = feed((rec) => writer.add(rec))
    const written = writer.end(run)
    return {run, rows: written.rows, warnings: [...warnings, ...written.warnings]}
  } finally {
    writer.close()
  }
}

async function exportRunHistory(
  runPath: string,
  format: HistoryFormat,
  opts: {keys?: string; output?: string; layout?: TableLayout},
): Promise<HistoryExport> {
  const keep = keyFilter(opts.keys)
  if (isRecordFormat(format)) {
    return writeRecords(format, keep, opts, (add) => {
      const data = readRunOverview(runPath, {onHistory: add})
      return {run: data.overview.dir, warnings: data.warnings}
    })
  }
  // Arrow is loaded only for the formats that need it (as DuckDB, for Parquet).
  const {exportRunLongForm} = await import('./long-form-history.js')
  return exportRunLongForm(runPath, format, keep, opts.output!)
}

import {writeFileSync} from 'node:fs'
import {type Table, tableToIPC} from 'apache-arrow'
import {TableBuilder} from '../arrow/table-builder.js'
import {quoteLiteral} from '../engine/sql-text.js'
import {logRunId} from '../ingest/log-run-id.js'
import {HISTORY_COLUMNS} from '../readers/run/run-tables.js'
import {numericValue} from '../readers/run/json-value.js'
import {readRun} from '../readers/run/read-run.js'
import type {HistoryRecord} from '../readers/wandb/records.js'
import {InputError} from '../errors.js'

type LongFormat = 'arrow' | 'parquet'
/** As export-history's `HistoryExport` (not imported: that module imports this one). */
type Written = {run: string; rows: number; warnings: string[]}

/** A trainer log's history records as the long-form `history` table (`--format arrow|parquet`). */
export async function exportRecordsLongForm(
  runPath: string,
  records: HistoryRecord[],
  format: LongFormat,
  keep: ((key: string) => boolean) | null,
  output: string,
): Promise<Written> {
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
  await writeLongForm(table, format, output)
  return {run: runPath, rows: table.numRows, warnings: []}
}

/** A wandb run's long-form `history` table (`--format arrow|parquet`). */
export async function exportRunLongForm(
  runPath: string,
  format: LongFormat,
  keep: ((key: string) => boolean) | null,
  output: string,
): Promise<Written> {
  const data = readRun(runPath, {tables: ['history']})
  let table = data.tables.history!
  if (keep) {
    const keys = table.getChild('key')!
    const idx: number[] = []
    for (let i = 0; i < table.numRows; i++) if (keep(keys.get(i) as string)) idx.push(i)
    if (idx.length !== table.numRows) table = selectRows(table, idx)
  }
  await writeLongForm(table, format, output)
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

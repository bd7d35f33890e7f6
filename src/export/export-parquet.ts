import {mkdirSync} from 'node:fs'
import {join, resolve} from 'node:path'
import type {RunDatabase} from '../engine/run-database.js'
import {quoteLiteral} from '../engine/sql-text.js'
import {InputError} from '../readers/wandb/errors.js'

/** The raw-event tables `export` writes (the metric views are recomputed by whoever reads the dataset). */
export const EXPORTED_TABLES = [
  'runs',
  'history',
  'summary',
  'steps',
  'samples',
  'judge_events',
  'api_calls',
  'step_tallies',
  'collector_summaries',
  'step_metrics',
  'warnings',
] as const

export interface ExportResult {
  dir: string
  tables: Array<{table: string; rows: number; runs: number}>
}


/**
 * Writes the loaded tables as a Parquet dataset partitioned by table and run: `DIR/table=<name>/run=<run_id>/*.parquet`
 * (Hive-style, readable by DuckDB, Spark, Trino, ClickHouse). Existing partitions of the same runs are replaced.
 */
export async function exportParquet(db: RunDatabase, dir: string): Promise<ExportResult> {
  const root = resolve(dir)
  try {
    mkdirSync(root, {recursive: true})
  } catch (error) {
    throw new InputError(dir, `cannot create the export folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  const tables: ExportResult['tables'] = []
  for (const table of EXPORTED_TABLES) {
    const [{rows, runs}] = await db.query(`SELECT count(*)::BIGINT AS rows, count(DISTINCT run_id)::BIGINT AS runs FROM "${table}"`)
    tables.push({table, rows: Number(rows), runs: Number(runs)})
    if (Number(rows) === 0) continue
    const target = join(root, `table=${table}`)
    await db.run(
      `COPY (SELECT *, run_id AS run FROM "${table}") TO ${quoteLiteral(target)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (run), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'part-{i}')`,
    )
  }
  return {dir: root, tables}
}

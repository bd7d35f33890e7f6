import {mkdtempSync, rmSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {makeDirectory} from '../render/make-directory.js'
import type {RunDatabase} from '../engine/run-database.js'
import {quoteLiteral} from '../engine/sql-text.js'
import {InputError} from '../errors.js'
import {placeExportedParts} from './export-files.js'
import {EVIDENCE_TABLES} from '../ingest/evidence-tables.js'

/** The raw-event tables `export` writes (the metric views are recomputed by whoever reads the dataset). */
export const EXPORTED_TABLES = EVIDENCE_TABLES

export interface ExportResult {
  dir: string
  tables: Array<{table: string; rows: number; runs: number}>
}

/** Hive-style `DIR/table=<name>/run=<run_id>/*.parquet`; only files an earlier export wrote are replaced. */
export async function exportParquet(db: RunDatabase, dir: string): Promise<ExportResult> {
  const root = resolve(dir)
  try {
    makeDirectory(root)
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error)
    throw new InputError(dir, `cannot create the export folder (${why})`)
  }
  // Written next to DIR's partitions first (same file system: moved into place by renaming), removed in any case.
  let staging: string
  try {
    staging = mkdtempSync(join(root, '.runlog-staging-'))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    throw new InputError(dir, `cannot write into the export folder (${code})`)
  }
  const removeStaging = () => rmSync(staging, {recursive: true, force: true})
  process.once('exit', removeStaging)
  try {
    const tables = await copyTables(db, staging)
    placeExportedParts(root, staging)
    return {dir: root, tables}
  } finally {
    removeStaging()
    process.off('exit', removeStaging)
  }
}

async function copyTables(db: RunDatabase, root: string): Promise<ExportResult['tables']> {
  const tables: ExportResult['tables'] = []
  for (const table of EXPORTED_TABLES) {
    const [{rows, runs}] = await db.query(
      `SELECT count(*)::BIGINT AS rows, count(DISTINCT run_id)::BIGINT AS runs FROM "${table}"`,
    )
    tables.push({table, rows: Number(rows), runs: Number(runs)})
    if (Number(rows) === 0) continue
    const target = join(root, `table=${table}`)
    await db.run(
      `COPY (SELECT *, run_id AS run FROM "${table}") TO ${quoteLiteral(target)} ` +
        "(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (run), FILENAME_PATTERN 'part-{i}')",
    )
  }
  return tables
}

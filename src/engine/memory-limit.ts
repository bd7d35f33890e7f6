import {InputError} from '../readers/wandb/errors.js'

/**
 * DuckDB's memory limit unless `RUNLOG_DUCKDB_MEMORY` says otherwise. The 130 MB benchmark run's tables take ~120 MB;
 * the 1 GB run's took 919 MB, which past this limit go to disk. 128 MB against 256 MB: the 1 GB run's peak 836 against
 * 1,001 MiB (its history loaded while read), in the same time.
 */
export const DEFAULT_MEMORY_LIMIT = '128MB'

/** DuckDB's memory limit: `RUNLOG_DUCKDB_MEMORY` (checked: DuckDB's own error for a bad value names no setting) or the default. */
export function duckdbMemoryLimit(): string {
  const value = process.env.RUNLOG_DUCKDB_MEMORY?.trim()
  if (!value) return DEFAULT_MEMORY_LIMIT
  if (!/^\d+(\.\d+)?\s*([KMGT]i?B|B)$/i.test(value)) throw new InputError('RUNLOG_DUCKDB_MEMORY', `${JSON.stringify(value)} is not a memory size (e.g. 512MB, 2GB)`)
  return value
}

import {InputError} from '../readers/wandb/errors.js'

/**
 * DuckDB's memory limit unless `RUNLOG_DUCKDB_MEMORY` says otherwise. Past it, a big run's tables go to disk: a lower
 * peak of memory, in the same time (BENCHMARKS.md).
 */
export const DEFAULT_MEMORY_LIMIT = '128MB'

/**
 * DuckDB's memory limit: `RUNLOG_DUCKDB_MEMORY` (checked here: DuckDB's error for a bad value names no setting) or the
 * default.
 */
export function duckdbMemoryLimit(): string {
  const value = process.env.RUNLOG_DUCKDB_MEMORY?.trim()
  if (!value) return DEFAULT_MEMORY_LIMIT
  if (!/^\d+(\.\d+)?\s*([KMGT]i?B|B)$/i.test(value))
    throw new InputError('RUNLOG_DUCKDB_MEMORY', `${JSON.stringify(value)} is not a memory size (e.g. 512MB, 2GB)`)
  return value
}

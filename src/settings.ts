/** The only reader of `RUNLOG_*` variables (`docs/settings.md` lists them, a test checks). Imports only errors.ts. */
import {InputError} from './errors.js'

export interface Setting {
  name: `RUNLOG_${string}`
  default: string
  meaning: string
}

/** A console or log line longer than this is cut (its first bytes are kept, the rest is skipped and counted). */
export const DEFAULT_MAX_LINE_BYTES = 4 << 20

/**
 * A `.wandb` record larger than this is skipped whole (and counted), without being joined in memory. wandb's own sync
 * drops history lines over ~10 MB; much larger records would not fit DuckDB's default memory limit.
 */
export const DEFAULT_MAX_RECORD_BYTES = 32 << 20

/** DuckDB's memory limit: past it, tables spill to a temporary directory instead of holding all of a big run. */
export const DEFAULT_DUCKDB_MEMORY = '128MB'

/** Rows the console parser holds before writing finished steps out: bounds a big log's heap for little time. */
export const DEFAULT_SETTLE_ROWS = 100_000

export const SETTINGS = [
  {
    name: 'RUNLOG_MAX_LINE_BYTES',
    default: '4194304 (4 MiB)',
    meaning: 'Longest console or trainer-log line kept whole; the rest of a longer line is skipped and counted.',
  },
  {
    name: 'RUNLOG_MAX_RECORD_BYTES',
    default: '33554432 (32 MiB)',
    meaning: 'Largest `.wandb` record read; a larger one is skipped whole and counted in a warning.',
  },
  {
    name: 'RUNLOG_DUCKDB_MEMORY',
    default: DEFAULT_DUCKDB_MEMORY,
    meaning: "DuckDB's memory limit (a size such as 512MB or 2GB); past it, tables spill to a temporary directory.",
  },
  {
    name: 'RUNLOG_THREADS',
    default: 'every core',
    meaning: 'Most threads used to read several runs (or to read and parse one big run side by side).',
  },
  {
    name: 'RUNLOG_PARALLEL_MIN_BYTES',
    default: 'set per task',
    meaning: 'Input size from which worker threads are started; 0 always starts them.',
  },
  {
    name: 'RUNLOG_SETTLE_ROWS',
    default: String(DEFAULT_SETTLE_ROWS),
    meaning: "Parsed console rows held before a big log's finished steps are written out as table parts.",
  },
  {
    name: 'RUNLOG_HISTORY_BATCH_ROWS',
    default: '65536',
    meaning: "Rows per record batch of a big run's history as it goes into DuckDB.",
  },
  {
    name: 'RUNLOG_DEBUG',
    default: 'unset',
    meaning: 'Any value: an unexpected error prints its stack trace instead of one line.',
  },
  {
    name: 'RUNLOG_FORCE_OCLIF',
    default: 'unset',
    meaning:
      'Any value: every command line goes through oclif, never the fast start-up path (for tests and debugging).',
  },
] as const satisfies readonly Setting[]

export type SettingName = (typeof SETTINGS)[number]['name']

function raw(name: SettingName): string | undefined {
  return process.env[name]
}

/** A size limit: a bad value falls back to the default rather than removing the bound. */
function positiveInteger(name: SettingName, fallback: number): number {
  const value = raw(name)
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  return Number.isSafeInteger(n) && n > 0 ? n : fallback
}

export function maxLineBytes(): number {
  return positiveInteger('RUNLOG_MAX_LINE_BYTES', DEFAULT_MAX_LINE_BYTES)
}

export function maxRecordBytes(): number {
  return positiveInteger('RUNLOG_MAX_RECORD_BYTES', DEFAULT_MAX_RECORD_BYTES)
}

/** `RUNLOG_DUCKDB_MEMORY` as set (trimmed), or the default; not checked, for messages. */
export function duckdbMemoryShown(): string {
  return raw('RUNLOG_DUCKDB_MEMORY')?.trim() || DEFAULT_DUCKDB_MEMORY
}

/** `RUNLOG_DUCKDB_MEMORY`, checked here because DuckDB's own error for a bad value names no setting. */
export function duckdbMemory(): string {
  const value = raw('RUNLOG_DUCKDB_MEMORY')?.trim()
  if (!value) return DEFAULT_DUCKDB_MEMORY
  if (!/^\d+(\.\d+)?\s*([KMGT]i?B|B)$/i.test(value)) {
    throw new InputError('RUNLOG_DUCKDB_MEMORY', `${JSON.stringify(value)} is not a memory size (e.g. 512MB, 2GB)`)
  }
  return value
}

/** `RUNLOG_THREADS`, or undefined (every core) when unset, zero or not a number. */
export function threads(): number | undefined {
  return Number(raw('RUNLOG_THREADS')) || undefined
}

/** `RUNLOG_PARALLEL_MIN_BYTES`, or undefined when unset (each task has its own threshold). */
export function parallelMinBytes(): number | undefined {
  const value = raw('RUNLOG_PARALLEL_MIN_BYTES')
  return value === undefined ? undefined : Number(value)
}

/** `RUNLOG_SETTLE_ROWS`, or `DEFAULT_SETTLE_ROWS` when unset, zero or not a number. */
export function settleRows(): number {
  return Number(raw('RUNLOG_SETTLE_ROWS')) || DEFAULT_SETTLE_ROWS
}

/** `RUNLOG_HISTORY_BATCH_ROWS`, or undefined (the table builder's batch size) when unset, zero or not a number. */
export function historyBatchRows(): number | undefined {
  return Number(raw('RUNLOG_HISTORY_BATCH_ROWS')) || undefined
}

export function debug(): boolean {
  return Boolean(raw('RUNLOG_DEBUG'))
}

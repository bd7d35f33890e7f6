import type {RecordBatch, Table} from 'apache-arrow'
import type {ReadProgress} from '../read-progress.js'
import type {DamageReport} from '../wandb/damage.js'
import type {ConsoleLine} from '../wandb/console-lines.js'
import type {HistoryRecord} from '../wandb/records.js'
import type {RunLocation} from './locate-run.js'
import type {RunState} from './run-state.js'

/** One run as `runlog ls` lists it. */
export interface RunOverview {
  dir: string
  id: string | null
  name: string | null
  project: string | null
  entity: string | null
  state: RunState
  exit_code: number | null
  /** Distinct history steps. */
  steps: number
  last_step: number | null
  history_rows: number
  wandb_version: string | null
  started_at: string | null
  runtime_s: number | null
  bytes: number
  unreadable_bytes: number
}

/** The tables a run is read into (`runs` always). */
export const ALL_TABLES = ['runs', 'history', 'summary', 'config', 'console', 'system', 'media', 'metrics'] as const
export type RunTableName = (typeof ALL_TABLES)[number]

export interface ReadRunOptions {
  /** Tables to build besides `runs` (default: all). History items are only decoded when needed. */
  tables?: ReadonlyArray<RunTableName>
  /** Called for every history record, in file order. */
  onHistory?: (rec: HistoryRecord) => void
  /** Called for every reassembled console line, in order per stream. */
  onConsoleLine?: (line: ConsoleLine) => void
  /** Undecoded `OutputRecord` bytes, valid during the call only. Not with `onConsoleLine` or the `console` table. */
  onOutputRecord?: (body: Uint8Array) => void
  /** Clock for the running/crashed decision (tests). */
  nowMs?: number
  /** So a big run's history need not all stay in memory; the table then holds only the rows after the last batch. */
  onHistoryBatch?: (batch: RecordBatch) => void
  /** Rows per record batch of the history (default `BATCH_ROWS`, 65,536). */
  historyBatchRows?: number
  /** Called after each MiB of the `.wandb` file read, with the bytes read so far and its size (a progress bar). */
  onProgress?: ReadProgress
}

/** A run as read, without its tables. */
export interface RunOverviewData {
  location: RunLocation
  overview: RunOverview
  damage: DamageReport
  /** Human-readable problems (damage, unreadable side files); the data is still usable. */
  warnings: string[]
  /** From the log, else `files/wandb-summary.json`; without the `summary` table only `_wandb` and `_runtime`. */
  summary: Map<string, string>
}

export interface RunData extends RunOverviewData {
  tables: Partial<Record<RunTableName, Table>> & {runs: Table}
}

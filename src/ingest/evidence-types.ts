import type {RecordBatch, Table} from 'apache-arrow'
import type {ReadProgress} from '../readers/read-progress.js'
import type {RunError} from '../readers/trainer/types.js'
import type {ParseWorker, TableSink} from './console-parsing.js'
import type {RunFollower} from './run-follower.js'

/** What a run is: its identity, state and the files its figures come from. */
export interface RunInfo {
  id: string | null
  name: string | null
  project: string | null
  state: 'finished' | 'failed' | 'running' | 'crashed' | 'unknown'
  exit_code: number | null
  steps: number | null
  wandb_version: string | null
  sources: string[]
  /** The exception that ended a trainer log's run (Ray's and Hydra's wrappers unwrapped); null otherwise. */
  error: RunError | null
}

export interface RunEvidence {
  runId: string
  info: RunInfo
  warnings: string[]
  /** The warnings (among `warnings`) about reading the run's files: damage, a truncated log, unreadable side files. */
  damage: string[]
  /** The console lines the run's `.wandb` holds (0 when none or when --stdout replaced them). */
  consoleLines: number
}

/** One run's raw events as Arrow tables, before they go into a database (what a worker thread sends back). */
export interface CollectedEvidence extends RunEvidence {
  /** The rows of each table, in one or more parts (the wandb Tables' samples, then the samples parsed from stdout). */
  tables: Record<string, Table[]>
}

/** A run being read: the tables ready once its log is read, and the rest once its console is parsed. */
export interface StartedEvidence {
  runId: string
  /** Ready now. The samples' parts are read as iterated (once), adding warnings: take them before `rest`. */
  early: Record<string, Iterable<Table>>
  /** With `onTable`, each table is handed to it in turn and `tables` stays empty. */
  rest(onTable?: TableSink): Promise<CollectedEvidence>
}

export interface StartOptions {
  stdout?: string
  /** The run is live: its reader's snapshot is taken. */
  follower?: RunFollower
  /** Told the bytes of the log read so far (a progress bar). */
  onProgress?: ReadProgress
  /** Takes the history as it is read, a batch at a time (`early.history` then holds only the rows after the last). */
  onHistoryBatch?: (batch: RecordBatch) => void
  historyBatchRows?: number
  /** Read whenever this thread waits for the console's worker (`early` then has none). */
  onTableSamples?: (part: Table) => void
  /** The worker to parse the console on, started ahead (see `consoleOnWorker`); null: none (parsed in this thread). */
  parseWorker?: ParseWorker | null
  /** For a trainer log: its finished steps' tables as parsed (awaited; `rest` hands over only what follows). */
  onLogPart?: TableSink
}

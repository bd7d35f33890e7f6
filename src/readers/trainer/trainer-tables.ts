import type {Table} from 'apache-arrow'
import {rowsTable} from '../../arrow/row-columns.js'
import {type ColumnSpec, TableBuilder} from '../../arrow/table-builder.js'
import type {SettledBatch, TrainerEvents} from './types.js'

export const STEPS_COLUMNS = {
  step: 'int64',
  max_step: 'int64',
  family: 'utf8',
  batch_problems: 'int32',
  train_correct: 'int32',
  train_total: 'int32',
  avg_correctness_score: 'float64',
  val_correct: 'int32',
  val_total: 'int32',
  complete: 'bool',
  origin: 'utf8',
  line: 'int64',
} as const satisfies ColumnSpec

export const SAMPLES_COLUMNS = {
  step: 'int64',
  split: 'utf8',
  sample_id: 'utf8',
  group_id: 'utf8',
  source: 'utf8',
  source_from: 'utf8',
  problem_type: 'utf8',
  correctness: 'float64',
  correct: 'bool',
  reward: 'float64',
  cost: 'float64',
  cost_from: 'utf8',
  reported_cost: 'float64',
  elapsed_s: 'float64',
  exec_failed: 'bool',
  executor_calls: 'int32',
  judge_calls: 'int32',
  judge_status: 'utf8',
  verdict: 'utf8',
  origin: 'utf8',
  line: 'int64',
} as const satisfies ColumnSpec

export const JUDGE_EVENTS_COLUMNS = {
  step: 'int64',
  split: 'utf8',
  sample_id: 'utf8',
  source: 'utf8',
  status: 'utf8',
  verdict: 'utf8',
  judge_bool: 'bool',
  score: 'float64',
  label: 'utf8',
  message: 'utf8',
  origin: 'utf8',
  line: 'int64',
} as const satisfies ColumnSpec

export const API_CALLS_COLUMNS = {
  step: 'int64',
  split: 'utf8',
  role: 'utf8',
  sample_id: 'utf8',
  source: 'utf8',
  method: 'utf8',
  url: 'utf8',
  http_status: 'int32',
  input_tokens: 'int64',
  output_tokens: 'int64',
  total_tokens: 'int64',
  cost: 'float64',
  cost_input: 'float64',
  cost_output: 'float64',
  origin: 'utf8',
  line: 'int64',
} as const satisfies ColumnSpec

export const STEP_TALLIES_COLUMNS = {
  step: 'int64',
  split: 'utf8',
  source: 'utf8',
  correct: 'int32',
  total: 'int32',
  accuracy_pct: 'float64',
  avg_score: 'float64',
  kind: 'utf8',
  counted: 'bool',
  origin: 'utf8',
  line: 'int64',
} as const satisfies ColumnSpec

export const COLLECTOR_SUMMARIES_COLUMNS = {
  step: 'int64',
  split: 'utf8',
  kind: 'utf8',
  source: 'utf8',
  key: 'utf8',
  value: 'float64',
  origin: 'utf8',
  line: 'int64',
} as const satisfies ColumnSpec

export const STEP_METRICS_COLUMNS = {
  step: 'int64',
  key: 'utf8',
  value: 'float64',
  family: 'utf8',
  origin: 'utf8',
  line: 'int64',
} as const satisfies ColumnSpec

export const WARNINGS_COLUMNS = {
  step: 'int64',
  kind: 'utf8',
  message: 'utf8',
  origin: 'utf8',
  line: 'int64',
} as const satisfies ColumnSpec

/** The column spec of every trainer table, by table name. */
export const TRAINER_TABLE_COLUMNS = {
  steps: STEPS_COLUMNS,
  samples: SAMPLES_COLUMNS,
  judge_events: JUDGE_EVENTS_COLUMNS,
  api_calls: API_CALLS_COLUMNS,
  step_tallies: STEP_TALLIES_COLUMNS,
  collector_summaries: COLLECTOR_SUMMARIES_COLUMNS,
  step_metrics: STEP_METRICS_COLUMNS,
  warnings: WARNINGS_COLUMNS,
} as const

export type TrainerTableName = keyof typeof TRAINER_TABLE_COLUMNS

/** Low-cardinality text (split, source, origin, role, status…) is dictionary-encoded: cheaper to build and to load. */
function build(spec: ColumnSpec, rows: readonly object[]): Table {
  const b = new TableBuilder(spec, {dictionary: true})
  b.appendRows(rows)
  return b.finish()
}

/** The event list of `TrainerEvents` each trainer table is built from. */
export const TRAINER_TABLE_EVENTS = {
  steps: 'steps',
  samples: 'samples',
  judge_events: 'judgeEvents',
  api_calls: 'apiCalls',
  step_tallies: 'stepTallies',
  collector_summaries: 'collectorSummaries',
  step_metrics: 'stepMetrics',
  warnings: 'warnings',
} as const satisfies Record<TrainerTableName, keyof TrainerEvents>

const {steps: _steps, warnings: _warnings, ...settledTables} = TRAINER_TABLE_EVENTS
/** The tables of the events `TrainerParser.takeSettled` hands on in batches (steps and warnings come from `finish`). */
export const SETTLED_TABLES = settledTables satisfies Partial<Record<TrainerTableName, keyof SettledBatch>>

/** One part of a trainer table (a table may come in several: a long log's finished steps, then the rest). */
export interface TablePart {
  name: TrainerTableName
  table: Table
}

/**
 * The non-empty tables of a settled batch, as table parts: read in one pass straight into typed columns (`rowsTable`,
 * the same bytes as `build`, far less CPU). The other tables keep `build`: with `rowsTable` for the last tables too, a
 * 1 GB run's `summarize` peaked ~25 MiB higher on average (the worker's last tables are its memory peak).
 */
export function settledParts(batch: SettledBatch): TablePart[] {
  const parts: TablePart[] = []
  for (const [name, key] of Object.entries(SETTLED_TABLES) as Array<[TrainerTableName, keyof SettledBatch]>) {
    if (batch[key].length > 0) parts.push({name, table: rowsTable(TRAINER_TABLE_COLUMNS[name], batch[key])})
  }
  return parts
}

/** The trainer events as Arrow tables, one per table name, each with its column spec's columns (also when empty). */
export function trainerTables(e: TrainerEvents): Record<TrainerTableName, Table> {
  const out = {} as Record<TrainerTableName, Table>
  for (const name of Object.keys(TRAINER_TABLE_EVENTS) as TrainerTableName[]) {
    out[name] = trainerTable(name, e[TRAINER_TABLE_EVENTS[name]])
  }
  return out
}

/** One trainer table from its rows (e.g. the samples of a run's wandb Tables). */
export function trainerTable(name: TrainerTableName, rows: readonly object[]): Table {
  return build(TRAINER_TABLE_COLUMNS[name], rows)
}

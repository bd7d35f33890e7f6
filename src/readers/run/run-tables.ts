import type {ColumnSpec} from '../../arrow/table-builder.js'

/** Column specs of the Arrow tables the run reader produces (documented in the README). */
export const RUNS_COLUMNS = {
  run_id: 'utf8',
  name: 'utf8',
  project: 'utf8',
  entity: 'utf8',
  dir: 'utf8',
  log_file: 'utf8',
  state: 'utf8',
  exit_code: 'int32',
  steps: 'int64',
  last_step: 'int64',
  history_rows: 'int64',
  wandb_version: 'utf8',
  started_at: 'timestamp',
  runtime_s: 'float64',
  bytes: 'int64',
  unreadable_bytes: 'int64',
  host: 'utf8',
  group: 'utf8',
  job_type: 'utf8',
} satisfies ColumnSpec

export const HISTORY_COLUMNS = {
  run_id: 'utf8',
  /** Index of the history record in the file (0-based): one record = one logged row. */
  row: 'int64',
  step: 'int64',
  key: 'utf8',
  /** The value as a number when it is one (NaN, ±Infinity included; booleans 1/0), else null. */
  value: 'float64',
  value_json: 'utf8',
  /** `_runtime` of the row: seconds since the run started. */
  runtime: 'float64',
  /** `_timestamp` of the row: Unix seconds. */
  timestamp: 'float64',
} satisfies ColumnSpec

export const SUMMARY_COLUMNS = {
  run_id: 'utf8',
  key: 'utf8',
  value: 'float64',
  value_json: 'utf8',
} satisfies ColumnSpec

export const CONFIG_COLUMNS = {
  run_id: 'utf8',
  key: 'utf8',
  value_json: 'utf8',
  /** 'log' (config records in the .wandb) or 'config.yaml' (the files/ fallback). */
  origin: 'utf8',
} satisfies ColumnSpec

export const CONSOLE_COLUMNS = {
  run_id: 'utf8',
  stream: 'utf8',
  line_no: 'int64',
  timestamp: 'float64',
  text: 'utf8',
} satisfies ColumnSpec

export const SYSTEM_COLUMNS = {
  run_id: 'utf8',
  timestamp: 'float64',
  key: 'utf8',
  value: 'float64',
  value_json: 'utf8',
} satisfies ColumnSpec

export const MEDIA_COLUMNS = {
  run_id: 'utf8',
  step: 'int64',
  key: 'utf8',
  /** wandb's `_type`, e.g. `table-file`, `image-file`, `html-file`. */
  type: 'utf8',
  /** Path relative to the run's `files/`. */
  path: 'utf8',
  /** Whether the file is present in the run directory. */
  present: 'bool',
  /** 'history' or 'summary'. */
  origin: 'utf8',
} satisfies ColumnSpec

export const METRICS_COLUMNS = {
  run_id: 'utf8',
  name: 'utf8',
  step_metric: 'utf8',
} satisfies ColumnSpec

/**
 * Row types of the trainer stdout reader. Every field name is the column name of the Arrow table / SQL view
 * (snake_case); `null` is an Arrow null. See docs/trainer-reader.md for what each column means.
 */

export type Split = 'train' | 'val'
export type Origin = 'stdout' | 'wandb_table'
export type JudgeStatus = 'success' | 'parse_failure' | 'api_failure'
export type Verdict = 'correct' | 'incorrect'

/** Correctness at or above this is a correct answer (specs/metrics.md). */
export const CORRECT_THRESHOLD = 0.9

export interface StepRow {
  step: number
  /** M of `📍 Step N/M`, when printed. */
  max_step: number | null
  /** The pattern family that saw the step (`grpo-workflow`, `verl`, `trl-dict`, `roll-json`). */
  family: string
  /** Problems in the step's batch (`📦 Batch N: K 样本`). */
  batch_problems: number | null
  /** `🎯 准确率统计: a/b = p% (平均正确性评分: s/1.0)`: the trainer's own claim for the step. */
  train_correct: number | null
  train_total: number | null
  avg_correctness_score: number | null
  /** `📊 验证集结果:` `准确率: a/b`: the validation run at this step, when there was one. */
  val_correct: number | null
  val_total: number | null
  /** The step printed its end-of-step accuracy/tally or a later step started (false: the log stopped inside it). */
  complete: boolean
  origin: Origin
  line: number | null
}

export interface SampleRow {
  step: number | null
  split: Split
  /** `S1-2/2` (problem 1, rollout 2 of 2) or `V3`, as printed. */
  sample_id: string | null
  /** The GRPO group (`S1`): rollouts of one problem, hence one source. */
  group_id: string | null
  /** Dataset, e.g. `gsm8k`; null when unknown. */
  source: string | null
  /** How the source is known: `stdout` (its own `source=` line), `sibling` (another rollout of the same problem),
   *  `step_tally` (the only dataset the step's tally leaves for it), `wandb_table`; null when unknown. */
  source_from: string | null
  /** `math` / `code` / `qa`. */
  problem_type: string | null
  correctness: number | null
  /** correctness ≥ 0.9. */
  correct: boolean | null
  reward: number | null
  /** USD: Σ cost of the sample's API calls when the log prints per-call costs, else the cost the trainer reported. */
  cost: number | null
  /** `api_calls` | `reported` | `wandb_table`. */
  cost_from: string | null
  /** `🧪 执行成功 | cost: x` (rounded by the trainer to 4 decimals). */
  reported_cost: number | null
  /** Seconds, `用时: 6.77s`. */
  elapsed_s: number | null
  /** Execution failed (`❌ 执行失败`): no judge, no source line. */
  exec_failed: boolean
  executor_calls: number | null
  judge_calls: number | null
  judge_status: JudgeStatus | null
  verdict: Verdict | null
  origin: Origin
  /** 1-based line of the sample's closing line (stdout) or row index (wandb table). */
  line: number | null
}

export interface JudgeEventRow {
  step: number | null
  split: Split
  sample_id: string | null
  source: string | null
  status: JudgeStatus | null
  /** success only: the judge's `判决: True/False` when printed, else score ≥ 0.9. */
  verdict: Verdict | null
  /** The raw `判决: True|False`, when printed. */
  judge_bool: boolean | null
  /** The graded verdict `判决: ✅ 完美 (1.0)` → 1.0. */
  score: number | null
  /** `完美`, `接近`, … */
  label: string | null
  /** The failure message (`APITimeoutError: …`). */
  message: string | null
  origin: Origin
  line: number | null
}

export interface ApiCallRow {
  step: number | null
  split: Split | null
  /** `judge` when it is the first call after a judge prompt line (`📋 使用数据集专属Prompt`), else `executor`. */
  role: 'executor' | 'judge'
  /** The sample the call was attributed to (in log order: approximate when workflows run concurrently). */
  sample_id: string | null
  source: string | null
  method: string | null
  url: string | null
  http_status: number | null
  input_tokens: number | null
  output_tokens: number | null
  total_tokens: number | null
  cost: number | null
  cost_input: number | null
  cost_output: number | null
  origin: Origin
  line: number
}

export interface StepTallyRow {
  step: number | null
  split: Split
  source: string
  correct: number
  total: number
  accuracy_pct: number | null
  avg_score: number | null
  /** `step_tally` (`📈 子数据集准确率:`) or `collector_summary` (`📊 数据集统计摘要:`). */
  kind: 'step_tally' | 'collector_summary'
  /** Exactly one block per (step, split) is counted: the step tally when both were printed. Sum only counted rows. */
  counted: boolean
  origin: Origin
  line: number
}

export interface CollectorSummaryRow {
  step: number | null
  split: Split | null
  /** `judge` | `cost` | `dataset` | `accuracy`. */
  kind: string
  /** Source of a `dataset` claim, else null. */
  source: string | null
  key: string
  value: number
  origin: Origin
  line: number
}

export interface StepMetricRow {
  step: number
  key: string
  value: number
  /** `verl` | `trl-dict` | `roll-json` | `grpo-workflow` (its `📊 Metrics:` block). */
  family: string
  origin: Origin
  line: number
}

export interface WarningRow {
  step: number | null
  /** `wandb_dropped_step`, `wandb`, `traceback`, `tally_mismatch`, `orphan_line`, `incomplete`, `wandb_table`, … */
  kind: string
  message: string
  origin: Origin
  line: number | null
}

/**
 * The events that make a step's figures, settled together: every event of some finished steps (handed on while a long
 * log is parsed), or all the rest at the end.
 */
export interface SettledBatch {
  samples: SampleRow[]
  judgeEvents: JudgeEventRow[]
  apiCalls: ApiCallRow[]
  stepTallies: StepTallyRow[]
  collectorSummaries: CollectorSummaryRow[]
  stepMetrics: StepMetricRow[]
}

/** The exception (or kill) that ended a run, as printed: Ray's `RayTaskError(X)` unwrapped to `X`. */
export interface RunError {
  type: string
  message: string
  /** 1-based line of the exception line in the log. */
  line: number
}

/**
 * How a log ends, from its text alone: `finished` (the trainer's end-of-training summary, or its training bar at 100 %,
 * and no exception after it), `failed` (an exception or a kill after the last trainer output), else null (the caller
 * tells a running log from a crashed one by its modification time).
 */
export interface RunEnd {
  state: 'finished' | 'failed' | null
  error: RunError | null
}

/** Everything a parser found: the events settled per step, the steps and the warnings. */
export interface TrainerEvents extends SettledBatch {
  steps: StepRow[]
  warnings: WarningRow[]
  end: RunEnd
  /** Lines pushed. */
  lines: number
  /** Bytes read, for files. */
  bytes?: number
}

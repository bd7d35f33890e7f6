/** Typed results of the metric views: `--json`, tables and charts are all built from these, never recomputed. */

import type {RunInfo} from '../ingest/evidence-types.js'

/** Where a figure came from, most trusted first. */
export type Origin = 'samples' | 'step_tallies' | 'logged' | 'collector_summary' | 'none'

/** What a run is (read by ingestion; the `run` of every summary). */
export type {RunInfo}

export interface DatasetFigure {
  split: 'train' | 'val'
  source: string
  correct: number | null
  count: number | null
  /** Percent, 0–100. */
  accuracy: number | null
  /** The 95 % Wilson score interval of the accuracy, percent; null when the count is unknown. */
  ci_low: number | null
  ci_high: number | null
  avg_reward: number | null
  /** USD per sample. */
  avg_cost: number | null
  origin: Origin
}

/** Overall accuracy of a split: its datasets with known counts, summed. */
export interface SplitFigure {
  split: 'train' | 'val'
  correct: number
  count: number
  /** Percent, with its 95 % Wilson score interval. */
  accuracy: number
  ci_low: number
  ci_high: number
}

export type DiagnosisKind = 'judge_health' | 'judge_window' | 'dataset_gap' | 'dataset_trend'

/** A finding of the diagnosis views (`src/metrics/sql/09_diagnosis.sql`); see docs/diagnosis-and-check.md. */
export interface Diagnosis {
  kind: DiagnosisKind
  severity: 'alert' | 'notice'
  split: 'train' | 'val' | null
  source: string | null
  from_step: number | null
  to_step: number | null
  value: number | null
  threshold: number | null
  message: string
}

/** The diagnosis' parameters (`--judge-threshold`, `--window`). */
export interface DiagnosisOptions {
  /** Judge success rate below which the judge is unhealthy (fraction). */
  judgeThreshold: number
  /** Steps (with judge calls) in the windowed judge success rate. */
  window: number
}

export const DEFAULT_DIAGNOSIS: DiagnosisOptions = {judgeThreshold: 0.8, window: 5}

export interface JudgeFigure {
  calls: number | null
  success: number | null
  parse_failures: number | null
  api_failures: number | null
  /** Fractions, 0–1. */
  success_rate: number | null
  parse_failure_rate: number | null
  api_failure_rate: number | null
  correct: number | null
  incorrect: number | null
  correct_ratio: number | null
  origin: Origin
}

export interface CostFigure {
  /** USD. */
  total_cost: number | null
  samples: number | null
  avg_cost_per_sample: number | null
  executor_calls: number | null
  judge_calls: number | null
  api_calls: number | null
  origin: Origin
}

export interface Check {
  metric: string
  step: number
  logged: number
  recomputed: number
}

/** One per key, most telling first: validation, then rewards and accuracy, then losses, then the rest. */
export interface StepMetric {
  key: string
  /** `wandb` (the run's history, preferred when a metric is in both) or the stdout family: `verl`, `trl-dict`, … */
  origin: string
  points: number
  /** On the trainer's step axis (`train/global_step` / `trainer/global_step` when the history logs one). */
  first_step: number
  last_step: number
  first: number
  last: number
  min: number
  max: number
}

export interface Summary {
  run: RunInfo
  datasets: DatasetFigure[]
  splits: SplitFigure[]
  judge: JudgeFigure
  cost: CostFigure
  checks: Check[]
  metrics: StepMetric[]
  warnings: string[]
  /** Alerts first. */
  diagnosis: Diagnosis[]
}

/** Per-step series behind the charts (and `summarize --json`'s optional detail). */
export interface StepDatasetPoint {
  step: number
  split: 'train' | 'val'
  source: string
  correct: number
  count: number
  /** Percent. */
  accuracy: number
  /** The 95 % Wilson score interval, percent. */
  ci_low: number
  ci_high: number
}

export interface StepJudgePoint {
  step: number
  calls: number
  success_rate: number | null
  parse_failure_rate: number | null
  api_failure_rate: number | null
}

export interface StepCostPoint {
  step: number
  /** USD spent at this step (training samples). */
  cost: number | null
  /** USD spent up to and including this step. */
  cumulative_cost: number | null
}

export interface SummarySeries {
  datasets: StepDatasetPoint[]
  judge: StepJudgePoint[]
  cost: StepCostPoint[]
}

/** One accuracy figure of every compared run. */
export interface CompareAccuracy {
  /** Percent per run, in the order of `runs`; null where the run has no such figure. */
  accuracy: Array<number | null>
  /** The 95 % Wilson score interval per run, percent. */
  ci_low: Array<number | null>
  ci_high: Array<number | null>
  count: Array<number | null>
  /** Last run − first run, in percentage points. */
  delta_pp: number | null
  /** Whether the first and the last run's intervals do not overlap (false when either is unknown). */
  significant: boolean
}

export interface CompareResult {
  runs: RunInfo[]
  datasets: Array<{split: 'train' | 'val'; source: string} & CompareAccuracy>
  splits: Array<{split: 'train' | 'val'} & CompareAccuracy>
  judge: JudgeFigure[]
  cost: CostFigure[]
  /** Each run's diagnosis, in the order of `runs`. */
  diagnosis: Diagnosis[][]
}

export interface EfficiencyStep {
  step: number
  /** USD spent on the step's training samples. */
  cost: number | null
  correct: number
  samples: number
  /** Percent. */
  accuracy: number
  /** USD per correct answer; null when there is no correct answer or cost is unknown. */
  cost_per_correct: number | null
}

export interface EfficiencyResult {
  best: EfficiencyStep | null
  steps: EfficiencyStep[]
  /** Steps not beaten on both cumulative cost (lower is better) and accuracy (higher is better). */
  pareto: Array<EfficiencyStep & {cumulative_cost: number | null}>
}

/**
 * The figures runlog computes (meanings in the README's "Metrics" section, following the trainer's collectors).
 * These are the typed results commands return for `--json` and the data charts draw; every chart and table is built
 * from these objects, never by recomputing a metric.
 */

import type {RunError} from '../readers/trainer/types.js'

/** Where a figure came from, most trusted first. */
export type Origin = 'samples' | 'step_tallies' | 'logged' | 'collector_summary' | 'none'

export interface RunInfo {
  id: string | null
  name: string | null
  project: string | null
  state: 'finished' | 'failed' | 'running' | 'crashed' | 'unknown'
  exit_code: number | null
  steps: number | null
  wandb_version: string | null
  /** Files read to build the figures. */
  sources: string[]
  /** The exception that ended a trainer log's run (Ray's and Hydra's wrappers unwrapped); null otherwise. */
  error: RunError | null
}

export interface DatasetFigure {
  split: 'train' | 'val'
  source: string
  correct: number | null
  count: number | null
  /** Percent, 0–100. */
  accuracy: number | null
  avg_reward: number | null
  /** USD per sample. */
  avg_cost: number | null
  origin: Origin
}

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

export interface Summary {
  run: RunInfo
  datasets: DatasetFigure[]
  judge: JudgeFigure
  cost: CostFigure
  checks: Check[]
  warnings: string[]
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

export interface CompareResult {
  runs: RunInfo[]
  datasets: Array<{
    split: 'train' | 'val'
    source: string
    /** Percent per run, in the order of `runs`; null where the run has no such dataset. */
    accuracy: Array<number | null>
    count: Array<number | null>
    /** Last run − first run, in percentage points. */
    delta_pp: number | null
  }>
  judge: JudgeFigure[]
  cost: CostFigure[]
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

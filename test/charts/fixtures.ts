/** Hand-built, realistic chart inputs: 6 datasets, 30 steps, validation every 10 steps. */
import type {
  CompareResult,
  CostFigure,
  EfficiencyResult,
  EfficiencyStep,
  JudgeFigure,
  RunInfo,
  StepCostPoint,
  StepDatasetPoint,
  StepJudgePoint,
  Summary,
  SummarySeries,
} from '../../src/metrics/types.js'
import type {CompareChartInput} from '../../src/charts/compare-chart.js'
import type {EfficiencyChartInput} from '../../src/charts/efficiency-chart.js'
import type {SummaryChartInput} from '../../src/charts/summary-chart.js'
import {wilsonPercent} from '../helpers/wilson.js'
import {compareSummaries} from '../../src/metrics/compare-runs.js'

export const DATASETS = ['gsm8k', 'math', 'hotpotqa', 'humaneval', 'mmlu', 'commonsenseqa'] as const
export const STEPS = 30
const BASE: Record<string, number> = {gsm8k: 52, math: 28, hotpotqa: 41, humaneval: 33, mmlu: 58, commonsenseqa: 66}
const TRAIN_BATCH = 16
const VAL_COUNT = 100

/** A small deterministic pseudo-random generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface RunOptions {
  id: string
  name: string | null
  seed: number
  /** Percentage points gained over the 30 steps. */
  gain: number
  /** USD per training sample. */
  costPerSample: number
  /** Datasets this run does not have. */
  without?: string[]
  /** Steps whose judge rates are unknown. */
  unknownJudgeSteps?: number[]
  /** Steps whose cost is unknown. */
  unknownCostSteps?: number[]
  /** judge_window alerts of the diagnosis: [from_step, to_step]. */
  judgeWindows?: Array<[number, number]>
}

export interface BuiltRun {
  summary: Summary
  series: SummarySeries
  efficiency: EfficiencyResult
}

export function buildRun(o: RunOptions): BuiltRun {
  const rand = rng(o.seed)
  const datasets = DATASETS.filter((d) => !(o.without ?? []).includes(d))
  const points: StepDatasetPoint[] = []
  const judge: StepJudgePoint[] = []
  const cost: StepCostPoint[] = []
  const steps: EfficiencyStep[] = []
  let cumulative: number | null = 0
  for (let step = 1; step <= STEPS; step++) {
    let stepCorrect = 0
    let stepSamples = 0
    for (const d of datasets) {
      const p = Math.min(0.97, (BASE[d] + (o.gain * step) / STEPS) / 100)
      let correct = 0
      for (let i = 0; i < TRAIN_BATCH; i++) if (rand() < p) correct++
      points.push({
        step,
        split: 'train',
        source: d,
        correct,
        count: TRAIN_BATCH,
        accuracy: (100 * correct) / TRAIN_BATCH,
        ...wilsonPercent(correct, TRAIN_BATCH),
      })
      stepCorrect += correct
      stepSamples += TRAIN_BATCH
      if (step % 10 === 0) {
        const vc = Math.round(VAL_COUNT * (p + (rand() - 0.5) * 0.04))
        points.push({
          step,
          split: 'val',
          source: d,
          correct: vc,
          count: VAL_COUNT,
          accuracy: (100 * vc) / VAL_COUNT,
          ...wilsonPercent(vc, VAL_COUNT),
        })
      }
    }
    const calls = stepSamples
    const unknownJudge = (o.unknownJudgeSteps ?? []).includes(step)
    const parse = 0.005 + rand() * 0.025
    const api = step >= 12 && step <= 14 ? 0.04 + rand() * 0.03 : rand() * 0.01
    judge.push({
      step,
      calls,
      success_rate: unknownJudge ? null : 1 - parse - api,
      parse_failure_rate: unknownJudge ? null : parse,
      api_failure_rate: unknownJudge ? null : api,
    })
    const unknownCost = (o.unknownCostSteps ?? []).includes(step)
    const c = unknownCost ? null : stepSamples * o.costPerSample * (0.85 + rand() * 0.3)
    cumulative = c === null || cumulative === null ? null : cumulative + c
    cost.push({step, cost: c, cumulative_cost: cumulative})
    steps.push({
      step,
      cost: c,
      correct: stepCorrect,
      samples: stepSamples,
      accuracy: (100 * stepCorrect) / stepSamples,
      cost_per_correct: c === null || stepCorrect === 0 ? null : c / stepCorrect,
    })
  }
  let best: EfficiencyStep | null = null
  for (const s of steps)
    if (s.cost_per_correct !== null && (best === null || s.cost_per_correct < (best.cost_per_correct as number)))
      best = s
  const cumByStep = new Map(cost.map((c) => [c.step, c.cumulative_cost]))
  const withCum = steps.map((s) => ({...s, cumulative_cost: cumByStep.get(s.step) ?? null}))
  const pareto = withCum.filter(
    (s) =>
      s.cumulative_cost !== null &&
      !withCum.some(
        (t) =>
          t !== s &&
          t.cumulative_cost !== null &&
          t.cumulative_cost <= (s.cumulative_cost as number) &&
          t.accuracy >= s.accuracy &&
          (t.cumulative_cost < (s.cumulative_cost as number) || t.accuracy > s.accuracy),
      ),
  )
  const totalCost = cost.reduce((a, c) => a + (c.cost ?? 0), 0)
  const samples = steps.reduce((a, s) => a + s.samples, 0)
  const run: RunInfo = {
    id: o.id,
    name: o.name,
    project: 'grpo-multitask',
    state: 'finished',
    exit_code: 0,
    steps: STEPS,
    wandb_version: '0.19.1',
    sources: [`wandb/offline-run-20251124_010713-${o.id}/run-${o.id}.wandb`],
    error: null,
  }
  const judgeFigure: JudgeFigure = {
    calls: samples,
    success: Math.round(samples * 0.97),
    parse_failures: Math.round(samples * 0.018),
    api_failures: Math.round(samples * 0.012),
    success_rate: 0.97,
    parse_failure_rate: 0.018,
    api_failure_rate: 0.012,
    correct: null,
    incorrect: null,
    correct_ratio: null,
    origin: 'samples',
  }
  const costFigure: CostFigure = {
    total_cost: totalCost,
    samples,
    avg_cost_per_sample: totalCost / samples,
    executor_calls: samples,
    judge_calls: samples,
    api_calls: 2 * samples,
    origin: 'samples',
  }
  const last = (split: 'train' | 'val', d: string) =>
    points
      .filter((p) => p.split === split && p.source === d)
      .reduce((a, p) => ({correct: a.correct + p.correct, count: a.count + p.count}), {correct: 0, count: 0})
  const summary: Summary = {
    run,
    datasets: datasets.flatMap((d) =>
      (['train', 'val'] as const).map((split) => {
        const t = last(split, d)
        return {
          split,
          source: d,
          correct: t.correct,
          count: t.count,
          accuracy: (100 * t.correct) / t.count,
          ...wilsonPercent(t.correct, t.count),
          avg_reward: null,
          avg_cost: split === 'train' ? o.costPerSample : null,
          origin: 'samples' as const,
        }
      }),
    ),
    splits: (['train', 'val'] as const).map((split) => {
      const t = points
        .filter((p) => p.split === split)
        .reduce((a, p) => ({correct: a.correct + p.correct, count: a.count + p.count}), {correct: 0, count: 0})
      return {
        split,
        correct: t.correct,
        count: t.count,
        accuracy: (100 * t.correct) / t.count,
        ...wilsonPercent(t.correct, t.count),
      }
    }),
    judge: judgeFigure,
    cost: costFigure,
    checks: [],
    metrics: [],
    warnings: [],
    diagnosis: (o.judgeWindows ?? []).map(([from, to]) => ({
      kind: 'judge_window' as const,
      severity: 'alert' as const,
      split: null,
      source: null,
      from_step: from,
      to_step: to,
      value: 0.5,
      threshold: 0.8,
      message: `judge success rate over 5-step windows fell to 50.0 % (below 80 %) from step ${from} to step ${to}`,
    })),
  }
  return {summary, series: {datasets: points, judge, cost}, efficiency: {best, steps, pareto}}
}

export const RUN_A = buildRun({
  id: 'ieqh524y',
  name: 'grpo-qwen2.5-7b-lr1e-6',
  seed: 7,
  gain: 18,
  costPerSample: 0.0042,
  unknownJudgeSteps: [17],
  unknownCostSteps: [23],
  judgeWindows: [[12, 14]],
})

export const RUN_B = buildRun({
  id: 'k2m9xq1p',
  name: 'grpo-qwen2.5-7b-lr3e-6 <judge=gpt-4o-mini & "strict">',
  seed: 11,
  gain: 26,
  costPerSample: 0.0031,
  without: ['humaneval'],
})

export const SUMMARY_INPUT: SummaryChartInput = {summary: RUN_A.summary, series: RUN_A.series, judgeThreshold: 0.8}

export function compareResult(runs: BuiltRun[]): CompareResult {
  return compareSummaries(runs.map((r) => r.summary))
}

export const COMPARE_INPUT: CompareChartInput = {
  runs: [RUN_A, RUN_B].map((r) => ({name: r.summary.run.name as string, summary: r.summary, series: r.series})),
  compare: compareResult([RUN_A, RUN_B]),
}

export const EFFICIENCY_INPUT: EfficiencyChartInput = {
  run: RUN_A.summary.run,
  efficiency: RUN_A.efficiency,
  costs: RUN_A.series.cost,
}

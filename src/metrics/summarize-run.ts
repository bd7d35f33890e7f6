import type {Row, RunDatabase} from '../engine/run-database.js'
import {quoteLiteral} from '../engine/sql-text.js'
import type {Check, CostFigure, DatasetFigure, JudgeFigure, Origin, Summary, SummarySeries} from './types.js'
import type {RunEvidence} from './run-evidence.js'

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/** Datasets of one run, train before val, largest first. */
async function datasetFigures(db: RunDatabase, runId: string): Promise<DatasetFigure[]> {
  const rows = await db.query(
    `SELECT * FROM dataset_figures WHERE run_id = ${quoteLiteral(runId)} ORDER BY split = 'val', count DESC, source`,
  )
  return rows.map((r) => ({
    split: r.split as 'train' | 'val',
    source: String(r.source),
    correct: num(r.correct),
    count: num(r.count),
    accuracy: num(r.accuracy),
    avg_reward: num(r.avg_reward),
    avg_cost: num(r.avg_cost),
    origin: r.origin as Origin,
  }))
}

const NO_JUDGE: JudgeFigure = {
  calls: null,
  success: null,
  parse_failures: null,
  api_failures: null,
  success_rate: null,
  parse_failure_rate: null,
  api_failure_rate: null,
  correct: null,
  incorrect: null,
  correct_ratio: null,
  origin: 'none',
}

async function judgeFigure(db: RunDatabase, runId: string): Promise<{figure: JudgeFigure; mostCalls: number | null}> {
  const [r] = await db.query(`SELECT * FROM judge_figures WHERE run_id = ${quoteLiteral(runId)}`)
  if (!r) return {figure: NO_JUDGE, mostCalls: null}
  return {
    figure: {
      calls: num(r.calls),
      success: num(r.success),
      parse_failures: num(r.parse_failures),
      api_failures: num(r.api_failures),
      success_rate: num(r.success_rate),
      parse_failure_rate: num(r.parse_failure_rate),
      api_failure_rate: num(r.api_failure_rate),
      correct: num(r.correct),
      incorrect: num(r.incorrect),
      correct_ratio: num(r.correct_ratio),
      origin: r.origin as Origin,
    },
    mostCalls: num(r.most_calls),
  }
}

async function costFigure(db: RunDatabase, runId: string): Promise<{figure: CostFigure; allZero: boolean}> {
  const [r] = await db.query(`SELECT * FROM cost_figures WHERE run_id = ${quoteLiteral(runId)}`)
  if (!r)
    return {
      figure: {total_cost: null, samples: null, avg_cost_per_sample: null, executor_calls: null, judge_calls: null, api_calls: null, origin: 'none'},
      allZero: false,
    }
  return {
    figure: {
      total_cost: num(r.total_cost),
      samples: num(r.samples),
      avg_cost_per_sample: num(r.avg_cost_per_sample),
      executor_calls: num(r.executor_calls),
      judge_calls: num(r.judge_calls),
      api_calls: num(r.api_calls),
      origin: r.origin as Origin,
    },
    allZero: Boolean(r.all_zero),
  }
}

async function checks(db: RunDatabase, runId: string): Promise<{checks: Check[]; apiCallCounters: Row[]}> {
  const id = quoteLiteral(runId)
  const [data, counters] = await Promise.all([
    db.query(`SELECT metric, step, logged, recomputed FROM dataset_checks WHERE run_id = ${id}`),
    db.query(`SELECT metric, step, logged, recomputed, counts_api_calls FROM counter_checks WHERE run_id = ${id}`),
  ])
  const all = [...data, ...counters.filter((c) => !c.counts_api_calls)]
    .map((r) => ({metric: String(r.metric), step: Number(r.step), logged: Number(r.logged), recomputed: Number(r.recomputed)}))
    .sort((a, b) => a.step - b.step || a.metric.localeCompare(b.metric))
  return {checks: all, apiCallCounters: counters.filter((c) => c.counts_api_calls)}
}

/** Warnings about the evidence itself: what is missing, partial or suspicious. */
async function evidenceWarnings(
  db: RunDatabase,
  runId: string,
  judge: {figure: JudgeFigure; mostCalls: number | null},
  cost: {figure: CostFigure; allZero: boolean},
  apiCallCounters: Row[],
): Promise<string[]> {
  const id = quoteLiteral(runId)
  const out: string[] = []
  if (cost.allZero) out.push('every cost in this run is reported as 0: cost figures are unknown, not zero')
  if (judge.figure.origin !== 'none' && judge.mostCalls !== null && judge.figure.calls !== null) {
    const [ev] = await db.query(
      `SELECT (SELECT count(*) FROM judge_events WHERE run_id = ${id}) AS events, (SELECT count(judge_status) FROM chosen_samples WHERE run_id = ${id}) AS sample_outcomes`,
    )
    const seen = Math.max(Number(ev.events), Number(ev.sample_outcomes))
    if (seen > 0 && seen < judge.figure.calls)
      out.push(`judge verdicts are printed for only ${seen} of ${judge.figure.calls} judge calls: judge figures come from the trainer's ${judge.figure.origin === 'logged' ? 'logged' : 'printed'} counters`)
  }
  const [unattributed] = await db.query(
    `SELECT count(*) FILTER (WHERE source IS NULL) AS n, count(*) AS total FROM chosen_samples WHERE run_id = ${id}`,
  )
  if (Number(unattributed.n) > 0)
    out.push(`${unattributed.n} of ${unattributed.total} per-sample events name no dataset (failed executions print no source=): per-dataset counts come from the step tallies where printed; these events still count toward judge and cost`)
  const [partial] = await db.query(`
    SELECT count(*) AS n, list(DISTINCT s.step ORDER BY s.step) AS steps FROM samples s
    JOIN incomplete_steps i ON i.run_id = s.run_id AND i.step = s.step
    WHERE s.run_id = ${id} AND s.split = 'train' AND s.origin <> 'wandb_table'`)
  if (Number(partial.n) > 0)
    out.push(`${partial.n} sample(s) of step ${formatSteps(partial.steps as number[])}, which the log was cut off inside, are left out of the per-dataset and per-step figures`)
  if (apiCallCounters.length > 0) {
    const keys = [...new Set(apiCallCounters.map((c) => String(c.metric)))].sort().join(' and ')
    out.push(`the trainer's ${keys} count API calls, not samples (at ${apiCallCounters.length} logged value(s))`)
  }
  const [gap] = await db.query(`
    WITH printed AS (SELECT DISTINCT step FROM steps WHERE run_id = ${id} AND step IS NOT NULL),
         logged AS (SELECT DISTINCT step FROM history WHERE run_id = ${id})
    SELECT (SELECT count(*) FROM logged) AS logged_steps,
           list(step ORDER BY step) FILTER (WHERE step NOT IN (SELECT step FROM logged)) AS missing
    FROM printed`)
  const missing = (gap?.missing as number[] | null) ?? []
  if (Number(gap?.logged_steps ?? 0) > 0 && missing.length > 0)
    out.push(`${missing.length} step(s) appear in stdout but not in the wandb history: ${formatSteps(missing)}`)
  return out
}

function formatSteps(steps: number[]): string {
  return steps.length <= 10 ? steps.join(', ') : `${steps.slice(0, 10).join(', ')}, … (${steps.length - 10} more)`
}

/** The `summarize` figures of one loaded run, from the metric views. */
export async function summarizeRun(db: RunDatabase, ev: RunEvidence): Promise<Summary> {
  // The figures' queries run at once (one connection and one core each).
  const [judge, cost, c, datasets] = await Promise.all([judgeFigure(db, ev.runId), costFigure(db, ev.runId), checks(db, ev.runId), datasetFigures(db, ev.runId)])
  const warnings = [...new Set([...ev.warnings, ...(await evidenceWarnings(db, ev.runId, judge, cost, c.apiCallCounters))])]
  return {
    run: ev.info,
    datasets,
    judge: judge.figure,
    cost: cost.figure,
    checks: c.checks,
    warnings,
  }
}

/** The per-step series behind the charts. */
export async function summarySeries(db: RunDatabase, runId: string): Promise<SummarySeries> {
  const id = quoteLiteral(runId)
  const datasets = await db.query(
    `SELECT step, split, source, correct, count, 100.0 * correct / count AS accuracy FROM step_datasets WHERE run_id = ${id} AND count > 0 ORDER BY split, source, step`,
  )
  const judge = await db.query(`SELECT step, calls, success_rate, parse_failure_rate, api_failure_rate FROM step_judge WHERE run_id = ${id} ORDER BY step`)
  const cost = await db.query(
    `SELECT step, cost, sum(cost) OVER (ORDER BY step) AS cumulative_cost FROM step_training WHERE run_id = ${id} ORDER BY step`,
  )
  return {
    datasets: datasets.map((r) => ({
      step: Number(r.step),
      split: r.split as 'train' | 'val',
      source: String(r.source),
      correct: Number(r.correct),
      count: Number(r.count),
      accuracy: Number(r.accuracy),
    })),
    judge: judge.map((r) => ({
      step: Number(r.step),
      calls: Number(r.calls),
      success_rate: num(r.success_rate),
      parse_failure_rate: num(r.parse_failure_rate),
      api_failure_rate: num(r.api_failure_rate),
    })),
    cost: cost.map((r) => ({step: Number(r.step), cost: num(r.cost), cumulative_cost: r.cost === null ? null : num(r.cumulative_cost)})),
  }
}

export interface TrainerMetric {
  key: string
  origin: string
  points: number
  first: number
  last: number
  min: number
  max: number
  last_step: number
}

/**
 * The run's own per-step metrics (for runs of trainers without GRPO per-sample evidence), most telling first:
 * validation, rewards and accuracy, then losses, then the rest; at most `limit`.
 */
export async function trainerMetrics(db: RunDatabase, runId: string, limit = 15): Promise<TrainerMetric[]> {
  const rows = await db.query(`
    SELECT * FROM trainer_metrics WHERE run_id = ${quoteLiteral(runId)}
    ORDER BY CASE WHEN regexp_matches(key, '(^|[/_-])(val|eval|validation|test)([/_-]|$)') THEN 0 WHEN regexp_matches(key, 'reward|acc|score') THEN 1
                  WHEN regexp_matches(key, 'loss') THEN 2 ELSE 3 END, key
    LIMIT ${Number(limit)}`)
  return rows.map((r) => ({
    key: String(r.key),
    origin: String(r.origin),
    points: Number(r.points),
    first: Number(r.first),
    last: Number(r.last),
    min: Number(r.min),
    max: Number(r.max),
    last_step: Number(r.last_step),
  }))
}

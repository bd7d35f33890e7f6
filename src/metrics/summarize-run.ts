import type {Row, RunDatabase} from '../engine/run-database.js'
import {quoteLiteral} from '../engine/sql-text.js'
import {
  type Check,
  type CostFigure,
  type DatasetFigure,
  DEFAULT_DIAGNOSIS,
  type Diagnosis,
  type DiagnosisOptions,
  type JudgeFigure,
  type Origin,
  type StepMetric,
  type SplitFigure,
  type Summary,
  type SummarySeries,
} from './types.js'
import type {RunEvidence} from '../ingest/evidence-types.js'
import {diagnosisSql} from './metric-sql.js'

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/** The columns `keys` of a row, as numbers (null stays null), in that order. */
function numbers<K extends string>(r: Row, keys: readonly K[]): Record<K, number | null> {
  const out = {} as Record<K, number | null>
  for (const k of keys) out[k] = num(r[k])
  return out
}

const JUDGE_NUMBERS = [
  'calls', 'success', 'parse_failures', 'api_failures', 'success_rate', 'parse_failure_rate', 'api_failure_rate', 'correct', 'incorrect', 'correct_ratio',
] as const satisfies ReadonlyArray<keyof JudgeFigure>
const COST_NUMBERS = ['total_cost', 'samples', 'avg_cost_per_sample', 'executor_calls', 'judge_calls', 'api_calls'] as const satisfies ReadonlyArray<keyof CostFigure>

/**
 * The rows of a query over the given runs, by run id. Each figure is queried once for all the runs (a `--all` over 197
 * runs queried every view once per run, and a view like `counter_checks` reads every run each time: 14 s of
 * summaries, now one query per figure).
 */
async function byRun(db: RunDatabase, runIds: readonly string[], query: string, orderBy = 'run_id'): Promise<Map<string, Row[]>> {
  const rows = await db.query(`SELECT * FROM (${query}) WHERE run_id IN (${runIds.map(quoteLiteral).join(', ')}) ORDER BY ${orderBy}`)
  const out = new Map<string, Row[]>()
  for (const r of rows) {
    const id = String(r.run_id)
    const list = out.get(id)
    if (list) list.push(r)
    else out.set(id, [r])
  }
  return out
}

/** Datasets of each run, train before val, largest first. */
async function datasetFigures(db: RunDatabase, runIds: readonly string[]): Promise<Map<string, DatasetFigure[]>> {
  const rows = await byRun(db, runIds, 'SELECT * FROM dataset_figures', "run_id, split = 'val', count DESC, source")
  const out = new Map<string, DatasetFigure[]>()
  for (const [id, list] of rows) {
    out.set(
      id,
      list.map((r) => ({
        split: r.split as 'train' | 'val',
        source: String(r.source),
        correct: num(r.correct),
        count: num(r.count),
        accuracy: num(r.accuracy),
        ci_low: num(r.ci_low),
        ci_high: num(r.ci_high),
        avg_reward: num(r.avg_reward),
        avg_cost: num(r.avg_cost),
        origin: r.origin as Origin,
      })),
    )
  }
  return out
}

/** Overall accuracy per split of each run, train first. */
async function splitFigures(db: RunDatabase, runIds: readonly string[]): Promise<Map<string, SplitFigure[]>> {
  const rows = await byRun(db, runIds, 'SELECT * FROM split_figures', "run_id, split = 'val'")
  const out = new Map<string, SplitFigure[]>()
  for (const [id, list] of rows)
    out.set(
      id,
      list.map((r) => ({
        split: r.split as 'train' | 'val',
        correct: Number(r.correct),
        count: Number(r.count),
        accuracy: Number(r.accuracy),
        ci_low: Number(r.ci_low),
        ci_high: Number(r.ci_high),
      })),
    )
  return out
}

/** The diagnosis of each run: alerts first, then by kind, split, dataset and step. */
async function diagnoses(
  db: RunDatabase,
  runIds: readonly string[],
  opts: DiagnosisOptions,
): Promise<Map<string, Diagnosis[]>> {
  const order = "run_id, severity <> 'alert', kind, split NULLS FIRST, from_step NULLS FIRST, source NULLS FIRST"
  const rows = await byRun(db, runIds, diagnosisSql(opts), order)
  const out = new Map<string, Diagnosis[]>()
  for (const [id, list] of rows)
    out.set(
      id,
      list.map((r) => ({
        kind: r.kind as Diagnosis['kind'],
        severity: r.severity as Diagnosis['severity'],
        split: (r.split ?? null) as Diagnosis['split'],
        source: r.source === null || r.source === undefined ? null : String(r.source),
        from_step: num(r.from_step),
        to_step: num(r.to_step),
        value: num(r.value),
        threshold: num(r.threshold),
        message: String(r.message),
      })),
    )
  return out
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

interface JudgeOfRun {
  figure: JudgeFigure
  mostCalls: number | null
}

/** The one row a view has per run (judge_figures, cost_figures), made into `T`, by run id. */
async function rowPerRun<T>(db: RunDatabase, runIds: readonly string[], view: string, of: (row: Row) => T): Promise<Map<string, T>> {
  const out = new Map<string, T>()
  for (const [id, [r]] of await byRun(db, runIds, `SELECT * FROM ${view}`)) out.set(id, of(r))
  return out
}

function judgeFigures(db: RunDatabase, runIds: readonly string[]): Promise<Map<string, JudgeOfRun>> {
  return rowPerRun(db, runIds, 'judge_figures', (r) => ({
    figure: {...numbers(r, JUDGE_NUMBERS), origin: r.origin as Origin},
    mostCalls: num(r.most_calls),
  }))
}

interface CostOfRun {
  figure: CostFigure
  allZero: boolean
}

const NO_COST: CostOfRun = {
  figure: {total_cost: null, samples: null, avg_cost_per_sample: null, executor_calls: null, judge_calls: null, api_calls: null, origin: 'none'},
  allZero: false,
}

function costFigures(db: RunDatabase, runIds: readonly string[]): Promise<Map<string, CostOfRun>> {
  return rowPerRun(db, runIds, 'cost_figures', (r) => ({
    figure: {...numbers(r, COST_NUMBERS), origin: r.origin as Origin},
    allZero: Boolean(r.all_zero),
  }))
}

interface ChecksOfRun {
  checks: Check[]
  apiCallCounters: Row[]
}

async function checks(db: RunDatabase, runIds: readonly string[]): Promise<Map<string, ChecksOfRun>> {
  const [data, counters] = await Promise.all([
    byRun(db, runIds, 'SELECT run_id, metric, step, logged, recomputed FROM dataset_checks'),
    byRun(db, runIds, 'SELECT run_id, metric, step, logged, recomputed, counts_api_calls FROM counter_checks'),
  ])
  const out = new Map<string, ChecksOfRun>()
  for (const id of runIds) {
    const runCounters = counters.get(id) ?? []
    const all = [...(data.get(id) ?? []), ...runCounters.filter((c) => !c.counts_api_calls)]
      .map((r) => ({metric: String(r.metric), step: Number(r.step), logged: Number(r.logged), recomputed: Number(r.recomputed)}))
      .sort((a, b) => a.step - b.step || a.metric.localeCompare(b.metric))
    out.set(id, {checks: all, apiCallCounters: runCounters.filter((c) => c.counts_api_calls)})
  }
  return out
}

/** What the evidence warnings need, per run (see `evidenceWarnings`). */
interface EvidenceCounts {
  judgeEvents: Map<string, Row[]>
  sampleOutcomes: Map<string, Row[]>
  unattributed: Map<string, Row[]>
  partial: Map<string, Row[]>
  gaps: Map<string, Row[]>
}

async function evidenceCounts(db: RunDatabase, runIds: readonly string[]): Promise<EvidenceCounts> {
  const [judgeEvents, sampleOutcomes, unattributed, partial, gaps] = await Promise.all([
    byRun(db, runIds, 'SELECT run_id, count(*) AS n FROM judge_events GROUP BY run_id'),
    byRun(db, runIds, 'SELECT run_id, count(judge_status) AS n FROM chosen_samples GROUP BY run_id'),
    byRun(db, runIds, 'SELECT run_id, count(*) FILTER (WHERE source IS NULL) AS n, count(*) AS total FROM chosen_samples GROUP BY run_id'),
    byRun(
      db,
      runIds,
      `SELECT s.run_id, count(*) AS n, list(DISTINCT s.step ORDER BY s.step) AS steps FROM samples s
       JOIN incomplete_steps i ON i.run_id = s.run_id AND i.step = s.step
       WHERE s.split = 'train' AND s.origin <> 'wandb_table' GROUP BY s.run_id`,
    ),
    // Steps printed in stdout that the history lacks, on the trainer's own step axis (`trainer_steps`). (A history
    // step that is NULL makes none of them missing, as `step NOT IN (…)` would.)
    byRun(
      db,
      runIds,
      `WITH printed AS (SELECT DISTINCT run_id, step FROM steps WHERE step IS NOT NULL),
            logged AS (SELECT DISTINCT run_id, step FROM history_on_trainer_steps),
            per_run AS (SELECT run_id, count(*) AS logged_steps, bool_or(step IS NULL) AS null_step FROM logged GROUP BY run_id)
       SELECT p.run_id, any_value(r.logged_steps) AS logged_steps,
              list(p.step ORDER BY p.step) FILTER (WHERE l.step IS NULL AND NOT coalesce(r.null_step, FALSE)) AS missing
       FROM printed p LEFT JOIN logged l ON l.run_id = p.run_id AND l.step = p.step
       LEFT JOIN per_run r ON r.run_id = p.run_id
       GROUP BY p.run_id`,
    ),
  ])
  return {judgeEvents, sampleOutcomes, unattributed, partial, gaps}
}

/** Warnings about the evidence itself: what is missing, partial or suspicious. */
function evidenceWarnings(runId: string, counts: EvidenceCounts, judge: JudgeOfRun, cost: CostOfRun, apiCallCounters: Row[]): string[] {
  const first = (m: Map<string, Row[]>) => m.get(runId)?.[0]
  const out: string[] = []
  if (cost.allZero) out.push('every cost in this run is reported as 0: cost figures are unknown, not zero')
  if (judge.figure.origin !== 'none' && judge.mostCalls !== null && judge.figure.calls !== null) {
    const seen = Math.max(Number(first(counts.judgeEvents)?.n ?? 0), Number(first(counts.sampleOutcomes)?.n ?? 0))
    if (seen > 0 && seen < judge.figure.calls)
      out.push(`judge verdicts are printed for only ${seen} of ${judge.figure.calls} judge calls: judge figures come from the trainer's ${judge.figure.origin === 'logged' ? 'logged' : 'printed'} counters`)
  }
  const unattributed = first(counts.unattributed)
  if (unattributed && Number(unattributed.n) > 0)
    out.push(`${unattributed.n} of ${unattributed.total} per-sample events name no dataset (failed executions print no source=): per-dataset counts come from the step tallies where printed; these events still count toward judge and cost`)
  const partial = first(counts.partial)
  if (partial && Number(partial.n) > 0)
    out.push(`${partial.n} sample(s) of step ${formatSteps(partial.steps as number[])}, which the log was cut off inside, are left out of the per-dataset and per-step figures`)
  if (apiCallCounters.length > 0) {
    const keys = [...new Set(apiCallCounters.map((c) => String(c.metric)))].sort().join(' and ')
    out.push(`the trainer's ${keys} count API calls, not samples (at ${apiCallCounters.length} logged value(s))`)
  }
  const gap = first(counts.gaps)
  const missing = (gap?.missing as number[] | null) ?? []
  if (Number(gap?.logged_steps ?? 0) > 0 && missing.length > 0)
    out.push(`${missing.length} step(s) appear in stdout but not in the wandb history: ${formatSteps(missing)}`)
  return out
}

function formatSteps(steps: number[]): string {
  return steps.length <= 10 ? steps.join(', ') : `${steps.slice(0, 10).join(', ')}, … (${steps.length - 10} more)`
}

/** The `summarize` figures of loaded runs, from the metric views (each view queried once for all of them). */
export async function summarizeRuns(
  db: RunDatabase,
  runs: readonly RunEvidence[],
  opts: DiagnosisOptions = DEFAULT_DIAGNOSIS,
): Promise<Summary[]> {
  const ids = runs.map((r) => r.runId)
  // The figures' queries run at once (one connection and one core each).
  const [judges, costs, checksOf, datasets, splits, diagnosis, counts, metrics] = await Promise.all([
    judgeFigures(db, ids),
    costFigures(db, ids),
    checks(db, ids),
    datasetFigures(db, ids),
    splitFigures(db, ids),
    diagnoses(db, ids, opts),
    evidenceCounts(db, ids),
    stepMetrics(db, ids),
  ])
  return runs.map((ev) => {
    const judge = judges.get(ev.runId) ?? {figure: NO_JUDGE, mostCalls: null}
    const cost = costs.get(ev.runId) ?? NO_COST
    const c = checksOf.get(ev.runId)!
    const warnings = [...new Set([...ev.warnings, ...evidenceWarnings(ev.runId, counts, judge, cost, c.apiCallCounters)])]
    return {
      run: ev.info,
      datasets: datasets.get(ev.runId) ?? [],
      splits: splits.get(ev.runId) ?? [],
      judge: judge.figure,
      cost: cost.figure,
      checks: c.checks,
      metrics: metrics.get(ev.runId) ?? [],
      warnings,
      diagnosis: diagnosis.get(ev.runId) ?? [],
    }
  })
}

/** The per-step series behind the charts. */
export async function summarySeries(db: RunDatabase, runId: string): Promise<SummarySeries> {
  const id = quoteLiteral(runId)
  const datasets = await db.query(
    `SELECT step, split, source, correct, count, 100.0 * correct / count AS accuracy,
            100 * wilson_low(correct, count) AS ci_low, 100 * wilson_high(correct, count) AS ci_high
     FROM step_datasets WHERE run_id = ${id} AND count > 0 ORDER BY split, source, step`,
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
      ci_low: Number(r.ci_low),
      ci_high: Number(r.ci_high),
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

/** The order of `StepMetric`s: validation, then rewards, accuracy and scores, then losses, then the rest, by key. */
const METRIC_ORDER = `CASE WHEN regexp_matches(key, '(^|[/_-])(val|eval|validation|test)([/_-]|$)') THEN 0
                          WHEN regexp_matches(key, 'reward|acc|score') THEN 1
                          WHEN regexp_matches(key, 'loss') THEN 2 ELSE 3 END`

/** Every per-step metric each run logged (`trainer_metrics`), most telling first. */
async function stepMetrics(db: RunDatabase, runIds: readonly string[]): Promise<Map<string, StepMetric[]>> {
  const rows = await byRun(db, runIds, 'SELECT * FROM trainer_metrics', `run_id, ${METRIC_ORDER}, key`)
  const out = new Map<string, StepMetric[]>()
  for (const [id, list] of rows) {
    out.set(
      id,
      list.map((r) => ({
        key: String(r.key),
        origin: String(r.origin),
        points: Number(r.points),
        first_step: Number(r.first_step),
        last_step: Number(r.last_step),
        first: Number(r.first),
        last: Number(r.last),
        min: Number(r.min),
        max: Number(r.max),
      })),
    )
  }
  return out
}

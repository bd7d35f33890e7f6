import type {RunDatabase} from '../engine/run-database.js'
import {quoteLiteral} from '../engine/sql-text.js'
import {efficiencySql} from './metric-sql.js'
import type {EfficiencyResult, EfficiencyStep} from './types.js'

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/** Best step: the lowest cost per correct answer, ties to the earliest step. */
export async function efficiencyOf(db: RunDatabase, runId: string, window: number): Promise<EfficiencyResult> {
  const rows = await db.query(
    `SELECT * FROM (${efficiencySql(window)}) WHERE run_id = ${quoteLiteral(runId)} ORDER BY step`,
  )
  const steps: CumulativeStep[] = rows.map((r) => ({
    step: Number(r.step),
    cost: num(r.cost),
    correct: Number(r.correct ?? 0),
    samples: Number(r.samples ?? 0),
    accuracy: num(r.accuracy) ?? 0,
    cost_per_correct: num(r.cost_per_correct),
    cumulative_cost: num(r.cumulative_cost),
    cumulative_accuracy: num(r.cumulative_accuracy),
  }))
  let best: EfficiencyStep | null = null
  for (const s of steps) {
    if (s.cost_per_correct === null) continue
    if (best === null || s.cost_per_correct < best.cost_per_correct!) best = strip(s)
  }
  return {best, steps: steps.map(strip), pareto: paretoFrontier(steps)}
}

/** A step with its running totals (the Pareto frontier's axes). */
type CumulativeStep = EfficiencyStep & {cumulative_cost: number | null; cumulative_accuracy: number | null}

function strip(s: EfficiencyStep & Partial<CumulativeStep>): EfficiencyStep {
  const {step, cost, correct, samples, accuracy, cost_per_correct} = s
  return {step, cost, correct, samples, accuracy, cost_per_correct}
}

/** Steps not beaten on both cumulative cost and accuracy; steps with unknown cost are left out. */
export function paretoFrontier(
  steps: Array<EfficiencyStep & {cumulative_cost: number | null}>,
): Array<EfficiencyStep & {cumulative_cost: number | null}> {
  const known = steps.filter((s) => s.cumulative_cost !== null)
  return known
    .filter((a) => !known.some((b) => b !== a && dominates(b, a)))
    .map((s) => ({...strip(s), cumulative_cost: s.cumulative_cost}))
}

function dominates(b: {cumulative_cost: number | null; accuracy: number}, a: typeof b): boolean {
  const [bc, ac] = [b.cumulative_cost!, a.cumulative_cost!]
  return bc <= ac && b.accuracy >= a.accuracy && (bc < ac || b.accuracy > a.accuracy)
}

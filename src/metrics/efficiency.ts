import type {RunDatabase} from '../engine/run-database.js'
import {quoteLiteral} from '../engine/sql-text.js'
import {efficiencySql} from './metric-sql.js'
import type {EfficiencyResult, EfficiencyStep} from './types.js'

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/**
 * Cost efficiency of every training step and the most cost-efficient one: the lowest cost per correct answer
 * (steps without a correct answer excluded, ties to the earliest step), plus the Pareto frontier of cumulative cost
 * against cumulative accuracy.
 */
export async function efficiencyOf(db: RunDatabase, runId: string, window: number): Promise<EfficiencyResult> {
  const rows = await db.query(`SELECT * FROM (${efficiencySql(window)}) WHERE run_id = ${quoteLiteral(runId)} ORDER BY step`)
  const steps: Array<EfficiencyStep & {cumulative_cost: number | null; cumulative_accuracy: number | null}> = rows.map((r) => ({
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

function strip(s: EfficiencyStep & {cumulative_cost?: number | null; cumulative_accuracy?: number | null}): EfficiencyStep {
  return {step: s.step, cost: s.cost, correct: s.correct, samples: s.samples, accuracy: s.accuracy, cost_per_correct: s.cost_per_correct}
}

/**
 * Steps not beaten on both axes: no other step has lower-or-equal cumulative cost and higher-or-equal
 * accuracy with one of them strictly better. Steps with unknown cost are left out.
 */
export function paretoFrontier(
  steps: Array<EfficiencyStep & {cumulative_cost: number | null}>,
): Array<EfficiencyStep & {cumulative_cost: number | null}> {
  const known = steps.filter((s) => s.cumulative_cost !== null)
  return known
    .filter((a) => !known.some((b) => b !== a && b.cumulative_cost! <= a.cumulative_cost! && b.accuracy >= a.accuracy && (b.cumulative_cost! < a.cumulative_cost! || b.accuracy > a.accuracy)))
    .map((s) => ({...strip(s), cumulative_cost: s.cumulative_cost}))
}

/** `summarize`: API cost — cumulative USD over steps, and USD per step. */
import type {StepCostPoint, SummarySeries} from '../metrics/types.js'
import {STEP_X, known, runColor, usdFormat, type ChartSpec} from './common.js'

export interface CostRow {
  run?: string
  step: number
  /** USD at this step; null where unknown. */
  cost: number | null
  /** USD up to this step; null where unknown (the line breaks there). */
  cumulative_cost: number | null
}

export function costRows(points: StepCostPoint[], run?: string): CostRow[] {
  const rows: CostRow[] = []
  for (const p of points) {
    if (!known(p.step)) continue
    const row: CostRow = {
      step: p.step,
      cost: known(p.cost) ? p.cost : null,
      cumulative_cost: known(p.cumulative_cost) ? p.cumulative_cost : null,
    }
    rows.push(run === undefined ? row : {run, ...row})
  }
  return rows
}

/** Cumulative cost as a line (one colour per run when `runs` is given). */
export function cumulativeCostSpec(rows: CostRow[], runs?: string[]): ChartSpec | null {
  if (!rows.some((r) => r.cumulative_cost !== null)) return null
  const byRun = runs !== undefined
  const format = usdFormat(rows.map((r) => r.cumulative_cost))
  return {
    width: 340,
    height: 170,
    title: 'Cumulative API cost',
    data: {values: rows},
    mark: {type: 'line', strokeWidth: 2, point: {size: 18, filled: true}, invalid: 'break-paths-filter-domains'},
    encoding: {
      x: STEP_X,
      y: {field: 'cumulative_cost', type: 'quantitative', title: 'cumulative cost (USD)', axis: {format}},
      ...(byRun ? {color: runColor(runs)} : {color: {value: '#4c78a8'}}),
      tooltip: [
        ...(byRun ? [{field: 'run', type: 'nominal' as const, title: 'run'}] : []),
        {field: 'step', type: 'quantitative', title: 'step'},
        {field: 'cost', type: 'quantitative', title: 'cost at step (USD)', format: '$,.4f'},
        {field: 'cumulative_cost', type: 'quantitative', title: 'cumulative cost (USD)', format: '$,.4f'},
      ],
    },
  }
}

/** Cost per step as bars (unknown steps have no bar). */
export function stepCostSpec(rows: CostRow[]): ChartSpec | null {
  if (!rows.some((r) => r.cost !== null)) return null
  return {
    width: 340,
    height: 170,
    title: 'API cost per step',
    data: {values: rows},
    transform: [{filter: 'isValid(datum.cost) && isFinite(datum.cost)'}],
    mark: {type: 'bar', color: '#72b7b2'},
    encoding: {
      x: STEP_X,
      y: {
        field: 'cost',
        type: 'quantitative',
        title: 'cost per step (USD)',
        axis: {format: usdFormat(rows.map((r) => r.cost))},
      },
      tooltip: [
        {field: 'step', type: 'quantitative', title: 'step'},
        {field: 'cost', type: 'quantitative', title: 'cost (USD)', format: '$,.4f'},
      ],
    },
  }
}

export function summaryCostSpec(series: SummarySeries): ChartSpec | null {
  const rows = costRows(series.cost)
  const charts = [cumulativeCostSpec(rows), stepCostSpec(rows)].filter((c): c is ChartSpec => c !== null)
  if (charts.length === 0) return null
  return charts.length === 1 ? charts[0] : {hconcat: charts}
}

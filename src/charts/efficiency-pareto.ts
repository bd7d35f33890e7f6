/** `efficiency`: the Pareto frontier of cumulative cost (lower is better) against accuracy (higher is better). */
import type {EfficiencyResult, StepCostPoint} from '../metrics/types.js'
import {ACCURACY_Y, known, usdFormat, type ChartSpec, type LayerItem} from './common.js'

export interface ParetoRow {
  step: number
  /** USD up to and including the step. */
  cumulative_cost: number
  /** Percent. */
  accuracy: number
  kind: 'Pareto frontier' | 'other steps'
}

/** Other steps are placed at the cumulative cost the series reports (joined by step, not recomputed). */
export function paretoRows(efficiency: EfficiencyResult, costs?: StepCostPoint[]): ParetoRow[] {
  const frontier: ParetoRow[] = efficiency.pareto
    .filter((p) => known(p.cumulative_cost) && known(p.accuracy) && known(p.step))
    .map((p) => ({
      step: p.step,
      cumulative_cost: p.cumulative_cost as number,
      accuracy: p.accuracy,
      kind: 'Pareto frontier' as const,
    }))
    .sort((a, b) => a.cumulative_cost - b.cumulative_cost || a.accuracy - b.accuracy)
  if (!costs) return frontier
  const onFrontier = new Set(frontier.map((p) => p.step))
  const cumulative = new Map<number, number>()
  for (const c of costs) if (known(c.cumulative_cost)) cumulative.set(c.step, c.cumulative_cost)
  const others: ParetoRow[] = []
  for (const s of efficiency.steps) {
    const cc = cumulative.get(s.step)
    if (onFrontier.has(s.step) || cc === undefined || !known(s.accuracy)) continue
    others.push({step: s.step, cumulative_cost: cc, accuracy: s.accuracy, kind: 'other steps'})
  }
  return [...others, ...frontier]
}

export function efficiencyParetoSpec(efficiency: EfficiencyResult, costs?: StepCostPoint[]): ChartSpec | null {
  const rows = paretoRows(efficiency, costs)
  if (!rows.some((r) => r.kind === 'Pareto frontier')) return null
  const x = {
    field: 'cumulative_cost',
    type: 'quantitative' as const,
    title: 'cumulative cost (USD)',
    axis: {format: usdFormat(rows.map((r) => r.cumulative_cost))},
  }
  // Zoomed to the accuracies reached (the frontier is about small differences), unlike the 0–100 panels.
  const y = {...ACCURACY_Y, scale: {zero: false, nice: true}}
  const color = {
    field: 'kind',
    type: 'nominal' as const,
    title: null,
    // Top left is empty by definition: no step is cheaper and more accurate than the frontier.
    legend: {orient: 'top-left' as const, fillColor: 'white', padding: 4},
    scale: {domain: ['Pareto frontier', 'other steps'], range: ['#e45756', '#bab0ac']},
  }
  const tooltip = [
    {field: 'step', type: 'quantitative' as const, title: 'step'},
    {field: 'cumulative_cost', type: 'quantitative' as const, title: 'cumulative cost (USD)', format: '$,.4f'},
    {field: 'accuracy', type: 'quantitative' as const, title: 'accuracy (%)', format: '.1f'},
  ]
  const frontierOnly = {filter: "datum.kind === 'Pareto frontier'"}
  const layer: LayerItem[] = [
    {
      mark: {type: 'point', filled: true, size: 45},
      encoding: {x, y, color, tooltip},
    },
    {
      transform: [frontierOnly],
      mark: {type: 'line', interpolate: 'step-after', strokeWidth: 1.5, color: '#e45756'},
      encoding: {x, y, order: {field: 'cumulative_cost', type: 'quantitative'}},
    },
    {
      transform: [frontierOnly, {calculate: "'step ' + datum.step", as: 'label'}],
      mark: {type: 'text', align: 'left', baseline: 'top', dx: 5, dy: 4, fontSize: 10, color: '#9d2f2f'},
      encoding: {x, y, text: {field: 'label'}},
    },
  ]
  return {
    title: {
      text: 'Cost against accuracy',
      subtitle: 'Pareto frontier: no other step is both cheaper and more accurate',
    },
    width: 380,
    height: 200,
    data: {values: rows},
    layer,
  }
}

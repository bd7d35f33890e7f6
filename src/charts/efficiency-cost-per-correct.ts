/** `efficiency`: USD per correct answer at each step, with the best step marked. */
import type {EfficiencyResult} from '../metrics/types.js'
import {fmtUsd} from './format.js'
import {STEP_X, known, usdFormat, type ChartSpec, type LayerItem} from './common.js'

export interface CostPerCorrectRow {
  step: number
  /** USD; null where unknown (no correct answer or unknown cost): the line breaks there. */
  cost_per_correct: number | null
  cost: number | null
  correct: number
  samples: number
  /** Percent. */
  accuracy: number
}

export function costPerCorrectRows(efficiency: EfficiencyResult): CostPerCorrectRow[] {
  return efficiency.steps
    .filter((s) => known(s.step))
    .map((s) => ({
      step: s.step,
      cost_per_correct: known(s.cost_per_correct) ? s.cost_per_correct : null,
      cost: known(s.cost) ? s.cost : null,
      correct: s.correct,
      samples: s.samples,
      accuracy: s.accuracy,
    }))
}

export function efficiencyCostPerCorrectSpec(efficiency: EfficiencyResult): ChartSpec | null {
  const rows = costPerCorrectRows(efficiency)
  if (!rows.some((r) => r.cost_per_correct !== null)) return null
  const format = usdFormat(rows.map((r) => r.cost_per_correct))
  const best = efficiency.best
  const y = {
    field: 'cost_per_correct',
    type: 'quantitative' as const,
    title: 'cost per correct answer (USD)',
    axis: {format},
  }
  const tooltip = [
    {field: 'step', type: 'quantitative' as const, title: 'step'},
    {field: 'cost_per_correct', type: 'quantitative' as const, title: 'cost per correct (USD)', format: '$,.5f'},
    {field: 'cost', type: 'quantitative' as const, title: 'cost (USD)', format: '$,.4f'},
    {field: 'correct', type: 'quantitative' as const, title: 'correct'},
    {field: 'samples', type: 'quantitative' as const, title: 'samples'},
    {field: 'accuracy', type: 'quantitative' as const, title: 'accuracy (%)', format: '.1f'},
  ]
  const layers: LayerItem[] = [
    {
      data: {values: rows},
      mark: {
        type: 'line',
        strokeWidth: 1.5,
        color: '#4c78a8',
        point: {size: 20, filled: true},
        invalid: 'break-paths-filter-domains',
      },
      encoding: {x: STEP_X, y, tooltip},
    },
  ]
  const bestKnown = best !== null && known(best.step) && known(best.cost_per_correct)
  if (bestKnown) {
    const bestRow = [
      {
        step: best.step,
        cost_per_correct: best.cost_per_correct,
        label: `best: step ${best.step} (${fmtUsd(best.cost_per_correct)} per correct)`,
      },
    ]
    // Keep the label inside the plot: right of the mark in the first half of the steps, left of it after.
    const steps = rows.map((r) => r.step)
    const late = best.step > (Math.min(...steps) + Math.max(...steps)) / 2
    layers.push(
      {
        data: {values: bestRow},
        mark: {type: 'rule', color: '#e45756', strokeDash: [4, 3]},
        encoding: {x: {field: 'step', type: 'quantitative'}},
      },
      {
        data: {values: bestRow},
        mark: {
          type: 'point',
          shape: 'diamond',
          size: 160,
          filled: true,
          color: '#e45756',
          stroke: 'white',
          strokeWidth: 1,
        },
        encoding: {x: {field: 'step', type: 'quantitative'}, y: {field: 'cost_per_correct', type: 'quantitative'}},
      },
      {
        data: {values: bestRow},
        mark: {
          type: 'text',
          align: late ? 'right' : 'left',
          baseline: 'top',
          dx: late ? -5 : 5,
          y: 4,
          fontWeight: 'bold',
          color: '#e45756',
          fontSize: 11,
        },
        encoding: {x: {field: 'step', type: 'quantitative'}, text: {field: 'label'}},
      },
    )
  }
  return {
    title: {
      text: 'Cost per correct answer',
      ...(bestKnown ? {subtitle: `best step marked in red (step ${best.step})`} : {}),
    },
    width: 380,
    height: 200,
    layer: layers,
  }
}

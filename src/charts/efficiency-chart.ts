/** The `efficiency` chart: cost per correct answer over steps, and the cost–accuracy Pareto frontier. */
import type {TopLevelSpec} from 'vega-lite'
import type {EfficiencyResult, RunInfo, StepCostPoint} from '../metrics/types.js'
import {CHART_CONFIG, VEGA_LITE_SCHEMA, chartTitle, runLabels, type ChartSpec} from './common.js'
import {efficiencyCostPerCorrectSpec} from './efficiency-cost-per-correct.js'
import {efficiencyParetoSpec} from './efficiency-pareto.js'
import {emptyChartSpec} from './empty.js'
import {fmtCount, fmtPercent, fmtUsd} from './format.js'
import {runSubtitle} from './summary-chart.js'

export interface EfficiencyChartInput {
  run: RunInfo
  efficiency: EfficiencyResult
  /** The run's cost series (`SummarySeries.cost`), when known: places the steps off the frontier on the cost axis. */
  costs?: StepCostPoint[]
}

export function efficiencyChartSpec(input: EfficiencyChartInput): TopLevelSpec {
  const [name] = runLabels([input.run])
  const charts = [
    efficiencyCostPerCorrectSpec(input.efficiency),
    efficiencyParetoSpec(input.efficiency, input.costs),
  ].filter((c): c is ChartSpec => c !== null)
  const subtitle = runSubtitle(input.run)
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle(`runlog efficiency: ${name}`, subtitle || undefined),
    config: CHART_CONFIG,
    // Each chart keeps its own legend (the frontier's sits inside its plot).
    resolve: {scale: {color: 'independent'}, legend: {color: 'independent'}},
    hconcat: charts.length > 0 ? charts : [emptyChartSpec('No step with a known cost and a correct answer was found.')],
  }
}

export function efficiencyHeadline(input: EfficiencyChartInput): Array<[string, string]> {
  const best = input.efficiency.best
  return [
    ['run', runLabels([input.run])[0]],
    ['steps', fmtCount(input.efficiency.steps.length)],
    ['best step', best ? String(best.step) : '—'],
    ['best cost per correct', fmtUsd(best?.cost_per_correct)],
    ['best step accuracy', fmtPercent(best?.accuracy)],
    ['Pareto steps', input.efficiency.pareto.map((p) => p.step).join(', ') || '—'],
  ]
}

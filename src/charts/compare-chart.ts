/** The `compare` chart: per-dataset accuracy, judge health and cost, one colour per run. */
import type {TopLevelSpec} from 'vega-lite'
import type {CompareResult, Summary, SummarySeries} from '../metrics/types.js'
import {CHART_CONFIG, VEGA_LITE_SCHEMA, chartTitle, runLabels, type ChartSpec} from './common.js'
import {compareAccuracySpec} from './compare-accuracy.js'
import {compareCostSpec} from './compare-cost.js'
import {compareDatasetsSpec} from './compare-datasets.js'
import {compareJudgeSpec} from './compare-judge.js'
import {emptyChartSpec} from './empty.js'
import {fmtPercent, fmtRate, fmtUsd} from './format.js'

export interface CompareChartInput {
  /** In the order of `compare.runs`. */
  runs: Array<{name: string; summary: Summary; series: SummarySeries}>
  compare: CompareResult
  /** The judge threshold the diagnosis used (a fraction): drawn as a rule on the judge chart. */
  judgeThreshold?: number
}

export function compareRunLabels(input: CompareChartInput): string[] {
  return runLabels(input.runs.map((r) => ({name: r.name || r.summary.run.name, id: r.summary.run.id})))
}

export function compareChartSpec(input: CompareChartInput): TopLevelSpec {
  const labels = compareRunLabels(input)
  const charts = [
    compareDatasetsSpec(input.compare, labels),
    compareAccuracySpec(input.runs, labels),
    compareJudgeSpec(input.runs, labels, input.judgeThreshold),
    compareCostSpec(input.runs, labels),
  ].filter((c): c is ChartSpec => c !== null)
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle(`runlog compare: ${labels.length} runs`),
    config: CHART_CONFIG,
    // A run has one colour throughout, and one legend for all charts.
    resolve: {
      scale: {color: 'shared', strokeDash: 'independent'},
      legend: {color: 'shared', strokeDash: 'independent'},
    },
    vconcat: charts.length > 0 ? charts : [emptyChartSpec('No figures to compare were found in these runs.')],
  }
}

export function compareHeadline(input: CompareChartInput): Array<[string, string]> {
  const labels = compareRunLabels(input)
  return input.runs.map((r, i) => {
    const cost = input.compare.cost[i] ?? r.summary.cost
    const judge = input.compare.judge[i] ?? r.summary.judge
    const val = input.compare.datasets.filter((d) => d.split === 'val' && d.accuracy[i] !== null)
    const parts = [
      `cost ${fmtUsd(cost.total_cost)}`,
      `judge success ${fmtRate(judge.success_rate)}`,
      ...val.map((d) => `${d.source} ${fmtPercent(d.accuracy[i])}`),
    ]
    return [labels[i], parts.join(' · ')] as [string, string]
  })
}

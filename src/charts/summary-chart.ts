/** The `summarize` chart: accuracy per dataset, judge health and cost, over steps, for one run. */
import type {TopLevelSpec} from 'vega-lite'
import type {Summary, SummarySeries} from '../metrics/types.js'
import {CHART_CONFIG, VEGA_LITE_SCHEMA, chartTitle, runLabels, type ChartSpec} from './common.js'
import {emptyChartSpec} from './empty.js'
import {fmtCount, fmtPercent, fmtRate, fmtUsd} from './format.js'
import {summaryAccuracySpec} from './summary-accuracy.js'
import {summaryCostSpec} from './summary-cost.js'
import {summaryJudgeSpec} from './summary-judge.js'

export interface SummaryChartInput {
  summary: Summary
  series: SummarySeries
  /** The judge threshold the diagnosis used (a fraction): drawn as a rule on the judge chart. */
  judgeThreshold?: number
}

/** A short description of a run for titles: project, state, steps. */
export function runSubtitle(run: Summary['run']): string {
  const parts = [
    run.project ? `project ${run.project}` : null,
    run.state !== 'unknown' ? run.state : null,
    run.steps !== null ? `${run.steps} steps` : null,
  ].filter((p): p is string => p !== null)
  return parts.join(' · ')
}

export function summaryChartSpec(input: SummaryChartInput): TopLevelSpec {
  const [name] = runLabels([input.summary.run])
  const windows = input.summary.diagnosis.filter((d) => d.kind === 'judge_window')
  const marks = input.judgeThreshold === undefined ? undefined : {threshold: input.judgeThreshold, windows}
  const charts = [
    summaryAccuracySpec(input.series),
    summaryJudgeSpec(input.series, marks),
    summaryCostSpec(input.series),
  ].filter((c): c is ChartSpec => c !== null)
  const subtitle = runSubtitle(input.summary.run)
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle(`runlog summarize: ${name}`, subtitle || undefined),
    config: CHART_CONFIG,
    vconcat: charts.length > 0 ? charts : [emptyChartSpec('No per-step figures were found in this run.')],
  }
}

export function summaryHeadline(summary: Summary): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ['run', runLabels([summary.run])[0]],
    ['state', summary.run.state],
    ['steps', fmtCount(summary.run.steps)],
    ['total cost', fmtUsd(summary.cost.total_cost)],
    ['cost per sample', fmtUsd(summary.cost.avg_cost_per_sample)],
    ['judge calls', fmtCount(summary.judge.calls)],
    ['judge success rate', fmtRate(summary.judge.success_rate)],
    ['judge parse failures', fmtRate(summary.judge.parse_failure_rate)],
    ['judge API failures', fmtRate(summary.judge.api_failure_rate)],
  ]
  // One row per dataset: validation first, then training.
  const sources = [...new Set(summary.datasets.map((d) => d.source))]
  for (const source of sources) {
    const parts = (['val', 'train'] as const).flatMap((split) => {
      const d = summary.datasets.find((x) => x.source === source && x.split === split)
      return d ? [`${split} ${fmtPercent(d.accuracy)}`] : []
    })
    rows.push([`accuracy ${source}`, parts.join(' · ')])
  }
  return rows
}

/** Glue between the commands and the chart composers: one function per command, loaded only when --chart is given. */
import type {CompareResult, EfficiencyResult, RunInfo, StepCostPoint, Summary, SummarySeries} from '../metrics/types.js'
import {compareChartSpec, compareHeadline, compareRunLabels, type CompareChartInput} from './compare-chart.js'
import {efficiencyChartSpec, efficiencyHeadline} from './efficiency-chart.js'
import {summaryChartSpec, summaryHeadline} from './summary-chart.js'
import {writeChart} from './write-chart.js'

const runName = (r: RunInfo) => r.name ?? r.id ?? 'run'

export async function writeSummaryChart(file: string, summary: Summary, series: SummarySeries): Promise<void> {
  await writeChart(summaryChartSpec({summary, series}), file, {
    title: `runlog summarize — ${runName(summary.run)}`,
    headline: summaryHeadline(summary),
    runs: [runName(summary.run)],
  })
}

export async function writeCompareChart(file: string, compare: CompareResult, summaries: Summary[], series: SummarySeries[]): Promise<void> {
  const input: CompareChartInput = {
    runs: summaries.map((summary, i) => ({name: runName(summary.run), summary, series: series[i]})),
    compare,
  }
  const labels = compareRunLabels(input)
  await writeChart(compareChartSpec(input), file, {title: `runlog compare — ${labels.join(' vs ')}`, headline: compareHeadline(input), runs: labels})
}

export async function writeEfficiencyChart(file: string, run: RunInfo, efficiency: EfficiencyResult, costs: StepCostPoint[]): Promise<void> {
  const input = {run, efficiency, costs}
  await writeChart(efficiencyChartSpec(input), file, {
    title: `runlog efficiency — ${runName(run)}`,
    headline: efficiencyHeadline(input),
    runs: [runName(run)],
  })
}

/** Glue between the commands and the chart composers: one function per command, loaded only when --chart is given. */
import type {
  CompareResult,
  DiagnosisOptions,
  EfficiencyResult,
  RunInfo,
  StepCostPoint,
  Summary,
  SummarySeries,
} from '../metrics/types.js'
import {type ReportParts, renderCompareParts, summaryParts} from '../render/summary-report.js'
import {formatColumn, isNumericKind} from '../render/column-format.js'
import {compareChartSpec, compareHeadline, compareRunLabels, type CompareChartInput} from './compare-chart.js'
import {efficiencyChartSpec, efficiencyHeadline} from './efficiency-chart.js'
import type {HtmlReport} from './render-html.js'
import {summaryChartSpec, summaryHeadline} from './summary-chart.js'
import {writeChart} from './write-chart.js'

const runName = (r: RunInfo) => r.name ?? r.id ?? 'run'

/** A report's parts with every cell as the terminal shows it. */
function htmlReport(parts: Omit<ReportParts, 'title'>): HtmlReport {
  return {
    sections: parts.sections.map((s) => {
      // Each column's numbers with one precision, as the terminal table writes them.
      const byColumn = s.columns.map((c, i) =>
        formatColumn(
          c.kind ?? 'name',
          s.rows.map((r) => r[i]),
        ),
      )
      return {
        title: s.title,
        head: s.columns.map((c) => c.head),
        rows: s.rows.map((_, r) => byColumn.map((column) => column[r])),
        rightAlign: s.columns.map((c) => isNumericKind(c.kind ?? 'name')),
      }
    }),
    diagnosis: parts.diagnosis,
    notes: parts.notes,
  }
}

export async function writeSummaryChart(
  file: string,
  summary: Summary,
  series: SummarySeries,
  opts: {metricRows?: number | 'all'; diagnosis?: DiagnosisOptions} = {},
): Promise<void> {
  await writeChart(summaryChartSpec({summary, series, judgeThreshold: opts.diagnosis?.judgeThreshold}), file, {
    title: `runlog summarize — ${runName(summary.run)}`,
    headline: summaryHeadline(summary),
    runs: [runName(summary.run)],
    report: htmlReport(summaryParts(summary, 'table', opts.metricRows)),
  })
}

export async function writeCompareChart(
  file: string,
  compare: CompareResult,
  summaries: Summary[],
  series: SummarySeries[],
  diagnosis?: DiagnosisOptions,
): Promise<void> {
  const input: CompareChartInput = {
    runs: summaries.map((summary, i) => ({name: runName(summary.run), summary, series: series[i]})),
    compare,
    judgeThreshold: diagnosis?.judgeThreshold,
  }
  const labels = compareRunLabels(input)
  await writeChart(compareChartSpec(input), file, {
    title: `runlog compare — ${labels.join(' vs ')}`,
    headline: compareHeadline(input),
    runs: labels,
    report: htmlReport(renderCompareParts(compare, 'table')),
  })
}

export async function writeEfficiencyChart(
  file: string,
  run: RunInfo,
  efficiency: EfficiencyResult,
  costs: StepCostPoint[],
): Promise<void> {
  const input = {run, efficiency, costs}
  await writeChart(efficiencyChartSpec(input), file, {
    title: `runlog efficiency — ${runName(run)}`,
    headline: efficiencyHeadline(input),
    runs: [runName(run)],
  })
}

import {Args} from '@oclif/core'
import {RunlogCommand} from '../cli/base-command.js'
import {reportFlags} from '../cli/report-flags.js'
import {openAnalysisWithProgress} from '../cli/open-analysis.js'
import {diagnosisFlags, diagnosisOptions} from '../cli/diagnosis-flags.js'
import type {CompareResult} from '../metrics/types.js'
import {type CompareJson, compareSummaries, withSkippedRuns} from '../metrics/compare-runs.js'
import {stdoutLayout} from '../render/terminal.js'
import {type ReportFormat, renderCompare} from '../render/summary-report.js'

export default class Compare extends RunlogCommand {
  static override summary = 'Compare runs per dataset and split, side by side, largest gaps first.'
  static override description =
    'Each RUN is a run directory, a .wandb file or a trainer log. Accuracy per dataset and split for every run, the gap from the first run to the last in percentage points, and the judge and cost figures of each run.'
  static override examples = [
    '<%= config.bin %> compare wandb/offline-run-A wandb/offline-run-B',
    '<%= config.bin %> compare run-a.log run-b.log run-c.log --format md --chart compare.png',
  ]
  static override enableJsonFlag = true
  static override strict = false
  static override usage = 'compare RUN RUN [RUN...] [FLAGS]'
  static override args = {
    run: Args.string({description: 'two or more runs (run directories, .wandb files or trainer logs)', required: true}),
  }
  static override flags = {...reportFlags, ...diagnosisFlags}

  async run(): Promise<CompareResult | CompareJson> {
    const {argv, flags} = await this.parse(Compare)
    const paths = argv as string[]
    if (paths.length < 2) this.error('compare needs two or more runs: runlog compare RUN RUN [RUN...]', {exit: 2})
    const inputs = paths.map((path) => ({path}))
    const json = this.jsonEnabled()
    const analysis = await openAnalysisWithProgress(inputs, {dbFile: flags.db, json, skipUnreadable: true})
    try {
      for (const f of analysis.failures) this.skippedLine(f.error)
      const {runs, failures, inputIndex} = analysis
      this.failIfNoneRead(runs.length, failures.length, withSkippedRuns(compareSummaries([]), [], failures))
      const diagnosis = diagnosisOptions(flags)
      const {compare, summaries} = await analysis.compare(diagnosis)
      const result = withSkippedRuns(compare, inputIndex, failures)
      if (flags.chart) {
        const {writeCompareChart} = await import('../charts/command-charts.js')
        const series = []
        for (let i = 0; i < summaries.length; i++) series.push(await analysis.series(i))
        await writeCompareChart(flags.chart, compare, summaries, series, diagnosis)
      }
      if (!this.jsonEnabled()) {
        for (const [i, s] of summaries.entries()) {
          for (const w of s.warnings) this.warnLine(`${paths[inputIndex[i]]}: ${w}`)
        }
        this.log(renderCompare(compare, flags.format as ReportFormat, stdoutLayout({wide: flags.wide})))
        if (flags.chart) this.logToStderr(`chart written to ${flags.chart}`)
      }
      return result
    } finally {
      analysis.close()
    }
  }
}

import {Args, Flags} from '@oclif/core'
import {RunlogCommand} from '../cli/base-command.js'
import {reportFlags} from '../cli/report-flags.js'
import {Analysis} from '../metrics/analysis.js'
import type {Summary} from '../metrics/types.js'
import {type ReportFormat, renderSummary} from '../render/summary-report.js'

export default class Summarize extends RunlogCommand {
  static override summary = 'Per-dataset accuracy, LLM-judge health and API cost of a run, recomputed from its raw events.'
  static override description = `RUN is a run directory, a .wandb file or a trainer stdout log (default ./wandb/latest-run). Every figure is recomputed in DuckDB from the most trusted evidence present — per-sample events (wandb Tables, stdout sample blocks, API calls), then the trainer's printed step tallies, then its logged aggregates — and its origin is shown. The trainer's logged dataset/*, val/*, judge/* and cost/* values are checked against the recomputation at every step.`
  static override examples = [
    '<%= config.bin %> summarize',
    '<%= config.bin %> summarize wandb/offline-run-20251124_010713-ieqh524y --stdout train.log',
    '<%= config.bin %> summarize train.log --format md',
    '<%= config.bin %> summarize wandb/latest-run --json --chart report.html',
  ]
  static override enableJsonFlag = true
  static override args = {run: Args.string({description: 'run directory, .wandb file or trainer log', default: 'wandb/latest-run'})}
  static override flags = {
    stdout: Flags.string({description: "the trainer's stdout log (read instead of the console stored in the run)"}),
    ...reportFlags,
  }

  async run(): Promise<Summary> {
    const {args, flags} = await this.parse(Summarize)
    const analysis = await Analysis.open([{path: args.run, stdout: flags.stdout}], {dbFile: flags.db})
    try {
      const summary = await analysis.summary()
      if (flags.chart) {
        const {writeSummaryChart} = await import('../charts/command-charts.js')
        await writeSummaryChart(flags.chart, summary, await analysis.series())
      }
      if (!this.jsonEnabled()) {
        this.log(renderSummary(summary, flags.format as ReportFormat))
        if (flags.chart) this.logToStderr(`chart written to ${flags.chart}`)
      }
      return summary
    } finally {
      analysis.close()
    }
  }
}

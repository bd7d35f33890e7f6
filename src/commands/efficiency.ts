import {Args, Flags} from '@oclif/core'
import {RunlogCommand} from '../cli/base-command.js'
import {reportFlags} from '../cli/report-flags.js'
import {openRunWithProgress} from '../cli/open-analysis.js'
import {defaultRun} from '../cli/default-run.js'
import type {EfficiencyResult} from '../metrics/types.js'
import {stdoutLayout} from '../render/terminal.js'
import {type ReportFormat, renderEfficiency} from '../render/summary-report.js'

export default class Efficiency extends RunlogCommand {
  static override summary = 'The most cost-efficient training step: the lowest API cost per correct answer.'
  static override description =
    "Cost per correct answer of each training step = USD spent on the step's training samples (executor and judge calls) ÷ correct answers at that step; steps with no correct answer are excluded, ties go to the earliest step. --window N smooths over N steps (sums of cost over sums of correct). Also prints the Pareto frontier of cumulative cost against accuracy."
  static override examples = [
    '<%= config.bin %> efficiency wandb/latest-run',
    '<%= config.bin %> efficiency train.log --window 5 --top 10 --json',
  ]
  static override enableJsonFlag = true
  static override args = {
    run: Args.string({description: 'run directory, .wandb file or trainer log (default ./wandb/latest-run)'}),
  }
  static override flags = {
    window: Flags.integer({description: 'smooth over N steps ending at each step', default: 1, min: 1}),
    top: Flags.integer({description: 'how many steps to list', default: 5, min: 1}),
    stdout: Flags.string({description: "the trainer's stdout log (read instead of the console stored in the run)"}),
    ...reportFlags,
  }

  async run(): Promise<EfficiencyResult> {
    const {args, flags} = await this.parse(Efficiency)
    const run = args.run ?? defaultRun('efficiency')
    const analysis = await openRunWithProgress(
      {path: run, stdout: flags.stdout},
      {dbFile: flags.db, json: this.jsonEnabled()},
    )
    try {
      const result = await analysis.efficiency(0, flags.window)
      // Problems reading the run's files (the figures come from what could be read).
      for (const w of analysis.runs[0].damage) this.warnLine(w)
      if (flags.chart) {
        const {writeEfficiencyChart} = await import('../charts/command-charts.js')
        await writeEfficiencyChart(flags.chart, (await analysis.summary()).run, result, (await analysis.series()).cost)
      }
      if (!this.jsonEnabled()) {
        this.log(renderEfficiency(result, flags.format as ReportFormat, flags.top, stdoutLayout({wide: flags.wide})))
        if (flags.chart) this.logToStderr(`chart written to ${flags.chart}`)
      }
      return result
    } finally {
      analysis.close()
    }
  }
}

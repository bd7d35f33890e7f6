import {statSync} from 'node:fs'
import {Args, Flags} from '@oclif/core'
import {InputError} from '../readers/wandb/errors.js'
import {RunlogCommand} from '../cli/base-command.js'
import {reportFlags} from '../cli/report-flags.js'
import {Analysis} from '../metrics/analysis.js'
import {openAnalysisWithProgress, openRunWithProgress} from '../cli/open-analysis.js'
import {RunFollower} from '../metrics/run-follower.js'
import type {Summary} from '../metrics/types.js'
import {type ReportFormat, renderSummaries, renderSummary} from '../render/summary-report.js'
import {stdoutLayout} from '../render/terminal.js'
import {discoverRuns} from '../readers/run/discover-runs.js'
import {defaultRun, defaultRunsFolder} from '../cli/default-run.js'

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
  static override args = {run: Args.string({description: 'run directory, .wandb file or trainer log (default ./wandb/latest-run)'})}
  static override flags = {
    stdout: Flags.string({description: "the trainer's stdout log (read instead of the console stored in the run)"}),
    follow: Flags.boolean({
      char: 'f',
      description: 'live run: re-read the growing log every --interval seconds (only its new bytes) and redraw, until the run ends',
    }),
    interval: Flags.integer({description: 'seconds between re-reads with --follow', default: 5, min: 1}),
    all: Flags.boolean({
      description: 'every run below RUN (a folder of runs, e.g. a sweep): one summary each, read on all cores; --json prints an array',
      exclusive: ['follow', 'stdout'],
    }),
    ...reportFlags,
  }

  async run(): Promise<Summary | Summary[]> {
    const {args, flags} = await this.parse(Summarize)
    if (flags.all) return this.summarizeAll(args.run ?? defaultRunsFolder('summarize --all'), flags)
    const run = args.run ?? defaultRun('summarize')
    if (flags.follow) return this.follow(run, flags)
    const json = this.jsonEnabled()
    const analysis = await openRunWithProgress({path: run, stdout: flags.stdout}, {dbFile: flags.db, json})
    try {
      const summary = await analysis.summary()
      if (flags.chart) {
        const {writeSummaryChart} = await import('../charts/command-charts.js')
        await writeSummaryChart(flags.chart, summary, await analysis.series())
      }
      if (!this.jsonEnabled()) {
        const layout = stdoutLayout({wide: flags.wide})
        this.log(renderSummary(summary, flags.format as ReportFormat, await analysis.trainerMetrics(), layout))
        if (flags.chart) this.logToStderr(`chart written to ${flags.chart}`)
      }
      return summary
    } finally {
      analysis.close()
    }
  }

  /** `--all`: every run below a folder, one summary each. */
  private async summarizeAll(dir: string, flags: {format: string; db?: string; wide: boolean}): Promise<Summary[]> {
    const dirs = discoverRuns(dir)
    if (dirs.length === 0) throw new InputError(dir, 'no wandb runs below this folder')
    const analysis = await openAnalysisWithProgress(dirs.map((path) => ({path})), {dbFile: flags.db, json: this.jsonEnabled()})
    try {
      const summaries = await analysis.summaries()
      const layout = stdoutLayout({wide: flags.wide})
      if (!this.jsonEnabled()) this.log(renderSummaries(summaries, dirs, flags.format as ReportFormat, layout))
      return summaries
    } finally {
      analysis.close()
    }
  }

  /** `--follow`: redraw after every re-read that found new bytes; stop when the run is no longer running. */
  private async follow(
    run: string,
    flags: {stdout?: string; interval: number; format: string; db?: string; wide: boolean},
  ): Promise<Summary> {
    if (!statSync(run, {throwIfNoEntry: false})?.isDirectory() && !run.endsWith('.wandb'))
      throw new InputError(run, '--follow reads a run directory or a .wandb file (a growing stdout log: follow the run it belongs to)')
    const follower = new RunFollower(run)
    const tty = Boolean(process.stdout.isTTY)
    let summary: Summary | null = null
    for (let first = true; ; first = false) {
      const newBytes = follower.update()
      if (first || newBytes > 0) {
        const analysis = await Analysis.open([{path: run, stdout: flags.stdout, follower}], {dbFile: flags.db})
        try {
          summary = await analysis.summary()
        } finally {
          analysis.close()
        }
        const ended = summary.run.state !== 'running'
        if (this.jsonEnabled()) {
          if (!ended) process.stdout.write(`${JSON.stringify(summary)}\n`)
        } else {
          const time = new Date().toISOString().slice(11, 19)
          const status = ended
            ? `${time} the run is ${summary.run.state}: stopped following`
            : `${time} following ${run} (+${newBytes} bytes); re-reading every ${flags.interval}s, Ctrl-C to stop`
          if (tty) process.stdout.write('\x1b[H\x1b[2J')
          else if (!first) this.log('')
          this.log(`${renderSummary(summary, flags.format as ReportFormat, [], stdoutLayout({wide: flags.wide}))}\n\n${status}`)
        }
        if (ended) return summary
      }
      await new Promise((resolve) => setTimeout(resolve, flags.interval * 1000))
    }
  }
}

import {statSync} from 'node:fs'
import {Args, Errors, Flags} from '@oclif/core'
import {InputError} from '../errors.js'
import {RunlogCommand} from '../cli/base-command.js'
import {reportFlags} from '../cli/report-flags.js'
import {diagnosisFlags, diagnosisOptions} from '../cli/diagnosis-flags.js'
import type {DiagnosisOptions} from '../metrics/types.js'
import {Analysis} from '../analysis/analysis.js'
import {openAnalysisWithProgress, openRunWithProgress} from '../cli/open-analysis.js'
import {RunFollower} from '../ingest/run-follower.js'
import type {Summary} from '../metrics/types.js'
import {DEFAULT_METRIC_ROWS, type ReportFormat, renderSummaries, renderSummary} from '../render/summary-report.js'
import {stdoutLayout} from '../render/terminal.js'
import {discoverRuns} from '../readers/run/discover-runs.js'
import {defaultRun, defaultRunsFolder} from '../cli/default-run.js'
import {type RunError, inInputOrder} from '../runs/run-errors.js'
import {jsonText} from '../render/safe/json.js'

export default class Summarize extends RunlogCommand {
  static override summary =
    'Per-dataset accuracy, LLM-judge health and API cost of a run, recomputed from its raw events.'
  static override description = `RUN is a run directory, a .wandb file or a trainer stdout log (default ./wandb/latest-run). Every figure is recomputed in DuckDB from the most trusted evidence present — per-sample events (wandb Tables, stdout sample blocks, API calls), then the trainer's printed step tallies, then its logged aggregates — and its origin is shown. The trainer's logged dataset/*, val/*, judge/* and cost/* values are checked against the recomputation at every step.`
  static override examples = [
    '<%= config.bin %> summarize',
    '<%= config.bin %> summarize wandb/offline-run-20251124_010713-ieqh524y --stdout train.log',
    '<%= config.bin %> summarize train.log --format md',
    '<%= config.bin %> summarize wandb/latest-run --json --chart report.html',
  ]
  static override enableJsonFlag = true
  static override args = {
    run: Args.string({description: 'run directory, .wandb file or trainer log (default ./wandb/latest-run)'}),
  }
  static override flags = {
    stdout: Flags.string({description: "the trainer's stdout log (read instead of the console stored in the run)"}),
    follow: Flags.boolean({
      char: 'f',
      description:
        'live run: re-read the growing log every --interval seconds (only its new bytes) and redraw, until the run ends',
    }),
    interval: Flags.integer({description: 'seconds between re-reads with --follow', default: 5, min: 1}),
    all: Flags.boolean({
      description:
        'every run below RUN (a folder of runs, e.g. a sweep): one summary each, read on all cores; --json prints an array',
      exclusive: ['follow', 'stdout'],
    }),
    metrics: Flags.custom<number | 'all'>({
      description: `how many of the per-step metrics the trainer logged the table shows: a number, or all (default ${
        DEFAULT_METRIC_ROWS
      }; csv: all)`,
      parse: async (input) => {
        if (input === 'all') return 'all'
        if (/^[1-9]\d*$/.test(input)) return Number(input)
        // exit 2, as for any bad flag (oclif keeps an error's own exit code)
        throw new Errors.CLIError(`--metrics takes a number ≥ 1 or "all", not "${input}"`, {exit: 2})
      },
    })(),
    ...reportFlags,
    ...diagnosisFlags,
  }

  async run(): Promise<Summary | Array<Summary | RunError>> {
    const {args, flags} = await this.parse(Summarize)
    const diagnosis = diagnosisOptions(flags)
    if (flags.all) return this.summarizeAll(args.run ?? defaultRunsFolder('summarize --all'), flags, diagnosis)
    const run = args.run ?? defaultRun('summarize')
    if (flags.follow) return this.follow(run, flags, diagnosis)
    const json = this.jsonEnabled()
    const analysis = await openRunWithProgress({path: run, stdout: flags.stdout}, {dbFile: flags.db, json})
    try {
      const summary = await analysis.summary(0, diagnosis)
      this.warnDamage(analysis.runs[0].damage)
      if (flags.chart) {
        const {writeSummaryChart} = await import('../charts/command-charts.js')
        await writeSummaryChart(flags.chart, summary, await analysis.series(), {
          metricRows: metricRowsOf(flags),
          diagnosis,
        })
      }
      if (!this.jsonEnabled()) {
        const report = withoutDamage(summary, analysis.runs[0].damage)
        const layout = stdoutLayout({wide: flags.wide})
        this.log(renderSummary(report, flags.format as ReportFormat, metricRowsOf(flags), layout))
        if (flags.chart) this.logToStderr(`chart written to ${flags.chart}`)
      }
      return summary
    } finally {
      analysis.close()
    }
  }

  /** Problems reading a run's files go to stderr: they are about the input, not findings of the report. */
  private warnDamage(damage: readonly string[]): void {
    for (const w of damage) this.warnLine(w)
  }

  /** An unreadable run is one line on stderr and, in `--json`, an error entry in its place. */
  private async summarizeAll(
    dir: string,
    flags: {format: string; db?: string; wide: boolean},
    diagnosis: DiagnosisOptions,
  ): Promise<Array<Summary | RunError>> {
    const dirs = discoverRuns(dir)
    if (dirs.length === 0) throw new InputError(dir, 'no wandb runs below this folder')
    const inputs = dirs.map((path) => ({path}))
    const json = this.jsonEnabled()
    const analysis = await openAnalysisWithProgress(inputs, {dbFile: flags.db, json, skipUnreadable: true})
    try {
      for (const f of analysis.failures) this.skippedLine(f.error)
      this.failIfNoneRead(analysis.runs.length, analysis.failures.length, inInputOrder([], [], analysis.failures))
      const summaries = await analysis.summaries(diagnosis)
      for (const run of analysis.runs) this.warnDamage(run.damage)
      const result = inInputOrder(summaries, analysis.inputIndex, analysis.failures)
      const readDirs = analysis.inputIndex.map((i) => dirs[i])
      const layout = stdoutLayout({wide: flags.wide})
      if (!this.jsonEnabled()) this.log(renderSummaries(summaries, readDirs, flags.format as ReportFormat, layout))
      return result
    } finally {
      analysis.close()
    }
  }

  /** `--follow`: redraw after every re-read that found new bytes; stop when the run is no longer running. */
  private async follow(
    run: string,
    flags: {stdout?: string; interval: number; format: string; db?: string; metrics?: number | 'all'; wide: boolean},
    diagnosis: DiagnosisOptions,
  ): Promise<Summary> {
    if (!statSync(run, {throwIfNoEntry: false})?.isDirectory() && !run.endsWith('.wandb'))
      throw new InputError(
        run,
        '--follow reads a run directory or a .wandb file (a growing stdout log: follow the run it belongs to)',
      )
    const follower = new RunFollower(run, (logFile, why) => this.warnLine(`${logFile}: ${why}`))
    try {
      return await this.followWith(follower, run, flags, diagnosis)
    } finally {
      follower.close()
    }
  }

  private async followWith(
    follower: RunFollower,
    run: string,
    flags: {stdout?: string; interval: number; format: string; db?: string; metrics?: number | 'all'; wide: boolean},
    diagnosis: DiagnosisOptions,
  ): Promise<Summary> {
    const tty = Boolean(process.stdout.isTTY)
    let summary: Summary | null = null
    // Each problem reading the log is said once, not at every redraw.
    const said = new Set<string>()
    for (let first = true; ; first = false) {
      const newBytes = follower.update()
      if (first || newBytes > 0) {
        const analysis = await Analysis.open([{path: run, stdout: flags.stdout, follower}], {dbFile: flags.db})
        let damage: string[]
        try {
          summary = await analysis.summary(0, diagnosis)
          damage = analysis.runs[0].damage
          this.warnDamage(damage.filter((w) => !said.has(w)))
          for (const w of damage) said.add(w)
        } finally {
          analysis.close()
        }
        const ended = summary.run.state !== 'running'
        if (this.jsonEnabled()) {
          if (!ended) process.stdout.write(`${jsonText(summary)}\n`)
        } else {
          const time = new Date().toISOString().slice(11, 19)
          const status = ended
            ? `${time} the run is ${summary.run.state}: stopped following`
            : `${time} following ${run} (+${newBytes} bytes); re-reading every ${flags.interval}s, Ctrl-C to stop`
          if (tty) process.stdout.write('\x1b[H\x1b[2J')
          else if (!first) this.log('')
          const layout = stdoutLayout({wide: flags.wide})
          this.log(
            `${renderSummary(withoutDamage(summary, damage), flags.format as ReportFormat, metricRowsOf(flags), layout)}\n\n${status}`,
          )
        }
        if (ended) return summary
      }
      await new Promise((resolve) => setTimeout(resolve, flags.interval * 1000))
    }
  }
}

/** The rows of the per-step metrics table: `--metrics`, else 30 (all in CSV, which has no room for a note). */
function metricRowsOf(flags: {format: string; metrics?: number | 'all'}): number | 'all' {
  return flags.metrics ?? (flags.format === 'csv' ? 'all' : DEFAULT_METRIC_ROWS)
}

/** The summary as the report shows it: without the reading problems already said on stderr (`--json` keeps them). */
function withoutDamage(summary: Summary, damage: readonly string[]): Summary {
  if (damage.length === 0) return summary
  const said = new Set(damage)
  return {...summary, warnings: summary.warnings.filter((w) => !said.has(w))}
}

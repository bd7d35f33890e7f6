import {statSync} from 'node:fs'
import {InputError} from '../errors.js'
import type {DiagnosisOptions, Summary} from '../metrics/types.js'
import {Analysis} from '../analysis/analysis.js'
import {RunFollower} from '../ingest/run-follower.js'
import {DEFAULT_METRIC_ROWS, type ReportFormat, renderSummaries, renderSummary} from '../render/summary-report.js'
import {stdoutLayout} from '../render/terminal.js'
import {discoverRuns} from '../readers/run/discover-runs.js'
import {type RunError, inInputOrder} from '../runs/run-errors.js'
import {jsonText} from '../render/safe/json.js'
import {openAnalysisWithProgress, openRunWithProgress} from './open-analysis.js'
import {defaultRun, defaultRunsFolder} from './default-run.js'
import {type CommandIo, failIfNoneRead} from './command-io.js'

export interface SummarizeFlags {
  stdout?: string
  follow?: boolean
  interval: number
  all?: boolean
  metrics?: number | 'all'
  format: string
  chart?: string
  db?: string
  wide?: boolean
}

/** `runlog summarize [RUN] [flags]`: one run's summary (`--all`: each run below RUN; `--follow`: a live run). */
export async function runSummarize(
  runArg: string | undefined,
  flags: SummarizeFlags,
  diagnosis: DiagnosisOptions,
  io: CommandIo,
): Promise<Summary | Array<Summary | RunError>> {
  if (flags.all) return summarizeAll(runArg ?? defaultRunsFolder('summarize --all'), flags, diagnosis, io)
  const run = runArg ?? defaultRun('summarize')
  if (flags.follow) return follow(run, flags, diagnosis, io)
  const json = io.json
  const analysis = await openRunWithProgress({path: run, stdout: flags.stdout}, {dbFile: flags.db, json})
  try {
    const summary = await analysis.summary(0, diagnosis)
    warnDamage(analysis.runs[0].damage, io)
    if (flags.chart) {
      const {writeSummaryChart} = await import('../charts/command-charts.js')
      await writeSummaryChart(flags.chart, summary, await analysis.series(), {
        metricRows: metricRowsOf(flags),
        diagnosis,
      })
    }
    if (!io.json) {
      const report = withoutDamage(summary, analysis.runs[0].damage)
      const layout = stdoutLayout({wide: flags.wide})
      io.log(renderSummary(report, flags.format as ReportFormat, metricRowsOf(flags), layout))
      if (flags.chart) io.logToStderr(`chart written to ${flags.chart}`)
    }
    return summary
  } finally {
    analysis.close()
  }
}

/** Problems reading a run's files go to stderr: they are about the input, not findings of the report. */
function warnDamage(damage: readonly string[], io: CommandIo): void {
  for (const w of damage) io.warnLine(w)
}

/** An unreadable run is one line on stderr and, in `--json`, an error entry in its place. */
async function summarizeAll(
  dir: string,
  flags: {format: string; db?: string; wide?: boolean},
  diagnosis: DiagnosisOptions,
  io: CommandIo,
): Promise<Array<Summary | RunError>> {
  const dirs = discoverRuns(dir)
  if (dirs.length === 0) throw new InputError(dir, 'no wandb runs below this folder')
  const inputs = dirs.map((path) => ({path}))
  const json = io.json
  const analysis = await openAnalysisWithProgress(inputs, {dbFile: flags.db, json, skipUnreadable: true})
  try {
    for (const f of analysis.failures) io.skippedLine(f.error)
    failIfNoneRead(analysis.runs.length, analysis.failures.length, inInputOrder([], [], analysis.failures))
    const summaries = await analysis.summaries(diagnosis)
    for (const run of analysis.runs) warnDamage(run.damage, io)
    const result = inInputOrder(summaries, analysis.inputIndex, analysis.failures)
    const readDirs = analysis.inputIndex.map((i) => dirs[i])
    const layout = stdoutLayout({wide: flags.wide})
    if (!io.json) io.log(renderSummaries(summaries, readDirs, flags.format as ReportFormat, layout))
    return result
  } finally {
    analysis.close()
  }
}

/** `--follow`: redraw after every re-read that found new bytes; stop when the run is no longer running. */
async function follow(
  run: string,
  flags: SummarizeFlags,
  diagnosis: DiagnosisOptions,
  io: CommandIo,
): Promise<Summary> {
  if (!statSync(run, {throwIfNoEntry: false})?.isDirectory() && !run.endsWith('.wandb'))
    throw new InputError(
      run,
      '--follow reads a run directory or a .wandb file (a growing stdout log: follow the run it belongs to)',
    )
  const follower = new RunFollower(run, (logFile, why) => io.warnLine(`${logFile}: ${why}`))
  try {
    return await followWith(follower, run, flags, diagnosis, io)
  } finally {
    follower.close()
  }
}

async function followWith(
  follower: RunFollower,
  run: string,
  flags: SummarizeFlags,
  diagnosis: DiagnosisOptions,
  io: CommandIo,
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
        warnDamage(
          damage.filter((w) => !said.has(w)),
          io,
        )
        for (const w of damage) said.add(w)
      } finally {
        analysis.close()
      }
      const ended = summary.run.state !== 'running'
      if (io.json) {
        if (!ended) process.stdout.write(`${jsonText(summary)}\n`)
      } else {
        const time = new Date().toISOString().slice(11, 19)
        const status = ended
          ? `${time} the run is ${summary.run.state}: stopped following`
          : `${time} following ${run} (+${newBytes} bytes); re-reading every ${flags.interval}s, Ctrl-C to stop`
        if (tty) process.stdout.write('\x1b[H\x1b[2J')
        else if (!first) io.log('')
        const layout = stdoutLayout({wide: flags.wide})
        io.log(
          `${renderSummary(withoutDamage(summary, damage), flags.format as ReportFormat, metricRowsOf(flags), layout)}\n\n${status}`,
        )
      }
      if (ended) return summary
    }
    await new Promise((resolve) => setTimeout(resolve, flags.interval * 1000))
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

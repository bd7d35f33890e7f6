import {basename, join} from 'node:path'
import type {Table} from 'apache-arrow'
import type {ReadProgress} from '../readers/read-progress.js'
import type {RunData} from '../readers/run/read-run.js'
import type {RunInfo, StartOptions} from './evidence-types.js'
import {readFollowedLog} from './followed-log-read.js'
import {outputLogOfEmptyRun} from './output-log-of-empty-run.js'
import type {RunStart} from './run-start.js'
import {tableRefs, tableSampleParts} from './table-sample-parts.js'
import {readWandbLog} from './wandb-log-read.js'

/** A wandb run (a run directory or `.wandb` file, or a followed live run) with its log read. */
export function startWandbRun(runPath: string, opts: StartOptions, onProgress: ReadProgress | undefined): RunStart {
  const tableWarnings: string[] = []
  const read = opts.follower ? readFollowedLog(opts.follower) : readWandbLog(runPath, opts, onProgress, tableWarnings)
  const {data, tableReader} = read
  const notRead: string[] = []
  let stdout = opts.stdout ?? null
  const outputLog = stdout || opts.follower ? null : outputLogOfEmptyRun(data, notRead)
  const warnings = [...data.warnings, ...notRead]
  const damage = [...data.warnings, ...notRead]
  if (outputLog) {
    // The console of a log with no record is empty: a worker started for it has nothing to do.
    read.stopWorker()
    stdout = outputLog
    warnings.push(`${outputLog}: read as the run's stdout (its .wandb holds no records)`)
  }
  const sources = [data.location.logFile]
  const early: Record<string, Iterable<Table>> = {
    runs: [data.tables.runs],
    history: [data.tables.history!],
    summary: [data.tables.summary!],
  }
  const filesDir = data.location.dir ? join(data.location.dir, 'files') : null
  if (tableReader) {
    tableReader.finish()
    if (tableReader.files > 0) sources.push(`${filesDir}/media/table (${tableReader.files} table(s))`)
  } else {
    const refs = tableRefs(data.tables.media!)
    if (refs.length > 0 && filesDir) {
      // Read a part at a time, each when it is taken: a run with thousands of Tables holds far more samples than fit
      // in memory as JS rows.
      early.samples = tableSampleParts(refs, filesDir, tableWarnings)
      sources.push(`${filesDir}/media/table (${refs.length} table(s))`)
    }
  }
  return {
    runId: data.overview.id ?? basename(runPath),
    info: wandbRunInfo(data, sources),
    early,
    warnings,
    damage,
    tableWarnings,
    stateWarnings: endWarnings(data),
    parse: stdout ? null : read.parse,
    stdout,
    stepsFromStdout: outputLog !== null,
    fromConsole: !stdout,
  }
}

function wandbRunInfo(data: RunData, sources: string[]): RunInfo {
  const {id, name, project, state, exit_code, steps, wandb_version} = data.overview
  return {id, name, project, state, exit_code, steps, wandb_version, sources, error: null}
}

/** What a run that did not finish needs said: it crashed, or failed with an exit code. */
function endWarnings(data: RunData): string[] {
  const {state, exit_code} = data.overview
  const log = data.location.logFile
  if (state === 'crashed')
    return [`${log}: the run crashed or was killed (no exit record); its last step may be incomplete`]
  if (state === 'failed') return [`${log}: the run failed (exit code ${exit_code})`]
  return []
}

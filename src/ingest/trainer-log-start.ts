import {TableBuilder} from '../arrow/table-builder.js'
import type {ReadProgress} from '../readers/read-progress.js'
import {RUNS_COLUMNS} from '../readers/run/run-tables.js'
import {stdoutLogState} from '../readers/trainer/log-state.js'
import {type TableSink, handOverInParts, parseLogFileInParts, parsedFromEvents} from './console-parsing.js'
import type {RunInfo} from './evidence-types.js'
import {logRunId} from './log-run-id.js'
import type {RunStart} from './run-start.js'
import {clip} from './stdout-warnings.js'

/** Parsed now, its finished steps handed to `onLogPart`; the runs row is built from what it printed. */
export async function startTrainerLog(
  path: string,
  opts: {stdout?: string; onLogPart?: TableSink},
  onProgress: ReadProgress | undefined,
): Promise<RunStart> {
  const {events, parts, evidence} = await parseLogFileInParts(path, {onProgress, onPart: opts.onLogPart})
  const runId = logRunId(path)
  const steps = new Set(events.steps.map((s) => s.step)).size
  const state = stdoutLogState(path, events.end)
  const error = events.end.error
  const info: RunInfo = {
    id: runId,
    name: null,
    project: null,
    state,
    exit_code: null,
    steps,
    wandb_version: null,
    sources: [path],
    error,
  }
  const stateWarnings: string[] = []
  if (error) {
    const what = clip(`${error.type}${error.message ? `: ${error.message}` : ''}`)
    stateWarnings.push(`${path}: the run failed at line ${error.line}: ${what}`)
  }
  const runs = new TableBuilder(RUNS_COLUMNS)
  runs.append({run_id: runId, log_file: path, state, steps, bytes: events.bytes ?? null})
  return {
    runId,
    info,
    early: {runs: [runs.finish()]},
    warnings: [],
    damage: [],
    tableWarnings: [],
    stateWarnings,
    parse: opts.stdout ? null : (onTable) => handOverInParts(parts, parsedFromEvents(events), evidence, onTable),
    stdout: opts.stdout ?? null,
    stepsFromStdout: false,
    fromConsole: false,
  }
}

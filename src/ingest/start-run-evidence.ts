import {TableBuilder} from '../arrow/table-builder.js'
import {bothLogsProgress} from './both-logs-progress.js'
import {WANDB_TABLE_COLUMNS} from './evidence-tables.js'
import type {CollectedEvidence, StartOptions, StartedEvidence} from './evidence-types.js'
import {isWandbLog} from './input-kind.js'
import {parseLogFile} from './parse-log-file.js'
import type {RunStart, TrainerParse} from './run-start.js'
import {groupedWarnings} from './stdout-warnings.js'
import {startTrainerLog} from './trainer-log-start.js'
import {startWandbRun} from './wandb-run-start.js'

/** No database involved, so this can run in a worker. */
export async function startRunEvidence(runPath: string, opts: StartOptions = {}): Promise<StartedEvidence> {
  // With a stdout log, the progress counts the bytes of both logs: the run's, then the stdout log's.
  const progress = bothLogsProgress(opts.onProgress, opts.stdout)
  const start = isWandbLog(runPath)
    ? startWandbRun(runPath, opts, progress.run)
    : await startTrainerLog(runPath, opts, progress.run)
  // Every run gets the wandb log's tables, so that the metric views always find them.
  for (const [name, spec] of Object.entries(WANDB_TABLE_COLUMNS))
    start.early[name] ??= [new TableBuilder(spec).finish()]
  return startedEvidence(start, start.stdout ? stdoutParse(start, progress.stdout) : start.parse!)
}

function stdoutParse(start: RunStart, onProgress: StartOptions['onProgress']): TrainerParse {
  const file = start.stdout!
  start.info.sources.push(file)
  return async (onTable) => {
    const {outcome, steps} = await parseLogFile(file, onTable, {onProgress})
    // A run whose .wandb holds no record has no step but those of its files/output.log.
    if (start.stepsFromStdout) start.info.steps = steps
    return outcome
  }
}

/** The run once its log is read: `rest` parses its trainer output and completes its warnings. */
function startedEvidence(start: RunStart, parse: TrainerParse): StartedEvidence {
  const {runId, info, warnings, damage} = start
  return {
    runId,
    early: start.early,
    async rest(onTable) {
      const tables: Record<string, CollectedEvidence['tables'][string]> = {}
      const parsed = await parse(onTable ?? (async (name, table) => void (tables[name] ??= []).push(table)))
      const consoleLines = start.fromConsole ? parsed.lines : 0
      const {sources} = info
      if (consoleLines > 0 && parsed.evidence > 0)
        sources.splice(1, 0, `${sources[0]} (console: ${consoleLines} lines)`)
      warnings.push(...start.tableWarnings, ...start.stateWarnings, ...groupedWarnings(parsed.warnings))
      // A line cut at the line limit is a problem reading the input (stderr), not a finding of the report.
      const cut = parsed.warnings.filter((w) => w.kind === 'long_line')
      damage.push(...start.tableWarnings, ...groupedWarnings(cut))
      return {runId, info, warnings, damage, consoleLines, tables}
    },
  }
}

import type {RecordBatch, Table} from 'apache-arrow'
import {BATCH_ROWS, schemaOf} from '../arrow/table-builder.js'
import type {RunDatabase} from '../engine/run-database.js'
import {everySettled} from '../engine/every-settled.js'
import {RunTableLoader} from '../engine/run-table-loader.js'
import type {StagingStream} from '../engine/staging-stream.js'
import {quoteIdent} from '../engine/sql-text.js'
import {worthParallel} from '../parallel/worker-pool.js'
import {HISTORY_COLUMNS} from '../readers/run/run-tables.js'
import {type TableSink, startParseWorker} from './console-parsing.js'
import {PIPELINE_MIN_BYTES, consoleOnWorker} from './console-on-worker.js'
import {TRAINER_TABLE_NAMES, emptyEvidenceTable} from './evidence-tables.js'
import type {CollectedEvidence, RunEvidence, StartedEvidence} from './evidence-types.js'
import {isWandbLog} from './input-kind.js'
import {logBytes} from './log-bytes.js'
import {logRunId} from './log-run-id.js'
import type {RunInput} from './run-input.js'
import * as settings from '../settings.js'
import {stageTables} from './stage-tables.js'
import {startRunEvidence} from './start-run-evidence.js'
import {uniqueRunId} from './unique-run-id.js'

type Database = RunDatabase | Promise<RunDatabase>

/** The log's tables go in while the console is still being parsed; the database may still be opening meanwhile. */
export async function loadRunEvidence(
  database: Database,
  input: RunInput,
  takenIds: ReadonlySet<string> = new Set(),
): Promise<RunEvidence> {
  // A big run's history and wandb Tables' samples go into staging tables while its log is read (not all into this
  // thread's memory first): the database must be open before. Otherwise the log is read while it opens.
  const stream = !input.follower && isWandbLog(input.path) && worthParallel(logBytes(input.path), PIPELINE_MIN_BYTES)
  // Its worker loads its modules while DuckDB's library loads here.
  const parseWorker = consoleOnWorker(input.path, input) ? startParseWorker() : null
  let started: StartedEvidence
  let history: StagingStream | null = null
  let samples: StagingStream | null = null
  // A trainer log's finished steps are staged as it is parsed (its run id is known before), not kept until its end.
  let loader: RunTableLoader | null = null
  const onLogPart: TableSink = async (name, table) => {
    loader ??= new RunTableLoader(await database, uniqueRunId(logRunId(input.path), takenIds))
    await loader.stage(name, table)
  }
  try {
    history = stream ? await RunTableLoader.openStream(await database, 'history', schemaOf(HISTORY_COLUMNS)) : null
    const samplesSchema = emptyEvidenceTable('samples').schema
    samples = stream ? await RunTableLoader.openStream(await database, 'samples', samplesSchema) : null
    const onHistoryBatch = history ? (batch: RecordBatch) => history!.append(batch) : undefined
    const onTableSamples = samples
      ? (part: Table) => part.batches.forEach((batch) => samples!.append(batch))
      : undefined
    const historyBatchRows = historyBatchRowsSetting()
    const opts = {...input, onHistoryBatch, historyBatchRows, onTableSamples, parseWorker, onLogPart}
    started = await startRunEvidence(input.path, opts)
  } catch (error) {
    // Not left running (in a process that goes on, as a test's), and nothing of the run left in the database (the
    // other runs of a sweep go on).
    if (parseWorker) void parseWorker.worker.terminate().finally(parseWorker.removeParts)
    await discardStaged(database, [history, samples], loader)
    throw error
  }
  const db = await database
  const tables = loader ?? new RunTableLoader(db, uniqueRunId(started.runId, takenIds))
  try {
    return await loadStarted(db, tables, started, history, samples)
  } catch (error) {
    await discardStaged(database, [], tables)
    throw error
  }
}

/** What was staged of a run that failed: dropped, so that the database holds only the runs read whole. */
async function discardStaged(
  database: Database,
  streams: Array<StagingStream | null>,
  loader: RunTableLoader | null,
): Promise<void> {
  try {
    const db = await database
    for (const s of streams) if (s) await db.run(`DROP TABLE IF EXISTS ${quoteIdent(s.close().name)}`)
    await loader?.discard()
  } catch {
    // The database itself failed: its own error is the one reported.
  }
}

async function loadStarted(
  db: RunDatabase,
  tables: RunTableLoader,
  started: StartedEvidence,
  history: StagingStream | null,
  samples: StagingStream | null,
): Promise<RunEvidence> {
  // Streamed parts come first: the rest of the history, and the samples of the console, follow them.
  for (const [name, streamed] of [
    ['history', history],
    ['samples', samples],
  ] as const) {
    if (!streamed) continue
    const part = streamed.close()
    if (streamed.rows > 0) tables.adopt(name, part)
    else await db.run(`DROP TABLE ${quoteIdent(part.name)}`)
  }
  // The log's own tables are whole: staged now, and written while the console's tables are staged. A table the console
  // adds to (the samples) waits for its other part.
  const whole = Object.keys(started.early).filter((name) => !TRAINER_TABLE_NAMES.has(name))
  await stageTables(tables, started.early)
  const writingWhole = tables.commit(whole)
  // Awaited below; a failure meanwhile is not an unhandled rejection.
  writingWhole.catch(() => {})
  let ev: CollectedEvidence
  // A table whose last part is staged is written meanwhile, on a connection of its own, while the next ones are staged.
  const writingDone: Array<Promise<void>> = []
  try {
    // A table may come in several parts (a long console's finished steps): all are staged, then each written once.
    ev = await started.rest(async (name, table, last) => {
      await tables.stage(name, table)
      if (!last) return
      const writing = tables.commit([name])
      // Awaited below; a failure meanwhile is not an unhandled rejection.
      writing.catch(() => {})
      writingDone.push(writing)
    })
  } finally {
    await everySettled([writingWhole, ...writingDone])
  }
  await tables.commit()
  return {runId: tables.runId, info: ev.info, warnings: ev.warnings, damage: ev.damage, consoleLines: ev.consoleLines}
}

/** Rows per record batch of a big run's history into DuckDB: `RUNLOG_HISTORY_BATCH_ROWS`, or `BATCH_ROWS`. */
function historyBatchRowsSetting(): number {
  return settings.historyBatchRows() ?? BATCH_ROWS
}

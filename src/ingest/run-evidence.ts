import {statSync} from 'node:fs'
import {specialKind} from '../readers/input-file.js'
import {cpus} from 'node:os'
import {basename, join} from 'node:path'
import type {RecordBatch, Table} from 'apache-arrow'
import {BATCH_ROWS, TableBuilder, schemaOf} from '../arrow/table-builder.js'
import type {RunDatabase} from '../engine/run-database.js'
import {RunTableLoader} from '../engine/run-table-loader.js'
import type {StagingStream} from '../engine/staging-stream.js'
import {quoteIdent} from '../engine/sql-text.js'
import {worthParallel, worthPipeline} from '../parallel/worker-pool.js'
import {findLogIn, locateRun} from '../readers/run/locate-run.js'
import {type RunData, type RunTableName, readLocatedRun} from '../readers/run/read-run.js'
import {HISTORY_COLUMNS, RUNS_COLUMNS, SUMMARY_COLUMNS} from '../readers/run/run-tables.js'
import {TRAINER_TABLE_EVENTS, trainerTable} from '../readers/trainer/trainer-tables.js'
import type {TrainerEvents} from '../readers/trainer/types.js'
import {stdoutLogState} from '../readers/trainer/log-state.js'
import {exceptionOf} from '../readers/trainer/families/noise.js'
import type {HistoryRecord} from '../readers/wandb/records.js'
import {TableSampleReader, tableFileRefs} from '../readers/trainer/wandb-table-parts.js'
import type {TableFileRef} from '../readers/trainer/wandb-table-samples.js'
import {InputError} from '../errors.js'
import * as settings from '../settings.js'
import {FILE_HEADER_SIZE} from '../readers/wandb/log-container.js'
import {
  type ParseOutcome,
  type ParseWorker,
  type TableSink,
  handOverInParts,
  inlineConsoleParsing,
  parseLogFileInParts,
  parsedFromEvents,
  startParseWorker,
  workerConsoleParsing,
} from './console-parsing.js'
import type {RunFollower} from './run-follower.js'
import type {RunInfo} from '../metrics/types.js'
import type {ReadProgress} from '../readers/read-progress.js'

/** What one run contributed to the database. */
export interface RunEvidence {
  runId: string
  info: RunInfo
  warnings: string[]
  /** The warnings (among `warnings`) about reading the run's files: damage, a truncated log, unreadable side files. */
  damage: string[]
  /** The console lines the run's `.wandb` holds (0 when none or when --stdout replaced them). */
  consoleLines: number
}

/** Tables every run gets, so the metric views always find them (empty when a run has no such evidence). */
const WANDB_TABLES = {runs: RUNS_COLUMNS, history: HISTORY_COLUMNS, summary: SUMMARY_COLUMNS}

const emptyTables = new Map<string, Table>()

/**
 * An evidence table with no rows (a worker thread sends only its name: most tables of most runs of a sweep are empty,
 * and each cost ~0.5 ms to serialize and read back).
 */
export function emptyEvidenceTable(name: string): Table {
  let table = emptyTables.get(name)
  if (!table) {
    if (name in WANDB_TABLES) table = new TableBuilder(WANDB_TABLES[name as keyof typeof WANDB_TABLES]).finish()
    else if (TRAINER_TABLE_NAMES.has(name)) table = trainerTable(name as keyof typeof TRAINER_TABLE_EVENTS, [])
    else throw new Error(`no evidence table named ${name}`)
    emptyTables.set(name, table)
  }
  return table
}

function isWandbLog(path: string): boolean {
  try {
    const st = statSync(path)
    if (st.isDirectory()) return true
    return path.endsWith('.wandb')
  } catch {
    throw new InputError(path, 'no such file or directory')
  }
}

/** One run's raw events as Arrow tables, before they go into a database (what a worker thread sends back). */
export interface CollectedEvidence {
  runId: string
  info: RunInfo
  warnings: string[]
  /** See `RunEvidence.damage`. */
  damage: string[]
  consoleLines: number
  /** The rows of each table, in one or more parts (the wandb Tables' samples, then the samples parsed from stdout). */
  tables: Record<string, Table[]>
}

/** A run being read: the tables ready once its log is read, and the rest once its console is parsed. */
export interface StartedEvidence {
  runId: string
  /**
   * Ready now: runs, history, summary and the wandb Tables' samples (they can go into the database meanwhile). The
   * samples' parts are read from the Table files as they are iterated (once), adding to the run's warnings: take them
   * before `rest`.
   */
  early: Record<string, Iterable<Table>>
  /**
   * The trainer tables of its console or stdout log (tables not in `early`), with the run's info and warnings. With
   * `onTable`, each table is handed to it in turn (and `tables` stays empty).
   */
  rest(onTable?: TableSink): Promise<CollectedEvidence>
}

export interface StartOptions {
  /** A trainer stdout log that replaces the run's console. */
  stdout?: string
  /** The run is live: its reader's snapshot is taken. */
  follower?: RunFollower
  /** Told the bytes of the log read so far (a progress bar). */
  onProgress?: ReadProgress
  /** Takes the history as it is read, a record batch at a time (`early.history` then holds only the rows after the last one). */
  onHistoryBatch?: (batch: RecordBatch) => void
  /** Rows per batch given to `onHistoryBatch`. */
  historyBatchRows?: number
  /**
   * Takes the samples of the run's wandb Tables, a part at a time (`early` then has none). They are read while the log
   * is, whenever this thread waits for the console's worker, and the rest once the log is read.
   */
  onTableSamples?: (part: Table) => void
  /** The worker to parse the console on, started ahead (see `consoleOnWorker`); null: none (parsed in this thread). */
  parseWorker?: ParseWorker | null
  /**
   * When the run is a trainer log (not a `.wandb`): takes the tables of its finished steps, a part at a time, as the
   * log is parsed (awaited before it goes on; `rest` then hands over only what follows them). Its run id is `logRunId`.
   */
  onLogPart?: TableSink
}

/** The run id of a trainer log read as a run: its file name without `.log`, `.txt` or `.out`. */
export function logRunId(path: string): string {
  return basename(path).replace(/\.(log|txt|out)$/, '')
}

/**
 * Starts reading one run and its optional stdout log into Arrow tables (no database involved: this can run in a
 * worker). A big run's console is parsed on a worker thread while its log is read and while `early` is loaded.
 */
export async function startRunEvidence(runPath: string, opts: StartOptions = {}): Promise<StartedEvidence> {
  const {follower, onHistoryBatch, historyBatchRows, onTableSamples, parseWorker} = opts
  // With a stdout log, the progress counts the bytes of both logs: the run's, then the stdout log's.
  let stdoutPath = opts.stdout
  const stdoutBytes = stdoutPath && opts.onProgress ? fileBytes(stdoutPath) : 0
  let runBytes = 0
  const onProgress: ReadProgress | undefined =
    opts.onProgress &&
    ((read, size) => {
      runBytes = size
      opts.onProgress!(read, size + stdoutBytes)
    })
  const warnings: string[] = []
  const damage: string[] = []
  // Found while the samples of `early` are read (after the log's own warnings, before those of its state).
  const tableWarnings: string[] = []
  const stateWarnings: string[] = []
  const sources: string[] = []
  let emptyRunStdout = false
  const early: Record<string, Iterable<Table>> = {}
  let info: RunInfo
  let runId: string
  let parse: ((onTable: TableSink) => Promise<ParseOutcome>) | null = null
  const wandbLog = isWandbLog(runPath)

  if (wandbLog) {
    // The run's console is parsed unless --stdout replaces it: on a worker thread for a big log, so that decoding the
    // .wandb and parsing its console use both cores.
    const location = follower ? null : locateRun(runPath)
    // The wandb Tables' samples read as the log is (only when they are taken as they come).
    const tableReader = location?.dir && onTableSamples ? new TableSampleReader(join(location.dir, 'files'), onTableSamples, tableWarnings, STREAMED_TABLE_FILES_PER_PART) : null
    const whileWaiting = tableReader ? () => tableReader.readOne() : undefined
    const worker = parseWorker !== undefined ? parseWorker : consoleOnWorker(runPath, opts) ? startParseWorker() : null
    const parsing = stdoutPath || follower ? null : ((worker && workerConsoleParsing({worker, whileWaiting})) ?? inlineConsoleParsing())
    let data: RunData
    let followedConsole: string | null = null
    if (follower) {
      const snap = follower.snapshot()
      data = snap.data
      followedConsole = snap.consoleFile
    } else {
      const onOutputRecord = parsing ? (body: Uint8Array) => parsing.pushRecord(body) : undefined
      const onHistory = tableReader ? (rec: HistoryRecord) => tableFileRefs(rec).forEach((ref) => tableReader.add(ref)) : undefined
      try {
        const tables: RunTableName[] = ['history', 'summary', 'media']
        const batches = {onHistoryBatch, historyBatchRows}
        data = readLocatedRun(location!, {tables, onOutputRecord, onProgress, ...batches, onHistory})
      } catch (error) {
        // A worker started here is stopped: left running, it would keep a worker thread of a sweep from exiting.
        if (worker && parseWorker === undefined) void worker.worker.terminate().finally(worker.removeParts)
        throw error
      }
    }
    // The console is all read: the worker finishes its tables while the wandb Tables are read here.
    parsing?.end()
    warnings.push(...data.warnings)
    damage.push(...data.warnings)
    const notRead: string[] = []
    const outputLog = stdoutPath || follower ? null : outputLogOfEmptyRun(data, notRead)
    warnings.push(...notRead)
    damage.push(...notRead)
    if (outputLog) {
      // The console of a log with no record is empty: a worker started for it has nothing to do.
      if (worker) void worker.worker.terminate().finally(worker.removeParts)
      stdoutPath = outputLog
      emptyRunStdout = true
      warnings.push(`${outputLog}: read as the run's stdout (its .wandb holds no records)`)
    }
    runId = data.overview.id ?? basename(runPath)
    sources.push(data.location.logFile)
    Object.assign(early, {runs: [data.tables.runs], history: [data.tables.history!], summary: [data.tables.summary!]})
    const filesDir = data.location.dir ? join(data.location.dir, 'files') : null
    if (tableReader) {
      tableReader.finish()
      if (tableReader.files > 0) sources.push(`${filesDir}/media/table (${tableReader.files} table(s))`)
    } else {
      const refs = tableRefs(data.tables.media!)
      if (refs.length > 0 && filesDir) {
        // Built in parts, each when it is taken: the 1 GB benchmark run's 25,000 Tables hold ~400,000 samples, ~250 MB
        // as JS rows at once, ~60 MB as Arrow.
        early.samples = tableSampleParts(refs, filesDir, tableWarnings)
        sources.push(`${filesDir}/media/table (${refs.length} table(s))`)
      }
    }
    if (!stdoutPath && parsing) parse = (onTable) => parsing.finish(onTable)
    else if (!stdoutPath) parse = (onTable) => parseSpooledConsole(followedConsole!, onTable)
    info = {
      id: data.overview.id,
      name: data.overview.name,
      project: data.overview.project,
      state: data.overview.state,
      exit_code: data.overview.exit_code,
      steps: data.overview.steps,
      wandb_version: data.overview.wandb_version,
      sources,
      error: null,
    }
    if (data.overview.state === 'crashed')
      stateWarnings.push(`${data.location.logFile}: the run crashed or was killed (no exit record); its last step may be incomplete`)
    else if (data.overview.state === 'failed') stateWarnings.push(`${data.location.logFile}: the run failed (exit code ${data.overview.exit_code})`)
  } else {
    const {events, parts, evidence} = await parseLogFileInParts(runPath, {onProgress, onPart: opts.onLogPart})
    runId = logRunId(runPath)
    sources.push(runPath)
    const steps = new Set(events.steps.map((s) => s.step))
    const state = stdoutLogState(runPath, events.end)
    const error = events.end.error
    info = {
      id: runId,
      name: null,
      project: null,
      state,
      exit_code: null,
      steps: steps.size,
      wandb_version: null,
      sources,
      error,
    }
    if (error) {
      const what = clip(`${error.type}${error.message ? `: ${error.message}` : ''}`)
      stateWarnings.push(`${runPath}: the run failed at line ${error.line}: ${what}`)
    }
    const runs = new TableBuilder(RUNS_COLUMNS)
    runs.append({run_id: runId, log_file: runPath, state, steps: steps.size, bytes: events.bytes ?? null})
    early.runs = [runs.finish()]
    if (!stdoutPath) parse = (onTable) => handOverInParts(parts, parsedFromEvents(events), evidence, onTable)
  }
  if (stdoutPath) {
    sources.push(stdoutPath)
    parse = async (onTable) => {
      const onStdoutProgress: ReadProgress | undefined = opts.onProgress && ((read, size) => opts.onProgress!(runBytes + read, runBytes + size))
      // Its finished steps go to `onTable` as they are parsed (no part is kept): the rest follows them.
      const {events, parts, evidence} = await parseLogFileInParts(stdoutPath, {onProgress: onStdoutProgress, onPart: onTable})
      // A run whose .wandb holds no record has no step but those of its files/output.log.
      if (emptyRunStdout) info.steps = new Set(events.steps.map((s) => s.step)).size
      return handOverInParts(parts, parsedFromEvents(events), evidence, onTable)
    }
  }
  for (const [name, spec] of Object.entries(WANDB_TABLES)) early[name] ??= [new TableBuilder(spec).finish()]

  const fromConsole = !stdoutPath && wandbLog
  const parseAll = parse!
  return {
    runId,
    early,
    async rest(onTable) {
      const tables: Record<string, Table[]> = {}
      const parsed = await parseAll(onTable ?? (async (name, table) => void (tables[name] ??= []).push(table)))
      const consoleLines = fromConsole ? parsed.lines : 0
      if (consoleLines > 0 && parsed.evidence > 0) sources.splice(1, 0, `${sources[0]} (console: ${consoleLines} lines)`)
      warnings.push(...tableWarnings, ...stateWarnings, ...groupedWarnings(parsed.warnings))
      // A line cut at the line limit is a problem reading the input (stderr), not a finding of the report.
      damage.push(...tableWarnings, ...groupedWarnings(parsed.warnings.filter((w) => w.kind === 'long_line')))
      return {runId, info, warnings, damage, consoleLines, tables}
    },
  }
}

/** `files/output.log` of a run whose `.wandb` holds no record (empty, or a header only), when it is a regular file. */
function outputLogOfEmptyRun(data: RunData, warnings: string[]): string | null {
  if (!data.location.dir || data.overview.bytes > FILE_HEADER_SIZE) return null
  const file = join(data.location.dir, 'files', 'output.log')
  let st
  try {
    st = statSync(file)
  } catch {
    return null
  }
  if (st.isFile()) return file
  // Said like any other side file that is not read: a FIFO there must not go unnoticed (nor be opened).
  warnings.push(`${file}: ${specialKind(st) ?? 'not a regular file'}, not a file (skipped, never opened)`)
  return null
}

/** A followed run's console, spooled to a file: parsed in parts as a trainer log is (see `RunFollower`). */
async function parseSpooledConsole(file: string, onTable: TableSink): Promise<ParseOutcome> {
  const opts = {onPart: onTable, origin: 'wandb_console', sniff: false}
  const {events, parts, evidence} = await parseLogFileInParts(file, opts)
  return handOverInParts(parts, parsedFromEvents(events), evidence, onTable)
}

/** Whether the run's console is parsed on a worker thread: a big `.wandb`, read whole, with its own console, and two threads allowed. */
export function consoleOnWorker(runPath: string, opts: {stdout?: string; follower?: RunFollower} = {}): boolean {
  return !opts.stdout && !opts.follower && isWandbLog(runPath) && worthPipeline(logSize(runPath), PIPELINE_MIN_BYTES, cpus().length)
}

/** Reads one run and its optional stdout log into Arrow tables, every table whole (`early` parts first). */
export async function collectRunEvidence(runPath: string, stdoutPath?: string, follower?: RunFollower): Promise<CollectedEvidence> {
  const started = await startRunEvidence(runPath, {stdout: stdoutPath, follower})
  const early = Object.entries(started.early).map(([name, parts]) => [name, [...parts]] as const)
  const ev = await started.rest()
  for (const [name, parts] of early) ev.tables[name] = [...parts, ...(ev.tables[name] ?? [])]
  return ev
}

/**
 * Reads one run into the database: its log's tables go in while its console is still being parsed (on a worker thread
 * for a big run), then the trainer tables. Tagged with a run id unique among `takenIds`. The database may still be
 * opening: the log is read meanwhile.
 */
export async function loadRunEvidence(
  database: RunDatabase | Promise<RunDatabase>,
  input: {path: string; stdout?: string; follower?: RunFollower; onProgress?: ReadProgress},
  takenIds: ReadonlySet<string> = new Set(),
): Promise<RunEvidence> {
  // A big run's history and wandb Tables' samples go into staging tables while its log is read (not all into this
  // thread's memory first): the database must be open before. Otherwise the log is read while it opens.
  const stream = !input.follower && isWandbLog(input.path) && worthParallel(logSize(input.path), PIPELINE_MIN_BYTES)
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
    samples = stream ? await RunTableLoader.openStream(await database, 'samples', emptyEvidenceTable('samples').schema) : null
    const onHistoryBatch = history ? (batch: RecordBatch) => history!.append(batch) : undefined
    const onTableSamples = samples ? (part: Table) => part.batches.forEach((batch) => samples!.append(batch)) : undefined
    const historyBatchRows = historyBatchRowsSetting()
    started = await startRunEvidence(input.path, {...input, onHistoryBatch, historyBatchRows, onTableSamples, parseWorker, onLogPart})
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
  database: RunDatabase | Promise<RunDatabase>,
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

/** The rest of `loadRunEvidence`, once the run's log is read: its tables into the database. */
async function loadStarted(
  db: RunDatabase,
  tables: RunTableLoader,
  started: StartedEvidence,
  history: StagingStream | null,
  samples: StagingStream | null,
): Promise<RunEvidence> {
  // Streamed parts come first: the rest of the history, and the samples of the console, follow them.
  for (const [name, streamed] of [['history', history], ['samples', samples]] as const) {
    if (!streamed) continue
    const part = streamed.close()
    if (streamed.rows > 0) tables.adopt(name, part)
    else await db.run(`DROP TABLE ${quoteIdent(part.name)}`)
  }
  // The log's own tables are whole: staged now, and written while the console's tables are staged. A table the console
  // adds to (the samples) waits for its other part.
  const whole = Object.keys(started.early).filter((name) => !TRAINER_TABLE_NAMES.has(name))
  await stageAll(tables, started.early)
  const writingWhole = tables.commit(whole)
  // Awaited below; a failure meanwhile is not an unhandled rejection.
  writingWhole.catch(() => {})
  let ev: CollectedEvidence
  try {
    // A table may come in several parts (a long console's finished steps): all are staged, then each table written once.
    ev = await started.rest((name, table) => tables.stage(name, table))
  } finally {
    await writingWhole
  }
  await tables.commit()
  return {runId: tables.runId, info: ev.info, warnings: ev.warnings, damage: ev.damage, consoleLines: ev.consoleLines}
}

/** Rows per record batch of a big run's history as it goes into DuckDB: `BATCH_ROWS`, or `RUNLOG_HISTORY_BATCH_ROWS`. */
function historyBatchRowsSetting(): number {
  return settings.historyBatchRows() ?? BATCH_ROWS
}

/** The tables parsed from a trainer's stdout (a run's console). */
const TRAINER_TABLE_NAMES: ReadonlySet<string> = new Set(Object.keys(TRAINER_TABLE_EVENTS))

/** wandb Table files per part of the samples when they go into the database as they are read (not kept: small parts). */
const STREAMED_TABLE_FILES_PER_PART = 200

/** Below this size of log, parsing its console in this thread is faster than starting a worker. */
const PIPELINE_MIN_BYTES = 16 * 1024 * 1024

/** A file's size, 0 when it cannot be read (reading it then says why). */
function fileBytes(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

function logSize(runPath: string): number {
  try {
    const st = statSync(runPath)
    const log = st.isDirectory() ? findLogIn(runPath) : runPath
    return log ? statSync(log).size : 0
  } catch {
    return 0
  }
}

/** Appends collected evidence to the database's tables, tagged with a run id unique among `takenIds`. */
export async function appendRunEvidence(db: RunDatabase, ev: CollectedEvidence, takenIds: ReadonlySet<string> = new Set()): Promise<RunEvidence> {
  const runId = uniqueRunId(ev.runId, takenIds)
  const loader = new RunTableLoader(db, runId)
  await stageAll(loader, ev.tables, true)
  return {runId, info: ev.info, warnings: ev.warnings, damage: ev.damage, consoleLines: ev.consoleLines}
}

/** The same run given twice, or the parts of a resumed run (same id in several folders), stay apart: `id#2`, `id#3`… */
function uniqueRunId(runId: string, takenIds: ReadonlySet<string>): string {
  if (!takenIds.has(runId)) return runId
  let n = 2
  while (takenIds.has(`${runId}#${n}`)) n++
  return `${runId}#${n}`
}

/** Stages every part of every table (and commits each table once its parts are in), letting each Arrow copy go once it is staged. */
async function stageAll(loader: RunTableLoader, tables: Record<string, Iterable<Table>>, commitEach = false): Promise<void> {
  for (const name of Object.keys(tables)) {
    for (const part of tables[name]) await loader.stage(name, part)
    delete tables[name]
    if (commitEach) await loader.commit([name])
  }
}

/** The samples of the wandb Tables, a part at a time, each read when it is taken (their warnings added to `warnings`). */
function* tableSampleParts(refs: TableFileRef[], filesDir: string, warnings: string[]): Generator<Table> {
  const parts: Table[] = []
  const reader = new TableSampleReader(filesDir, (part) => parts.push(part), warnings)
  for (const ref of refs) reader.add(ref)
  while (reader.readOne()) if (parts.length > 0) yield parts.pop()!
  reader.finish()
  if (parts.length > 0) yield parts.pop()!
}

function tableRefs(media: Table): TableFileRef[] {
  const out: TableFileRef[] = []
  for (let i = 0; i < media.numRows; i++) {
    const row = media.get(i)!
    if (row.type === 'table-file' && row.origin === 'history' && typeof row.path === 'string')
      out.push({step: Number(row.step), key: String(row.key), path: row.path})
  }
  return out
}

/** Stdout warnings, one line per kind when a kind repeats (a long log can hold thousands of the same warning). */
/** `: 74 TypeError, 2 RuntimeError` when the tracebacks end in more than one exception type (most frequent first). */
function byType(tracebacks: TrainerEvents['warnings']): string {
  const counts = new Map<string, number>()
  for (const w of tracebacks) {
    const type = exceptionOf(w.message)?.type ?? 'no exception line'
    counts.set(type, (counts.get(type) ?? 0) + 1)
  }
  if (counts.size <= 1) return ''
  return `: ${[...counts].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${n} ${t}`).join(', ')}`
}

/** At most 200 characters of a message (a CUDA out-of-memory message runs to 400). */
function clip(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 199)}…`
}

function groupedWarnings(list: TrainerEvents['warnings']): string[] {
  const byKind = new Map<string, TrainerEvents['warnings']>()
  for (const w of list) {
    const k = byKind.get(w.kind)
    if (k) k.push(w)
    else byKind.set(w.kind, [w])
  }
  const out: string[] = []
  for (const [kind, ws] of byKind) {
    // wandb's own ERROR/WARNING lines are the log's content, not runlog's findings: they stay in the warnings table.
    if (kind === 'wandb') continue
    const first = ws[0]
    const at = first.line ? ` at line ${first.line}` : ''
    if (kind === 'traceback') {
      out.push(`${ws.length} Python traceback(s) in stdout${byType(ws)} (first${at}: ${first.message})`)
    }
    else if (ws.length === 1) out.push(first.message)
    else out.push(`${ws.length} stdout warnings of kind ${kind} (first${at}: ${first.message})`)
  }
  return out
}

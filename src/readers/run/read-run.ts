import {existsSync, statSync} from 'node:fs'
import {basename, join} from 'node:path'
import type {RecordBatch, Table} from 'apache-arrow'
import {TableBuilder} from '../../arrow/table-builder.js'
import {type DamageReport, describeDamage, describeOversized, emptyDamage} from '../wandb/damage.js'
import {byteCount, maxLineBytes, maxRecordBytes} from '../limits.js'
import {ConsoleAssembler, type ConsoleLine} from '../wandb/console-lines.js'
import {outputFields, readOutputFields} from '../wandb/output-record.js'
import {scanRecords} from '../wandb/log-container.js'
import {dispatchRecord, skipsUnwanted} from '../wandb/record-decoder.js'
import type {HistoryRecord, KeyValue, RecordVisitor, RunRecord} from '../wandb/records.js'
import {mediaValue, numericValue, parseValueJson} from './json-value.js'
import {type RunLocation, locateRun} from './locate-run.js'
import {readRunFiles} from './run-files.js'
import {RUNNING_WINDOW_MS, type RunState, runState} from './run-state.js'
import {exitCodeFromDebugLog} from './debug-log-exit.js'
import {
  CONFIG_COLUMNS,
  CONSOLE_COLUMNS,
  HISTORY_COLUMNS,
  MEDIA_COLUMNS,
  METRICS_COLUMNS,
  RUNS_COLUMNS,
  SUMMARY_COLUMNS,
  SYSTEM_COLUMNS,
} from './run-tables.js'
import {wandbVersion} from './wandb-version.js'
import type {ReadProgress} from '../read-progress.js'
import {readOptionalText} from '../input-file.js'

/** One run as `runlog ls` lists it. */
export interface RunOverview {
  dir: string
  id: string | null
  name: string | null
  project: string | null
  entity: string | null
  state: RunState
  exit_code: number | null
  /** Distinct history steps. */
  steps: number
  last_step: number | null
  history_rows: number
  wandb_version: string | null
  started_at: string | null
  runtime_s: number | null
  bytes: number
  unreadable_bytes: number
}

export type RunTableName = 'runs' | 'history' | 'summary' | 'config' | 'console' | 'system' | 'media' | 'metrics'

export interface ReadRunOptions {
  /** Tables to build besides `runs` (default: all). History items are only decoded when needed. */
  tables?: ReadonlyArray<RunTableName>
  /** Called for every history record, in file order. */
  onHistory?: (rec: HistoryRecord) => void
  /** Called for every reassembled console line, in order per stream. */
  onConsoleLine?: (line: ConsoleLine) => void
  /**
   * Called with every undecoded console record (`OutputRecord` bytes, valid during the call only), for a caller that
   * assembles the console itself (`RawConsoleLines`). Not with `onConsoleLine` or the `console` table.
   */
  onOutputRecord?: (body: Uint8Array) => void
  /** Clock for the running/crashed decision (tests). */
  nowMs?: number
  /**
   * Takes the `history` table's rows as they are read, a record batch of `historyBatchRows` rows at a time (the table
   * then holds only the rows after the last batch): a big run's history need not all stay in memory until the end.
   */
  onHistoryBatch?: (batch: RecordBatch) => void
  /** Rows per record batch of the history (default `BATCH_ROWS`, 65,536). */
  historyBatchRows?: number
  /** Called after each MiB of the `.wandb` file read, with the bytes read so far and its size (a progress bar). */
  onProgress?: ReadProgress
}

export interface RunData {
  location: RunLocation
  overview: RunOverview
  damage: DamageReport
  /** Human-readable problems (damage, unreadable side files); the data is still usable. */
  warnings: string[]
  tables: Partial<Record<RunTableName, Table>> & {runs: Table}
  /**
   * Final summary values (key → value_json), from the log, else `files/wandb-summary.json`. Without the `summary` and
   * `media` tables, only the keys the overview needs (`_wandb`, `_runtime`).
   */
  summary: Map<string, string>
}

/** The summary keys `runtimeSeconds` reads. */
const RUNTIME_SUMMARY_KEYS: ReadonlySet<string> = new Set(['_wandb', '_runtime'])

const ALL_TABLES: RunTableName[] = ['runs', 'history', 'summary', 'config', 'console', 'system', 'media', 'metrics']

/** Reads a run directory or `.wandb` file into Arrow tables, in one streaming pass over the log. */
export function readRun(path: string, opts: ReadRunOptions = {}): RunData {
  const location = locateRun(path)
  return readLocatedRun(location, opts)
}

export function readLocatedRun(location: RunLocation, opts: ReadRunOptions = {}): RunData {
  const reader = createRunReader(location, opts)
  reader.update()
  return reader.data({final: true})
}

/** A run being read: `update()` reads what the log gained since the last call, `data()` gives the tables so far. */
export interface RunReader {
  /** Reads the bytes the log gained since the last call (the whole log the first time); returns how many. */
  update(): number
  /** The run as read so far. `final` flushes a console line that has no newline yet (a finished read). */
  data(opts?: {final?: boolean}): RunData
}

/** Creates a reader that can follow a growing log, reading only new bytes on each `update()`. */
export function createRunReader(location: RunLocation, opts: ReadRunOptions = {}): RunReader {
  const want = new Set<RunTableName>(opts.tables ?? ALL_TABLES)
  const runId = runIdFromPath(location.logFile)
  const state = new RunAccumulator()
  const history = want.has('history') ? new TableBuilder(HISTORY_COLUMNS, {onSeal: opts.onHistoryBatch, batchRows: opts.historyBatchRows}) : null
  const media = want.has('media') ? new TableBuilder(MEDIA_COLUMNS) : null
  const consoleTable = want.has('console') ? new TableBuilder(CONSOLE_COLUMNS) : null
  const system = want.has('system') ? new TableBuilder(SYSTEM_COLUMNS) : null
  const metrics = want.has('metrics') ? new TableBuilder(METRICS_COLUMNS) : null
  const config: Array<{key: string; valueJson: string}> = []
  const filesDir = location.dir ? join(location.dir, 'files') : null
  const needHistoryItems = Boolean(history || media || opts.onHistory)
  const needConsole = Boolean(consoleTable || opts.onConsoleLine)
  const onOutputRecord = opts.onOutputRecord
  if (onOutputRecord && needConsole) throw new Error('readRun: onOutputRecord cannot be combined with onConsoleLine or the console table')
  const outputHead = outputFields()
  const wholeSummary = want.has('summary') || want.has('media')

  const assembler = needConsole
    ? new ConsoleAssembler((line) => {
        consoleTable?.append({
          run_id: runId,
          stream: line.stream,
          line_no: line.lineNo,
          timestamp: line.timestamp,
          text: line.text,
        })
        opts.onConsoleLine?.(line)
      })
    : null

  let historyRow = 0
  const visitor: RecordVisitor = {
    run: (r) => state.mergeRun(r),
    header: (h) => {
      if (h.producer) state.producer = h.producer
    },
    telemetry: (t) => {
      if (t.cliVersion) state.telemetryCli = t.cliVersion
    },
    exit: (e) => {
      state.exitCode = e.exitCode
      state.exitRuntime = e.runtime
    },
    summary: (s) => {
      state.sawSummary = true
      for (const u of s.update) state.summary.set(u.key, u.valueJson)
      for (const k of s.remove) state.summary.delete(k)
    },
    // Without the summary and media tables only the runtime is read from the summary (most of its items are skipped).
    summaryKeys: wholeSummary ? undefined : RUNTIME_SUMMARY_KEYS,
    config: want.has('config') ? (c) => config.push(...c.update) : undefined,
    metric: metrics ? (m) => metrics.append({run_id: runId, name: m.name || m.globName, step_metric: m.stepMetric || null}) : undefined,
    stats: system
      ? (s) => {
          state.seeTime(s.timestamp)
          for (const it of s.items)
            system.append({run_id: runId, timestamp: s.timestamp, key: it.key, value: numericValue(it.valueJson), value_json: it.valueJson})
        }
      : undefined,
    output: assembler
      ? (o) => {
          state.seeTime(o.timestamp)
          assembler.push(o.stream, o.text, o.timestamp)
        }
      : undefined,
    outputBytes: onOutputRecord
      ? (body) => {
          // Checked here (a malformed record counts as damage); its time is not needed: without the system table
          // (`sawTimes` false) a fresh log's newest time comes from a second pass.
          if (!readOutputFields(body, 0, body.length, outputHead, false)) return false
          onOutputRecord(body)
          return true
        }
      : undefined,
  }
  state.sawTimes = Boolean(system && assembler && needHistoryItems)
  if (needHistoryItems) {
    visitor.history = (rec) => {
      state.addStep(rec.step)
      let runtime: number | null = null
      let timestamp: number | null = null
      for (const it of rec.items) {
        if (it.key === '_runtime') runtime = numericValue(it.valueJson)
        else if (it.key === '_timestamp') timestamp = numericValue(it.valueJson)
      }
      if (runtime !== null && (state.maxRuntime === null || runtime > state.maxRuntime)) state.maxRuntime = runtime
      state.seeTime(timestamp)
      if (history) {
        for (const it of rec.items) {
          history.append({
            run_id: runId,
            row: historyRow,
            step: rec.step,
            key: it.key,
            value: numericValue(it.valueJson),
            value_json: it.valueJson,
            runtime,
            timestamp,
          })
        }
      }
      if (media) appendMedia(media, runId, rec.step, rec.items, filesDir, 'history')
      opts.onHistory?.(rec)
      historyRow++
    }
  } else {
    visitor.historyStep = (step) => state.addStep(step)
  }

  let undecodable = 0
  let offset = 0
  let size = 0
  let settledUnreadable = 0
  let settledDropped = 0
  let damage: DamageReport | null = null
  let emptyLog = false
  // Records skipped for their size lie before each scan's end offset: every scan counts new ones only.
  const oversized = {records: 0, bytes: 0, first: null as number | null}
  const onPayload = (payload: Uint8Array) => {
    if (!dispatchRecord(payload, visitor)) undecodable++
  }
  const skipUnwanted = skipsUnwanted(visitor)

  const update = (): number => {
    if (damage) {
      // What an earlier scan found before its end offset is settled; what it found after (a record still being
      // written) is read again now.
      const tail = Math.min(damage.unreadableBytes, Math.max(0, size - offset))
      settledUnreadable += damage.unreadableBytes - tail
      settledDropped += tail > 0 ? Math.max(0, damage.droppedRecords - 1) : damage.droppedRecords
    }
    const before = offset
    if (location.dir !== null && isEmptyFile(location.logFile)) {
      // A run whose log was never written (or was truncated to nothing) is still a run: what its files/ hold is used.
      emptyLog = true
      size = 0
      damage = emptyDamage()
      return 0
    }
    emptyLog = false
    const scan = scanRecords(location.logFile, onPayload, {from: offset, onProgress: opts.onProgress, skip: skipUnwanted})
    offset = scan.endOffset
    size = scan.bytes
    damage = scan.damage
    oversized.records += damage.oversizedRecords
    oversized.bytes += damage.oversizedBytes
    oversized.first ??= damage.firstOversizedAt
    return Math.max(0, size - before)
  }

  const data = (dataOpts: {final?: boolean} = {}): RunData => {
    if (dataOpts.final) assembler?.flush()
    const damageReport: DamageReport = {
      ...damage!,
      unreadableBytes: damage!.unreadableBytes + settledUnreadable,
      droppedRecords: damage!.droppedRecords + settledDropped,
      problems: [...damage!.problems],
      oversizedRecords: oversized.records,
      oversizedBytes: oversized.bytes,
      firstOversizedAt: oversized.first,
    }
    if (undecodable > 0) {
      damageReport.droppedRecords += undecodable
      damageReport.problems.push(`${undecodable} record(s) passed their checksum but are not valid protobuf`)
    }
    // config.yaml only matters for the version when the log does not name it, and for the config table when the log
    // holds no config.
    const logHasConfig = (state.run?.config.length ?? 0) > 0 || config.length > 0
    const files = readRunFiles(location.dir, {
      yaml: wandbVersion(state.producer, state.telemetryCli, null) === null || (want.has('config') && !logHasConfig),
    })
    const warnings = [...(location.warnings ?? []), ...files.warnings]
    if (emptyLog) warnings.push(`${location.logFile}: empty (0 bytes), no records: the run is read from its files/`)
    const dmg = describeDamage(location.logFile, damageReport)
    if (dmg) warnings.push(dmg)
    const big = describeOversized(location.logFile, damageReport, maxRecordBytes())
    if (big) warnings.push(big)
    const cut = assembler?.cut
    if (cut && cut.lines > 0) {
      warnings.push(
        `${location.logFile}: ${cut.lines} console line(s) longer than the ${byteCount(maxLineBytes())}-character ` +
          `line limit cut, ${byteCount(cut.chars)} character(s) skipped (RUNLOG_MAX_LINE_BYTES sets the limit)`,
      )
    }

    const summary = new Map(state.summary)
    // The file stands in for an empty summary (when only some keys were decoded, for a log with no summary at all).
    if ((wholeSummary ? summary.size === 0 : !state.sawSummary) && location.dir) {
      const summaryFile = join(location.dir, 'files', 'wandb-summary.json')
      for (const [k, v] of readSummaryFile(summaryFile, warnings)) summary.set(k, v)
    }
    let summaryMedia: Table | null = null
    if (media) {
      const b = new TableBuilder(MEDIA_COLUMNS)
      appendMedia(b, runId, null, [...summary].map(([key, valueJson]) => ({key, valueJson})), filesDir, 'summary')
      summaryMedia = b.finish()
    }

    const logStat = statSync(location.logFile)
    let exitCode = state.exitCode
    if (exitCode === null) {
      exitCode = exitCodeFromDebugLog(location.dir)
      if (exitCode !== null) warnings.push(`${location.logFile}: no exit record; exit code ${exitCode} taken from logs/debug-internal.log`)
    }
    const nowMs = opts.nowMs ?? Date.now()
    let newest = state.newestMs()
    if (exitCode === null && nowMs - logStat.mtimeMs <= RUNNING_WINDOW_MS && !state.sawTimes && !emptyLog)
      newest = newestRecordTime(location.logFile, state)
    const run = state.run
    // A log with no time in it (empty, header only): the start time files/wandb-metadata.json gives, if any.
    if (newest === null && files.metadata) newest = Date.parse(startedAt(null, files.metadata) ?? '') || null
    const id = run?.runId || runId
    const overview: RunOverview = {
      dir: location.dir ?? location.logFile,
      id: id || null,
      name: run?.displayName || null,
      project: run?.project || null,
      entity: run?.entity || null,
      state: runState(exitCode, logStat.mtimeMs, newest, nowMs),
      exit_code: exitCode,
      steps: state.steps.size,
      last_step: state.lastStep,
      history_rows: state.historyRows,
      wandb_version: wandbVersion(state.producer, state.telemetryCli, files.wandbVersion),
      started_at: startedAt(run, files.metadata),
      runtime_s: runtimeSeconds(state),
      bytes: size,
      unreadable_bytes: damageReport.unreadableBytes + damageReport.oversizedBytes,
    }

    const tables: RunData['tables'] = {runs: runsTable(overview, location, run)}
    if (history) tables.history = history.finish()
    if (media) tables.media = media.finish().concat(summaryMedia!)
    if (consoleTable) tables.console = consoleTable.finish()
    if (system) tables.system = system.finish()
    if (metrics) tables.metrics = metrics.finish()
    if (want.has('summary')) {
      const b = new TableBuilder(SUMMARY_COLUMNS)
      for (const [key, v] of summary) b.append({run_id: id, key, value: numericValue(v), value_json: v})
      tables.summary = b.finish()
    }
    if (want.has('config')) tables.config = configTable(id, run, config, files.config)
    return {location, overview, damage: damageReport, warnings, tables, summary}
  }
  return {update, data}
}

function isEmptyFile(path: string): boolean {
  try {
    const st = statSync(path)
    return st.isFile() && st.size === 0
  } catch {
    return false
  }
}

/** A second, cheap pass for the newest time inside the log (only for logs that changed in the last minutes). */
function newestRecordTime(logFile: string, state: RunAccumulator): number | null {
  scanRecords(logFile, (payload) => {
    dispatchRecord(payload, {
      stats: (s) => state.seeTime(s.timestamp),
      output: (o) => state.seeTime(o.timestamp),
      history: (h) => {
        for (const it of h.items) if (it.key === '_timestamp') state.seeTime(numericValue(it.valueJson))
      },
    })
  })
  return state.newestMs()
}

/** `run-<id>.wandb` → `<id>`. */
function runIdFromPath(logFile: string): string {
  const m = /^run-(.+)\.wandb$/.exec(basename(logFile))
  return m ? m[1] : basename(logFile, '.wandb')
}

class RunAccumulator {
  run: RunRecord | null = null
  producer = ''
  telemetryCli = ''
  exitCode: number | null = null
  exitRuntime: number | null = null
  summary = new Map<string, string>()
  /** Some summary record was read (its items may have been skipped: see `summaryKeys`). */
  sawSummary = false
  steps = new Set<number>()
  lastStep: number | null = null
  historyRows = 0
  maxRuntime: number | null = null
  /** Newest Unix time seen inside the log (history _timestamp, stats, console), seconds. */
  newestTime: number | null = null
  /** Whether the scan decoded the records that carry times. */
  sawTimes = false

  seeTime(t: number | null): void {
    if (t !== null && Number.isFinite(t) && (this.newestTime === null || t > this.newestTime)) this.newestTime = t
  }

  newestMs(): number | null {
    const start = this.run?.startTime ?? null
    const t = this.newestTime ?? start
    return t === null ? null : Math.max(t, start ?? t) * 1000
  }

  mergeRun(r: RunRecord): void {
    if (!this.run) {
      this.run = r
      return
    }
    // A later run record (resume, update) fills or overrides what it sets.
    const m = this.run
    for (const k of Object.keys(r) as Array<keyof RunRecord>) {
      const v = r[k]
      if (v === '' || v === null || v === 0 || v === false || (Array.isArray(v) && v.length === 0)) continue
      ;(m as unknown as Record<string, unknown>)[k] = v
    }
  }

  addStep(step: number): void {
    this.steps.add(step)
    this.lastStep = step
    this.historyRows++
  }
}

function runtimeSeconds(s: RunAccumulator): number | null {
  if (s.exitRuntime !== null && s.exitRuntime > 0) return s.exitRuntime
  const wb = s.summary.get('_wandb')
  if (wb) {
    const v = parseValueJson(wb) as {runtime?: unknown}
    if (v && typeof v.runtime === 'number') return v.runtime
  }
  const rt = s.summary.get('_runtime')
  if (rt) {
    const n = numericValue(rt)
    if (n !== null && Number.isFinite(n)) return n
  }
  if (s.maxRuntime !== null) return s.maxRuntime
  if (s.run && s.run.runtime > 0) return s.run.runtime
  return null
}

function startedAt(run: RunRecord | null, metadata: Record<string, unknown> | null): string | null {
  if (run?.startTime) return new Date(run.startTime * 1000).toISOString()
  const m = metadata?.startedAt
  if (typeof m === 'string') {
    const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(m) ? m : `${m}Z`)
    if (!Number.isNaN(d.getTime())) return d.toISOString()
  }
  return null
}

function readSummaryFile(path: string, warnings: string[]): Map<string, string> {
  const out = new Map<string, string>()
  const text = readOptionalText(path, warnings)
  if (text === null) return out
  try {
    const obj = parseValueJson(text) as Record<string, unknown>
    if (obj && typeof obj === 'object') for (const [k, v] of Object.entries(obj)) out.set(k, JSON.stringify(v))
  } catch {
    /* an unreadable summary file is not needed: the log is the source of truth */
  }
  return out
}

function appendMedia(
  b: TableBuilder<typeof MEDIA_COLUMNS>,
  runId: string,
  step: number | null,
  items: KeyValue[],
  filesDir: string | null,
  origin: 'history' | 'summary',
): void {
  for (const it of items) {
    const media = mediaValue(it.valueJson)
    if (!media) continue
    const {type, path} = media
    b.append({
      run_id: runId,
      step,
      key: it.key,
      type,
      path,
      present: path && filesDir ? existsSync(join(filesDir, path)) : false,
      origin,
    })
  }
}

function runsTable(o: RunOverview, location: RunLocation, run: RunRecord | null): Table {
  const b = new TableBuilder(RUNS_COLUMNS)
  b.append({
    run_id: o.id,
    name: o.name,
    project: o.project,
    entity: o.entity,
    dir: location.dir,
    log_file: location.logFile,
    state: o.state,
    exit_code: o.exit_code,
    steps: o.steps,
    last_step: o.last_step,
    history_rows: o.history_rows,
    wandb_version: o.wandb_version,
    started_at: o.started_at ? Date.parse(o.started_at) : null,
    runtime_s: o.runtime_s,
    bytes: o.bytes,
    unreadable_bytes: o.unreadable_bytes,
    host: run?.host || null,
    group: run?.group || null,
    job_type: run?.jobType || null,
  })
  return b.finish()
}

function configTable(
  runId: string,
  run: RunRecord | null,
  records: KeyValue[],
  fromYaml: Record<string, unknown> | null,
): Table {
  const b = new TableBuilder(CONFIG_COLUMNS)
  const merged = new Map<string, string>()
  for (const it of run?.config ?? []) merged.set(it.key, it.valueJson)
  for (const it of records) merged.set(it.key, it.valueJson)
  if (merged.size > 0) {
    for (const [key, v] of merged) b.append({run_id: runId, key, value_json: v, origin: 'log'})
  } else if (fromYaml) {
    for (const [key, v] of Object.entries(fromYaml)) b.append({run_id: runId, key, value_json: JSON.stringify(v), origin: 'config.yaml'})
  }
  return b.finish()
}

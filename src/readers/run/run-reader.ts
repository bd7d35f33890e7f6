import {statSync} from 'node:fs'
import {join} from 'node:path'
import type {Table} from 'apache-arrow'
import type {TableBuilder} from '../../arrow/table-builder.js'
import {type DamageReport, describeDamage, describeOversized} from '../wandb/damage.js'
import {maxLineBytes, maxRecordBytes} from '../../settings.js'
import {byteCount} from '../byte-count.js'
import {ConsoleAssembler} from '../wandb/console-lines.js'
import {outputFields, readOutputFields} from '../wandb/output-record.js'
import {dispatchRecord, skipsUnwanted} from '../wandb/record-decoder.js'
import type {SkipRecord} from '../wandb/log-container.js'
import type {HistoryRecord, KeyValue, RecordVisitor} from '../wandb/records.js'
import {exitCodeFromDebugLog} from './debug-log-exit.js'
import {IncrementalLog} from './incremental-log.js'
import {numericValue} from './json-value.js'
import type {RunLocation} from './locate-run.js'
import {appendMedia} from './media-rows.js'
import {newestRecordTime} from './newest-record-time.js'
import {RunAccumulator, runtimeSeconds} from './run-accumulator.js'
import {
  ALL_TABLES,
  type ReadRunOptions,
  type RunData,
  type RunOverview,
  type RunOverviewData,
  type RunTableName,
} from './run-data.js'
import {type RunFiles, readRunFiles} from './run-files.js'
import {runIdFromPath} from './run-id.js'
import type {RunTableKit} from './run-table-kit.js'
import {RUNNING_WINDOW_MS, runState} from './run-state.js'
import {
  CONSOLE_COLUMNS,
  HISTORY_COLUMNS,
  MEDIA_COLUMNS,
  METRICS_COLUMNS,
  SUMMARY_COLUMNS,
  SYSTEM_COLUMNS,
} from './run-tables.js'
import {startedAt} from './started-at.js'
import {readSummaryFile} from './summary-file.js'
import {wandbVersion} from './wandb-version.js'

/** A row of the history table as appended. */
interface HistoryRow {
  run_id: string
  row: number
  step: number
  key: string
  value: number | null
  value_json: string
  runtime: number | null
  timestamp: number | null
}

/** The summary keys `runtimeSeconds` reads. */
const RUNTIME_SUMMARY_KEYS: ReadonlySet<string> = new Set(['_wandb', '_runtime'])

/**
 * `update()` reads what the log gained since the last call, so it can follow a growing log. Without a table kit it
 * builds no table and gives `overviewData()` only.
 */
export class RunReader {
  private readonly want: Set<RunTableName>
  private readonly runId: string
  private readonly state = new RunAccumulator()
  private readonly log: IncrementalLog
  private readonly history: TableBuilder<typeof HISTORY_COLUMNS> | null
  private readonly media: TableBuilder<typeof MEDIA_COLUMNS> | null
  private readonly consoleTable: TableBuilder<typeof CONSOLE_COLUMNS> | null
  private readonly system: TableBuilder<typeof SYSTEM_COLUMNS> | null
  private readonly metrics: TableBuilder<typeof METRICS_COLUMNS> | null
  private readonly config: KeyValue[] = []
  private readonly filesDir: string | null
  private readonly assembler: ConsoleAssembler | null
  /** Without the summary and media tables only the runtime is read from the summary. */
  private readonly wholeSummary: boolean
  private readonly visitor: RecordVisitor
  private readonly skipUnwanted: SkipRecord
  private historyRow = 0
  private readonly historyRowBuffer: [HistoryRow] = [
    {run_id: '', row: 0, step: 0, key: '', value: null, value_json: '', runtime: null, timestamp: null},
  ]

  constructor(
    private readonly location: RunLocation,
    private readonly opts: ReadRunOptions,
    private readonly kit: RunTableKit | null,
  ) {
    const want = (this.want = new Set<RunTableName>(opts.tables ?? ALL_TABLES))
    if (!kit && [...want].some((t) => t !== 'runs')) throw new Error('RunReader: tables need a table kit')
    this.runId = runIdFromPath(location.logFile)
    this.historyRowBuffer[0].run_id = this.runId
    this.log = new IncrementalLog(location, opts.onProgress)
    const batches = {onSeal: opts.onHistoryBatch, batchRows: opts.historyBatchRows}
    this.history = kit && want.has('history') ? kit.builder(HISTORY_COLUMNS, batches) : null
    this.media = kit && want.has('media') ? kit.builder(MEDIA_COLUMNS) : null
    this.consoleTable = kit && want.has('console') ? kit.builder(CONSOLE_COLUMNS) : null
    this.system = kit && want.has('system') ? kit.builder(SYSTEM_COLUMNS) : null
    this.metrics = kit && want.has('metrics') ? kit.builder(METRICS_COLUMNS) : null
    this.filesDir = location.dir ? join(location.dir, 'files') : null
    this.wholeSummary = want.has('summary') || want.has('media')
    const needConsole = Boolean(this.consoleTable || opts.onConsoleLine)
    if (opts.onOutputRecord && needConsole) {
      throw new Error('readRun: onOutputRecord cannot be combined with onConsoleLine or the console table')
    }
    this.assembler = needConsole ? this.consoleAssembler() : null
    this.visitor = this.recordVisitor()
    this.skipUnwanted = skipsUnwanted(this.visitor)
  }

  /** Reads the bytes the log gained since the last call (the whole log the first time); returns how many. */
  update(): number {
    return this.log.scan((payload) => {
      if (!dispatchRecord(payload, this.visitor)) this.log.undecodable++
    }, this.skipUnwanted)
  }

  /** The run as read so far. `final` flushes a console line that has no newline yet (a finished read). */
  data(dataOpts: {final?: boolean} = {}): RunData {
    const kit = this.kit
    if (!kit) throw new Error('RunReader: tables need a table kit')
    const {files, ...read} = this.read(dataOpts)
    const tables: RunData['tables'] = {runs: kit.runsTable(read.overview, this.location, this.state.run)}
    this.finishTables(kit, tables, read.summary, read.overview.id ?? '', files)
    const {location, overview, damage, warnings, summary} = read
    return {location, overview, damage, warnings, tables, summary}
  }

  /** The run as read so far, without its tables. */
  overviewData(dataOpts: {final?: boolean} = {}): RunOverviewData {
    const {files: _files, ...read} = this.read(dataOpts)
    return read
  }

  private read(dataOpts: {final?: boolean}): RunOverviewData & {files: RunFiles} {
    if (dataOpts.final) this.assembler?.flush()
    const damage = this.log.report()
    const files = this.readFiles()
    const warnings = this.logWarnings(files, damage)
    const summary = this.summary(warnings)
    const overview = this.overview(files, damage, warnings)
    return {location: this.location, overview, damage, warnings, summary, files}
  }

  private consoleAssembler(): ConsoleAssembler {
    return new ConsoleAssembler((line) => {
      this.consoleTable?.append({
        run_id: this.runId,
        stream: line.stream,
        line_no: line.lineNo,
        timestamp: line.timestamp,
        text: line.text,
      })
      this.opts.onConsoleLine?.(line)
    })
  }

  /** Callbacks for the record types the wanted tables need; the others are skipped undecoded. */
  private recordVisitor(): RecordVisitor {
    const {state, system, metrics, assembler, runId} = this
    const needHistoryItems = Boolean(this.history || this.media || this.opts.onHistory)
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
      summaryKeys: this.wholeSummary ? undefined : RUNTIME_SUMMARY_KEYS,
      config: this.want.has('config') ? (c) => this.config.push(...c.update) : undefined,
      metric: metrics
        ? (m) => metrics.append({run_id: runId, name: m.name || m.globName, step_metric: m.stepMetric || null})
        : undefined,
      stats: system
        ? (s) => {
            state.seeTime(s.timestamp)
            for (const it of s.items) {
              const value = numericValue(it.valueJson)
              system.append({run_id: runId, timestamp: s.timestamp, key: it.key, value, value_json: it.valueJson})
            }
          }
        : undefined,
      output: assembler
        ? (o) => {
            state.seeTime(o.timestamp)
            assembler.push(o.stream, o.text, o.timestamp)
          }
        : undefined,
      outputBytes: this.opts.onOutputRecord ? this.outputBytes(this.opts.onOutputRecord) : undefined,
    }
    state.sawTimes = Boolean(system && assembler && needHistoryItems)
    if (needHistoryItems) visitor.history = (rec) => this.readHistory(rec)
    else visitor.historyStep = (step) => state.addStep(step)
    return visitor
  }

  private outputBytes(onOutputRecord: (body: Uint8Array) => void): (body: Uint8Array) => boolean {
    const head = outputFields()
    return (body) => {
      // Checked here (a malformed record counts as damage); its time is not needed: without the system table
      // (`sawTimes` false) a fresh log's newest time comes from a second pass.
      if (!readOutputFields(body, 0, body.length, head, false)) return false
      onOutputRecord(body)
      return true
    }
  }

  private readHistory(rec: HistoryRecord): void {
    const state = this.state
    state.addStep(rec.step)
    let runtime: number | null = null
    let timestamp: number | null = null
    for (const it of rec.items) {
      if (it.key === '_runtime') runtime = numericValue(it.valueJson)
      else if (it.key === '_timestamp') timestamp = numericValue(it.valueJson)
    }
    if (runtime !== null && (state.maxRuntime === null || runtime > state.maxRuntime)) state.maxRuntime = runtime
    state.seeTime(timestamp)
    const history = this.history
    if (history) {
      // One row object, refilled per item: its values are copied as it is appended (no object per value to collect).
      const rows = this.historyRowBuffer
      const r = rows[0]
      r.row = this.historyRow
      r.step = rec.step
      r.runtime = runtime
      r.timestamp = timestamp
      for (const it of rec.items) {
        r.key = it.key
        r.value = numericValue(it.valueJson)
        r.value_json = it.valueJson
        history.appendRows(rows)
      }
    }
    if (this.media) appendMedia(this.media, this.runId, rec.step, rec.items, this.filesDir, 'history')
    this.opts.onHistory?.(rec)
    this.historyRow++
  }

  /** The run's side files; config.yaml only when the log names no version, or holds no config the table needs. */
  private readFiles(): RunFiles {
    const state = this.state
    const logHasConfig = (state.run?.config.length ?? 0) > 0 || this.config.length > 0
    const noVersion = wandbVersion(state.producer, state.telemetryCli, null) === null
    return readRunFiles(this.location.dir, {yaml: noVersion || (this.want.has('config') && !logHasConfig)})
  }

  /** Problems with the log and its files: the run is still read, a line says what was lost. */
  private logWarnings(files: RunFiles, damage: DamageReport): string[] {
    const logFile = this.location.logFile
    const warnings = [...(this.location.warnings ?? []), ...files.warnings]
    if (this.log.empty) warnings.push(`${logFile}: empty (0 bytes), no records: the run is read from its files/`)
    const dmg = describeDamage(logFile, damage)
    if (dmg) warnings.push(dmg)
    const big = describeOversized(logFile, damage, maxRecordBytes())
    if (big) warnings.push(big)
    const cut = this.assembler?.cut
    if (cut && cut.lines > 0) {
      warnings.push(
        `${logFile}: ${cut.lines} console line(s) longer than the ${byteCount(maxLineBytes())}-character ` +
          `line limit cut, ${byteCount(cut.chars)} character(s) skipped (RUNLOG_MAX_LINE_BYTES sets the limit)`,
      )
    }
    return warnings
  }

  /** The final summary; files/wandb-summary.json stands in for an empty one (or for no summary record at all). */
  private summary(warnings: string[]): Map<string, string> {
    const summary = new Map(this.state.summary)
    const missing = this.wholeSummary ? summary.size === 0 : !this.state.sawSummary
    if (missing && this.location.dir) {
      const summaryFile = join(this.location.dir, 'files', 'wandb-summary.json')
      for (const [k, v] of readSummaryFile(summaryFile, warnings)) summary.set(k, v)
    }
    return summary
  }

  private overview(files: RunFiles, damage: DamageReport, warnings: string[]): RunOverview {
    const {state, location} = this
    const logStat = statSync(location.logFile)
    let exitCode = state.exitCode
    if (exitCode === null) {
      exitCode = exitCodeFromDebugLog(location.dir)
      if (exitCode !== null) {
        warnings.push(`${location.logFile}: no exit record; exit code ${exitCode} taken from logs/debug-internal.log`)
      }
    }
    const nowMs = this.opts.nowMs ?? Date.now()
    let newest = state.newestMs()
    if (exitCode === null && nowMs - logStat.mtimeMs <= RUNNING_WINDOW_MS && !state.sawTimes && !this.log.empty)
      newest = newestRecordTime(location.logFile, state)
    const run = state.run
    // A log with no time in it (empty, header only): the start time files/wandb-metadata.json gives, if any.
    if (newest === null && files.metadata) newest = Date.parse(startedAt(null, files.metadata) ?? '') || null
    const id = run?.runId || this.runId
    return {
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
      bytes: this.log.size,
      unreadable_bytes: damage.unreadableBytes + damage.oversizedBytes,
    }
  }

  private finishTables(
    kit: RunTableKit,
    tables: RunData['tables'],
    summary: Map<string, string>,
    id: string,
    files: RunFiles,
  ): void {
    if (this.history) tables.history = this.history.finish()
    if (this.media) tables.media = this.media.finish().concat(this.summaryMedia(kit, summary))
    if (this.consoleTable) tables.console = this.consoleTable.finish()
    if (this.system) tables.system = this.system.finish()
    if (this.metrics) tables.metrics = this.metrics.finish()
    if (this.want.has('summary')) {
      const b = kit.builder(SUMMARY_COLUMNS)
      for (const [key, v] of summary) b.append({run_id: id, key, value: numericValue(v), value_json: v})
      tables.summary = b.finish()
    }
    if (this.want.has('config')) tables.config = kit.configTable(id, this.state.run, this.config, files.config)
  }

  /** Media the final summary references (origin `summary`). */
  private summaryMedia(kit: RunTableKit, summary: Map<string, string>): Table {
    const b = kit.builder(MEDIA_COLUMNS)
    const items = [...summary].map(([key, valueJson]) => ({key, valueJson}))
    appendMedia(b, this.runId, null, items, this.filesDir, 'summary')
    return b.finish()
  }
}

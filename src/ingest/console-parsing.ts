import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'
import {type Table, tableFromIPC} from 'apache-arrow'
import {TrainerParser, parseTrainerLogFile} from '../readers/trainer/trainer-parser.js'
import {type TablePart, type TrainerTableName, settledParts, trainerTables} from '../readers/trainer/trainer-tables.js'
import type {SettledBatch, TrainerEvents, WarningRow} from '../readers/trainer/types.js'
import {RawConsoleLines} from '../readers/wandb/raw-console-lines.js'
import type {ReadProgress} from '../readers/read-progress.js'
import * as settings from '../settings.js'

/** The trainer tables of a run's stdout, with what the warnings and sources need. */
export interface ParsedTrainer {
  tables: Record<TrainerTableName, Table>
  warnings: WarningRow[]
  /** samples + step tallies + API calls found in stdout (0: the console held no trainer output). */
  evidence: number
  /** Lines parsed. */
  lines: number
}

/** Samples + step tallies + API calls: the events that make figures (0: no trainer output was found). */
export function evidenceCount(events: SettledBatch): number {
  return events.samples.length + events.stepTallies.length + events.apiCalls.length
}

/** Trainer tables from parsed events. */
export function parsedFromEvents(events: TrainerEvents): ParsedTrainer {
  const evidence = evidenceCount(events)
  return {tables: trainerTables(events), warnings: events.warnings, evidence, lines: events.lines}
}

/** Where trainer tables go, one at a time (into DuckDB). */
export type TableSink = (name: TrainerTableName, table: Table) => Promise<void>

/** What parsing found besides the tables. */
export type ParseOutcome = Omit<ParsedTrainer, 'tables'>

/** A run's console records in (undecoded `OutputRecord` bytes, in file order), trainer tables out. */
export interface ConsoleParsing {
  /** One console record; the bytes are only valid during the call. */
  pushRecord(body: Uint8Array): void
  /** No more records: a worker can finish parsing and build its tables while this thread does other work. */
  end(): void
  /** Hands every trainer table to `onTable`, in turn; resolves once all are in (calls `end` if needed). */
  finish(onTable: TableSink): Promise<ParseOutcome>
}

/** Hands parsed tables to a sink, one after the other. */
export async function handOver(parsed: ParsedTrainer, onTable: TableSink): Promise<ParseOutcome> {
  for (const [name, table] of Object.entries(parsed.tables)) await onTable(name as TrainerTableName, table)
  return {warnings: parsed.warnings, evidence: parsed.evidence, lines: parsed.lines}
}

/** The console lines of raw output records, into a trainer parser (markers searched before any line is decoded). */
export function consoleParser(parser: TrainerParser): RawConsoleLines {
  return new RawConsoleLines({
    line: (latin1, bytes, start, end) => parser.pushBytes(latin1, bytes, start, end),
    text: (line) => parser.push(line),
    cut: (limit, skipped) => parser.lineCut(limit, skipped, "the run's console"),
  })
}

/** Parses in this thread. */
export function inlineConsoleParsing(): ConsoleParsing {
  const parser = new TrainerParser({origin: 'wandb_console'})
  const lines = consoleParser(parser)
  let ended = false
  const end = () => {
    if (!ended) lines.flush()
    ended = true
  }
  return {
    pushRecord: (body) => lines.push(Buffer.from(body.buffer, body.byteOffset, body.byteLength), 0, body.byteLength),
    end,
    async finish(onTable) {
      end()
      return handOver(parsedFromEvents(parser.finish()), onTable)
    },
  }
}

/** Trainer tables from console lines already assembled (a followed run keeps its lines and parses them per snapshot). */
export function parsedFromLines(lines: readonly string[]): ParsedTrainer {
  const parser = new TrainerParser({origin: 'wandb_console'})
  for (const line of lines) parser.push(line)
  return parsedFromEvents(parser.finish())
}

/** Bytes of console records sent to the parsing worker per message (each record as a uint32 length, then its bytes). */
const BATCH_BYTES = 1 << 20

/**
 * Batches posted to the worker and not yet parsed, at most: the log is read faster than its console is parsed, and
 * without a bound the batches waiting for the worker held ~50–70 MiB at the end of reading the 130 MB benchmark run.
 */
const MAX_BATCHES_IN_FLIGHT = 8

/** How long the reading thread waits at most for the worker to parse one batch before it stops waiting for it. */
const BATCH_WAIT_MS = 10_000

/** What the worker shares with the reading thread: `[batches parsed]`. */
export type ParseProgress = Int32Array

/** Rows held before finished steps are written out (`RUNLOG_SETTLE_ROWS`; see src/settings.ts). */
export function settleRowsSetting(): number {
  return settings.settleRows()
}

/**
 * A trainer log file parsed with the events of its finished steps built into Arrow table parts as it goes (rows take
 * several times less memory as Arrow than as JS objects: a 697 MB log's `summarize` peaked at 1.55 GB parsed whole,
 * 0.92 GB in parts). With `onPart`, each part is handed to it as it is built (and awaited before the parsing goes on),
 * and `parts` stays empty: a part let go once it is in the database keeps the memory of a big log flat.
 */
export async function parseLogFileInParts(
  path: string,
  opts: {settleRows?: number; onProgress?: ReadProgress; onPart?: TableSink; origin?: string; sniff?: boolean} = {},
): Promise<{events: TrainerEvents; parts: TablePart[]; evidence: number}> {
  const {onPart} = opts
  const parts: TablePart[] = []
  let evidence = 0
  const settled = {
    rows: opts.settleRows ?? settleRowsSetting(),
    async onBatch(batch: SettledBatch) {
      evidence += evidenceCount(batch)
      if (!onPart) parts.push(...settledParts(batch))
      else for (const part of settledParts(batch)) await onPart(part.name, part.table)
    },
  }
  const {onProgress, origin, sniff} = opts
  const events = await parseTrainerLogFile(path, {settled, onProgress, origin, sniff})
  return {events, parts, evidence}
}

/** Hands parts of finished steps to a sink, then the tables of the rest (each table's rows in log order). */
export async function handOverInParts(parts: TablePart[], rest: ParsedTrainer, partsEvidence: number, onTable: TableSink): Promise<ParseOutcome> {
  // Let go of each part once it is handed over.
  for (let part = parts.shift(); part !== undefined; part = parts.shift()) await onTable(part.name, part.table)
  const outcome = await handOver(rest, onTable)
  return {...outcome, evidence: outcome.evidence + partsEvidence}
}

export interface ParseWorkerData {
  progress: ParseProgress
  /** Rows held before finished steps are written out (`SETTLE_ROWS`; smaller in tests). */
  settleRows: number
  /** Where the worker writes them (made and removed by the reading thread). */
  partsDir: string
}

export type ParseWorkerRequest = {records: ArrayBuffer; bytes: number} | {done: true}
/**
 * The worker's replies: each table part it writes while parsing (a file of finished steps), then after `done` each
 * table's last part as Arrow IPC, then the outcome (or an error).
 */
export type ParseWorkerReply =
  | {table: TrainerTableName; ipc: Uint8Array}
  | {table: TrainerTableName; file: string}
  | ({done: true} & ParseOutcome)
  | {error: string}

/**
 * Parses on a worker thread while this thread goes on reading the log: the two halves of reading a big run (the
 * container and its records; the console's lines and their parsing) run on both cores. The console records go over as
 * bytes in 1 MiB batches whose memory is transferred, not copied (posting decoded lines instead cost 1.2 s of the
 * 130 MB benchmark run's 8.7 s). The worker builds and sends its tables one at a time (only one is being built in its
 * heap). Null when the worker file is missing (running from sources).
 *
 * `worker`: a worker started ahead (default: one started now). `settleRows`: rows a worker started now holds before it
 * writes out finished steps. `whileWaiting`: work to do while this thread waits for the worker (the moments it would
 * block), a small piece per call; it returns false when it has none.
 */
export function workerConsoleParsing(opts: {worker?: ParseWorker | null; settleRows?: number; whileWaiting?: () => boolean} = {}): ConsoleParsing | null {
  const {whileWaiting} = opts
  const started = opts.worker === undefined ? startParseWorker(opts.settleRows) : opts.worker
  if (started === null) return null
  const {worker, progress, replies, removeParts} = started
  const newBatch = () => Buffer.from(new ArrayBuffer(BATCH_BYTES))
  let batch = newBatch()
  let used = 0
  let posted = 0
  let waiting = true
  const post = () => {
    if (used === 0) return
    if (waiting) waiting = waitForWorker(progress, posted - MAX_BATCHES_IN_FLIGHT, whileWaiting)
    worker.postMessage({records: batch.buffer as ArrayBuffer, bytes: used} satisfies ParseWorkerRequest, [batch.buffer as ArrayBuffer])
    posted++
    batch = newBatch()
    used = 0
  }
  let ended = false
  const end = () => {
    if (ended) return
    ended = true
    post()
    worker.postMessage({done: true} satisfies ParseWorkerRequest)
  }
  return {
    pushRecord(body) {
      const need = 4 + body.byteLength
      if (used + need > batch.length) {
        post()
        if (need > batch.length) batch = Buffer.from(new ArrayBuffer(need))
      }
      batch.writeUInt32LE(body.byteLength, used)
      batch.set(body, used + 4)
      used += need
    },
    end,
    async finish(onTable) {
      end()
      worker.ref()
      const last: Array<{table: TrainerTableName; ipc: Uint8Array}> = []
      let outcome: ParseOutcome
      try {
        try {
          for (;;) {
            const r = await replies.next()
            if ('error' in r) throw new Error(`parsing the console failed: ${r.error}`)
            if ('file' in r) {
              // A part of finished steps: loaded while the worker parses the rest, one at a time.
              await onTable(r.table, tableFromIPC(readFileSync(r.file)))
              rmSync(r.file, {force: true})
            } else if ('table' in r) last.push(r)
            else {
              outcome = {warnings: r.warnings, evidence: r.evidence, lines: r.lines}
              break
            }
          }
        } finally {
          await worker.terminate()
        }
        // The last parts are loaded once the worker is gone: loading them while its heap was still alive cost ~50 MB
        // more at the peak of the 130 MB benchmark run, for no measurable time.
        for (const part of last.splice(0)) await onTable(part.table, tableFromIPC(part.ipc))
      } finally {
        removeParts()
      }
      return outcome
    },
  }
}

/** A console-parsing worker thread, maybe started before its console is read (it loads its modules meanwhile). */
export interface ParseWorker {
  worker: Worker
  /** Batches parsed so far. */
  progress: ParseProgress
  replies: ReplyQueue
  /** Removes the directory of its table parts (else removed when the process exits). */
  removeParts(): void
}

/**
 * Starts a worker thread for `workerConsoleParsing`, holding `settleRows` rows before it writes out finished steps.
 * Starting it while DuckDB's library loads saves the ~0.2 s it takes to load its own modules once the log is read.
 * Null when the worker file is missing (running from sources).
 */
export function startParseWorker(settleRows = settleRowsSetting()): ParseWorker | null {
  const file = fileURLToPath(new URL('./console-parse-worker.js', import.meta.url))
  if (!existsSync(file)) return null
  const progress: ParseProgress = new Int32Array(new SharedArrayBuffer(4))
  // Removed once the parts are loaded, or when the process exits first (reading the log failed).
  const partsDir = mkdtempSync(join(tmpdir(), 'runlog-console-'))
  const remove = () => rmSync(partsDir, {recursive: true, force: true})
  process.once('exit', remove)
  const worker = new Worker(file, {workerData: {progress, settleRows, partsDir} satisfies ParseWorkerData})
  // Kept alive only while its tables are awaited: if reading the log fails, the worker must not hold the process.
  worker.unref()
  const removeParts = () => {
    remove()
    process.off('exit', remove)
  }
  // Its replies listened to from the start: a worker that fails to start must not be an unhandled 'error' event.
  return {worker, progress, replies: new ReplyQueue(worker), removeParts}
}

/**
 * Blocks this thread until the worker has parsed more than `parsed` batches, doing `whileWaiting`'s work meanwhile
 * while it has some. Returns false when it stopped waiting because the worker made no progress for `BATCH_WAIT_MS` (a
 * worker that failed cannot say so while this thread waits: its error is reported once the tables are awaited); the
 * caller then stops waiting for it.
 */
function waitForWorker(progress: ParseProgress, parsed: number, whileWaiting?: () => boolean): boolean {
  for (;;) {
    const done = Atomics.load(progress, 0)
    if (done > parsed) return true
    if (whileWaiting?.()) continue
    if (Atomics.wait(progress, 0, done, BATCH_WAIT_MS) === 'timed-out') return false
  }
}

/** A worker's messages, awaited one at a time; a worker that fails or exits early rejects the wait. */
export class ReplyQueue {
  private readonly queue: ParseWorkerReply[] = []
  private failure: Error | null = null
  private wake: (() => void) | null = null

  constructor(worker: Worker) {
    worker.on('message', (m: ParseWorkerReply) => {
      this.queue.push(m)
      this.wake?.()
    })
    worker.once('error', (error) => {
      this.failure ??= error
      this.wake?.()
    })
    worker.once('exit', (code) => {
      this.failure ??= new Error(`the parsing worker stopped (exit code ${code})`)
      this.wake?.()
    })
  }

  async next(): Promise<ParseWorkerReply> {
    while (this.queue.length === 0) {
      if (this.failure) throw this.failure
      await new Promise<void>((resolve) => (this.wake = resolve))
      this.wake = null
    }
    return this.queue.shift()!
  }
}

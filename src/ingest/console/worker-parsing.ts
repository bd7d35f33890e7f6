import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'
import {tableFromIPC} from 'apache-arrow'
import type {TrainerTableName} from '../../readers/trainer/trainer-tables.js'
import {settleRowsSetting} from './parts.js'
import type {ConsoleParsing, ParseOutcome} from './types.js'
import {
  type ParseProgress,
  type ParseWorkerData,
  type ParseWorkerRequest,
  RecordBatcher,
  ReplyQueue,
} from './worker-protocol.js'

/**
 * Batches posted to the worker and not yet parsed, at most: the log is read faster than its console is parsed, and
 * without a bound the batches waiting for the worker held ~50–70 MiB at the end of reading the 130 MB benchmark run.
 */
const MAX_BATCHES_IN_FLIGHT = 8

/** How long the reading thread waits at most for the worker to parse one batch before it stops waiting for it. */
const BATCH_WAIT_MS = 10_000

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
export function workerConsoleParsing(
  opts: {worker?: ParseWorker | null; settleRows?: number; whileWaiting?: () => boolean} = {},
): ConsoleParsing | null {
  const {whileWaiting} = opts
  const started = opts.worker === undefined ? startParseWorker(opts.settleRows) : opts.worker
  if (started === null) return null
  const {worker, progress, replies, removeParts} = started
  let posted = 0
  let waiting = true
  const batcher = new RecordBatcher((records, bytes) => {
    if (waiting) waiting = waitForWorker(progress, posted - MAX_BATCHES_IN_FLIGHT, whileWaiting)
    worker.postMessage({records, bytes} satisfies ParseWorkerRequest, [records])
    posted++
  })
  let ended = false
  const end = () => {
    if (ended) return
    ended = true
    batcher.flush()
    worker.postMessage({done: true} satisfies ParseWorkerRequest)
  }
  return {
    pushRecord: (body) => batcher.push(body),
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
        for (const part of last.splice(0)) await onTable(part.table, tableFromIPC(part.ipc), true)
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
  removeParts: () => void
}

/**
 * Starts a worker thread for `workerConsoleParsing`, holding `settleRows` rows before it writes out finished steps.
 * Starting it while DuckDB's library loads saves the ~0.2 s it takes to load its own modules once the log is read.
 * Null when the worker file is missing (running from sources).
 */
export function startParseWorker(settleRows = settleRowsSetting()): ParseWorker | null {
  const file = fileURLToPath(new URL('../console-parse-worker.js', import.meta.url))
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

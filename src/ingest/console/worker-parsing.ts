import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'
import {tableFromIPC} from 'apache-arrow'
import type {TrainerTableName} from '../../readers/trainer/trainer-tables.js'
import {settleRowsSetting} from './parts.js'
import type {ConsoleParsing, ParseOutcome} from './types.js'
import {type ParseProgress, type ParseWorkerData, type ParseWorkerRequest, ReplyQueue} from './worker-protocol.js'
import {LineBatcher} from './line-batch.js'
import {defaultFamilies} from '../../readers/trainer/default-families.js'
import {latin1Gate} from '../../readers/trainer/marker-source.js'

/** Bounded because the log is read faster than its console is parsed, and waiting batches would pile up in memory. */
const MAX_BATCHES_IN_FLIGHT = 8

const BATCH_WAIT_MS = 10_000

/**
 * Parses on a worker thread while this thread reads the log, so both cores work. This thread splits the records into
 * lines and tests each for the parser's markers; the lines go over as raw bytes whose memory is transferred (posting
 * decoded lines is much slower). Null when the worker file is missing (from sources).
 * `whileWaiting`: a small piece of other work per call, done when this thread would block; false when it has none.
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
  // Lines split and gated here, where the worker's parsing would otherwise be waited for: the worker (the busier
  // thread) decodes only the lines its families may parse. The gate is the worker parser's, of the same families.
  const batcher = new LineBatcher(latin1Gate(defaultFamilies()), (lines) => {
    if (waiting) waiting = waitForWorker(progress, posted - MAX_BATCHES_IN_FLIGHT, whileWaiting)
    worker.postMessage({lines} satisfies ParseWorkerRequest, [lines.records, lines.extra, lines.entries])
    posted++
  })
  let ended = false
  const end = () => {
    if (ended) return
    ended = true
    batcher.end()
    worker.postMessage({done: true} satisfies ParseWorkerRequest)
  }
  return {
    pushRecord: (body) => void batcher.push(body),
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
        // Loaded once the worker is gone, so its heap and these tables are not alive at once (lower peak memory).
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
  progress: ParseProgress
  replies: ReplyQueue
  /** Removes the directory of its table parts (else removed when the process exits). */
  removeParts: () => void
}

/** Started early so it loads its modules while DuckDB's library loads. Null when running from sources. */
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
 * False when the worker made no progress for `BATCH_WAIT_MS`: a failed worker cannot say so while this thread blocks,
 * so its error is reported once the tables are awaited.
 */
function waitForWorker(progress: ParseProgress, parsed: number, whileWaiting?: () => boolean): boolean {
  for (;;) {
    const done = Atomics.load(progress, 0)
    if (done > parsed) return true
    if (whileWaiting?.()) continue
    if (Atomics.wait(progress, 0, done, BATCH_WAIT_MS) === 'timed-out') return false
  }
}

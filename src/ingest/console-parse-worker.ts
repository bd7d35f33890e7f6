/**
 * Worker thread: finished steps are written as table parts to a temporary directory as it goes, so its memory stays
 * bounded while the reading thread is too busy to take them.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parentPort, workerData} from 'node:worker_threads'
import {tableToIPC} from 'apache-arrow'
import {TrainerParser} from '../readers/trainer/trainer-parser.js'
import {
  TRAINER_TABLE_EVENTS,
  type TrainerTableName,
  settledParts,
  trainerTable,
} from '../readers/trainer/trainer-tables.js'
import {type LineBatchSink, forEachLine} from './console/line-batch.js'
import {evidenceCount} from './console/types.js'
import type {ParseWorkerData, ParseWorkerReply, ParseWorkerRequest} from './console/worker-protocol.js'

const {progress, settleRows, partsDir} = workerData as ParseWorkerData

// Let go after the last line (with them the parser's lookup maps, which hold on to every event row).
let parser: TrainerParser | null = new TrainerParser({origin: 'wandb_console'})

/** The lines split and gated by the reading thread, as `consoleParser` gives them to the parser inline. */
const lines: LineBatchSink = {
  line: (marked, bytes, start, end) => parser!.pushMarked(marked, bytes, start, end),
  text: (line) => parser!.push(line),
  cut: (limit, skipped) => parser!.lineCut(limit, skipped, "the run's console"),
}

/** Reported when the tables are asked for: the reading thread does not wait for replies before. */
let failure: string | null = null

let written = 0
let writtenEvidence = 0

/** Writes the parser's finished steps as table parts, once it holds `settleRows` rows. */
function writeSettled(): void {
  const batch = parser!.takeSettled(settleRows)
  if (batch === null) return
  writtenEvidence += evidenceCount(batch)
  for (const part of settledParts(batch)) {
    const file = join(partsDir, `${written++}-${part.name}.arrow`)
    writeFileSync(file, tableToIPC(part.table, 'stream'))
    // Sent now: the reading thread loads it as soon as it is free (it waits for the rest of the console).
    parentPort!.postMessage({table: part.name, file} satisfies ParseWorkerReply)
  }
}

parentPort!.on('message', (msg: ParseWorkerRequest) => {
  if ('lines' in msg) {
    try {
      if (failure === null) {
        forEachLine(msg.lines, lines)
        writeSettled()
      }
    } catch (error) {
      failure = (error as Error).message
    }
    // counted even after a failure: the reading thread must not wait for batches that will not be parsed
    Atomics.add(progress, 0, 1)
    Atomics.notify(progress, 0)
    return
  }
  if (failure !== null) {
    parentPort!.postMessage({error: failure} satisfies ParseWorkerReply)
    return
  }
  try {
    const events = parser!.finish()
    parser = null
    const outcome: ParseWorkerReply = {
      done: true,
      warnings: [...events.warnings],
      evidence: writtenEvidence + evidenceCount(events),
      lines: events.lines,
    }
    // After the parts written while parsing: each table's rows stay in log order.
    // One table at a time: built, serialized and sent, then its events let go (the peak memory of a big run is here).
    for (const [name, key] of Object.entries(TRAINER_TABLE_EVENTS) as Array<[TrainerTableName, keyof typeof events]>) {
      const ipc = tableToIPC(trainerTable(name, events[key] as object[]), 'stream')
      ;(events[key] as object[]).length = 0
      parentPort!.postMessage({table: name, ipc} satisfies ParseWorkerReply, [ipc.buffer as ArrayBuffer])
    }
    parentPort!.postMessage(outcome)
  } catch (error) {
    parentPort!.postMessage({error: (error as Error).message} satisfies ParseWorkerReply)
  }
})

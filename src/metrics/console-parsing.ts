import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'
import {type Table, tableFromIPC} from 'apache-arrow'
import {TrainerParser} from '../readers/trainer/trainer-parser.js'
import {type TrainerTableName, trainerTables} from '../readers/trainer/trainer-tables.js'
import type {SampleRow, TrainerEvents, WarningRow} from '../readers/trainer/types.js'

/** The trainer tables of a run's stdout, with what the warnings and sources need. */
export interface ParsedTrainer {
  tables: Record<TrainerTableName, Table>
  warnings: WarningRow[]
  /** samples + step tallies + API calls found in stdout (0: the console held no trainer output). */
  evidence: number
}

/** Trainer tables from parsed events, with the per-sample rows of the wandb Tables added to `samples`. */
export function parsedFromEvents(events: TrainerEvents, tableSamples: SampleRow[]): ParsedTrainer {
  const evidence = events.samples.length + events.stepTallies.length + events.apiCalls.length
  if (tableSamples.length > 0) events.samples = [...events.samples, ...tableSamples]
  return {tables: trainerTables(events), warnings: events.warnings, evidence}
}

/** Console lines in, trainer tables out. */
export interface ConsoleParsing {
  push(line: string): void
  finish(tableSamples: SampleRow[]): Promise<ParsedTrainer>
}

/** Parses in this thread. */
export function inlineConsoleParsing(): ConsoleParsing {
  const parser = new TrainerParser({origin: 'wandb_console'})
  return {
    push: (line) => parser.push(line),
    finish: async (tableSamples) => parsedFromEvents(parser.finish(), tableSamples),
  }
}

/** Lines sent to the parsing worker per message. */
const BATCH_LINES = 16384

export type ParseWorkerRequest = {lines: string[]} | {done: true; tableSamples: SampleRow[]}
export type ParseWorkerReply = {ipc: Record<string, Uint8Array>; warnings: WarningRow[]; evidence: number} | {error: string}

/**
 * Parses on a worker thread while this thread goes on reading the log: the two halves of reading a big run (decoding
 * the `.wandb`, parsing its console) run on both cores. Null when the worker file is missing (running from sources).
 */
export function workerConsoleParsing(): ConsoleParsing | null {
  const file = fileURLToPath(new URL('./console-parse-worker.js', import.meta.url))
  if (!existsSync(file)) return null
  const worker = new Worker(file)
  let batch: string[] = []
  const reply = new Promise<ParseWorkerReply>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  return {
    push(line) {
      batch.push(line)
      if (batch.length >= BATCH_LINES) {
        worker.postMessage({lines: batch} satisfies ParseWorkerRequest)
        batch = []
      }
    },
    async finish(tableSamples) {
      if (batch.length > 0) worker.postMessage({lines: batch} satisfies ParseWorkerRequest)
      batch = []
      worker.postMessage({done: true, tableSamples} satisfies ParseWorkerRequest)
      try {
        const r = await reply
        if ('error' in r) throw new Error(`parsing the console failed: ${r.error}`)
        const tables = Object.fromEntries(Object.entries(r.ipc).map(([name, u]) => [name, tableFromIPC(u)])) as Record<TrainerTableName, Table>
        return {tables, warnings: r.warnings, evidence: r.evidence}
      } finally {
        await worker.terminate()
      }
    },
  }
}

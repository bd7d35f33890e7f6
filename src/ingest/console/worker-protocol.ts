import type {Worker} from 'node:worker_threads'
import type {TrainerTableName} from '../../readers/trainer/trainer-tables.js'
import type {LineBatch} from './line-batch.js'
import type {ParseOutcome} from './types.js'

/** What the worker shares with the reading thread: `[batches parsed]`. */
export type ParseProgress = Int32Array

export interface ParseWorkerData {
  progress: ParseProgress
  /** Rows held before finished steps are written out (`RUNLOG_SETTLE_ROWS`; smaller in tests). */
  settleRows: number
  /** Where the worker writes them (made and removed by the reading thread). */
  partsDir: string
}

export type ParseWorkerRequest = {lines: LineBatch} | {done: true}
/** Part files while parsing, then after `done` each table's last part as Arrow IPC, then the outcome or an error. */
export type ParseWorkerReply =
  | {table: TrainerTableName; ipc: Uint8Array}
  | {table: TrainerTableName; file: string}
  | ({done: true} & ParseOutcome)
  | {error: string}

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

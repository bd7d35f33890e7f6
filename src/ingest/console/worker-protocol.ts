import type {Worker} from 'node:worker_threads'
import type {TrainerTableName} from '../../readers/trainer/trainer-tables.js'
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

export type ParseWorkerRequest = {records: ArrayBuffer; bytes: number} | {done: true}
/** Part files while parsing, then after `done` each table's last part as Arrow IPC, then the outcome or an error. */
export type ParseWorkerReply =
  | {table: TrainerTableName; ipc: Uint8Array}
  | {table: TrainerTableName; file: string}
  | ({done: true} & ParseOutcome)
  | {error: string}

/** Bytes of console records sent to the parsing worker per message (each record as a uint32 length, then its bytes). */
export const BATCH_BYTES = 1 << 20

/** Each record as a uint32 LE length, then its bytes; each batch a buffer of its own, so it can be transferred. */
export class RecordBatcher {
  private batch: Buffer
  private used = 0

  constructor(
    /** Called with each full batch (and by `flush`), to post it; the batch is not touched after. */
    private readonly post: (records: ArrayBuffer, bytes: number) => void,
    private readonly batchBytes = BATCH_BYTES,
  ) {
    this.batch = this.newBatch(batchBytes)
  }

  /** One record; a record bigger than a batch gets a batch of its own size. */
  push(body: Uint8Array): void {
    const need = 4 + body.byteLength
    if (this.used + need > this.batch.length) {
      this.flush()
      if (need > this.batch.length) this.batch = this.newBatch(need)
    }
    this.batch.writeUInt32LE(body.byteLength, this.used)
    this.batch.set(body, this.used + 4)
    this.used += need
  }

  /** Posts the records held, if any. */
  flush(): void {
    if (this.used === 0) return
    this.post(this.batch.buffer as ArrayBuffer, this.used)
    this.batch = this.newBatch(this.batchBytes)
    this.used = 0
  }

  private newBatch(bytes: number): Buffer {
    return Buffer.from(new ArrayBuffer(bytes))
  }
}

export function forEachRecord(
  records: ArrayBuffer,
  bytes: number,
  record: (buf: Buffer, start: number, end: number) => void,
): void {
  const buf = Buffer.from(records, 0, bytes)
  for (let pos = 0; pos < bytes;) {
    const len = buf.readUInt32LE(pos)
    record(buf, pos + 4, pos + 4 + len)
    pos += 4 + len
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

import {closeSync, openSync, writeSync} from 'node:fs'
import {crc32} from 'node:zlib'
import {BinaryWriter, WireType} from '@bufbuild/protobuf/wire'
import {
  BLOCK_SIZE,
  CHUNK_HEADER_SIZE,
  ChunkType,
  FILE_HEADER_SIZE,
  FILE_MAGIC,
} from '../../src/readers/wandb/log-container.js'
import {RecordField} from '../../src/readers/wandb/records.js'

/**
 * Writes `.wandb` transaction logs (the LevelDB-style container of `wandb_internal.Record` protobufs), for tests and
 * benchmarks only. The container layout and field numbers are the reader's (`src/readers/wandb`), so the two cannot
 * drift apart. Output is buffered and written to the file descriptor in large writes.
 */

export {BLOCK_SIZE, CHUNK_HEADER_SIZE, FILE_HEADER_SIZE}

/** `Record` oneof field numbers: the reader's, plus `num` (the record counter the reader never decodes). */
export const RecordNo = {num: 1, ...RecordField} as const

export interface WandbWriterOptions {
  /** Container version byte of the file header (default 0). Any byte is written as given, so tests can make bad files. */
  version?: number
  /**
   * `standard` (default): the file header is part of block 0, blocks start at k·32768.
   * `wandb-core-0.17-bug`: blocks start at 7 + k·32768, as wandb-core 0.17.0–0.17.5 wrote them (unreadable by wandb).
   */
  framing?: 'standard' | 'wandb-core-0.17-bug'
  /** Size of the output buffer in bytes (default 8 MiB). */
  bufferSize?: number
  /** Give every record a `num` (1, 2, 3, …) like wandb does (default true). */
  numberRecords?: boolean
}

/** A history/summary/config/stats item given as its JSON text, to copy existing records byte for byte. */
export type RawItem = {key: string; valueJson: string} | {nestedKey: string[]; valueJson: string}
/** Items as a key → value map (values are JSON-encoded; NaN and ±Infinity become bare words) or as raw items. */
export type Items = Record<string, unknown> | readonly RawItem[]

export interface RunInfo {
  runId: string
  entity?: string
  project?: string
  displayName?: string
  /** Unix seconds (fractions become nanos). */
  startTime?: number
  group?: string
  jobType?: string
  notes?: string
  tags?: string[]
  host?: string
  config?: Items
}

/** Where one record landed: byte offset of its first chunk header and the offset just past its last chunk. */
export interface RecordSpan {
  start: number
  end: number
  /** Number of chunks the record was split into (1 = FULL). */
  chunks: number
}

const TYPE_SEEDS = [0, 1, 2, 3, 4].map((t) => crc32(Buffer.of(t)))
const ZEROS = Buffer.alloc(CHUNK_HEADER_SIZE)

/** JSON text as wandb writes it into `value_json`: NaN, Infinity and -Infinity as bare words, at any depth. */
export function toValueJson(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN'
    if (value === Infinity) return 'Infinity'
    if (value === -Infinity) return '-Infinity'
    return JSON.stringify(value)
  }
  if (value === undefined) return 'null'
  if (typeof value === 'bigint') return value.toString()
  if (Array.isArray(value)) return `[${value.map((v) => toValueJson(v)).join(', ')}]`
  if (value !== null && typeof value === 'object') {
    if (typeof (value as {toJSON?: unknown}).toJSON === 'function') return JSON.stringify(value)
    const parts = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${JSON.stringify(k)}: ${toValueJson(v)}`,
    )
    return `{${parts.join(', ')}}`
  }
  return JSON.stringify(value)
}

function toRawItems(items: Items): readonly RawItem[] {
  if (Array.isArray(items)) return items as readonly RawItem[]
  return Object.entries(items as Record<string, unknown>).map(([key, v]) => ({key, valueJson: toValueJson(v)}))
}

/** Writes an item message (`HistoryItem` / `SummaryItem` / `ConfigItem` / `StatsItem`) as field `fieldNo` of `w`. */
function writeItem(w: BinaryWriter, fieldNo: number, item: RawItem): void {
  w.tag(fieldNo, WireType.LengthDelimited).fork()
  if ('nestedKey' in item) for (const k of item.nestedKey) w.tag(2, WireType.LengthDelimited).string(k)
  else w.tag(1, WireType.LengthDelimited).string(item.key)
  w.tag(16, WireType.LengthDelimited).string(item.valueJson)
  w.join()
}

/** Writes a `google.protobuf.Timestamp` from Unix seconds as field `fieldNo` of `w`. */
function writeTimestamp(w: BinaryWriter, fieldNo: number, unixSeconds: number): void {
  const seconds = Math.floor(unixSeconds)
  const nanos = Math.round((unixSeconds - seconds) * 1e9)
  w.tag(fieldNo, WireType.LengthDelimited).fork()
  if (seconds !== 0) w.tag(1, WireType.Varint).int64(seconds)
  if (nanos !== 0) w.tag(2, WireType.Varint).int32(Math.min(nanos, 999_999_999))
  w.join()
}

function writeUpdates(w: BinaryWriter, items: Items): void {
  for (const item of toRawItems(items)) writeItem(w, 1, item)
}

/** Record encoders: each returns a whole `wandb_internal.Record` payload. `num` 0 leaves the field out. */
export const encode = {
  /** `step` null leaves the record's step out (as TensorBoard-synced runs do: only a `_step` item numbers it). */
  history(step: number | null, items: Items, num = 0): Uint8Array {
    const w = record(num).tag(RecordNo.history, WireType.LengthDelimited).fork()
    for (const item of toRawItems(items)) writeItem(w, 1, item)
    if (step === null) return w.join().finish()
    w.tag(2, WireType.LengthDelimited).fork()
    if (step !== 0) w.tag(1, WireType.Varint).int64(step)
    return w.join().join().finish()
  },
  summary(update: Items, remove: string[] = [], num = 0): Uint8Array {
    const w = record(num).tag(RecordNo.summary, WireType.LengthDelimited).fork()
    writeUpdates(w, update)
    for (const key of remove) writeItem(w, 2, {key, valueJson: ''})
    return w.join().finish()
  },
  config(update: Items, remove: string[] = [], num = 0): Uint8Array {
    const w = record(num).tag(RecordNo.config, WireType.LengthDelimited).fork()
    writeUpdates(w, update)
    for (const key of remove) writeItem(w, 2, {key, valueJson: ''})
    return w.join().finish()
  },
  /** Console text: `output_raw` (13), or the pre-0.13.9 `output` (4) record when `legacy`. */
  output(stream: 'stdout' | 'stderr', text: string, timestamp?: number, legacy = false, num = 0): Uint8Array {
    const w = record(num)
      .tag(legacy ? RecordNo.output : RecordNo.outputRaw, WireType.LengthDelimited)
      .fork()
    if (stream === 'stdout') w.tag(1, WireType.Varint).int32(1)
    if (timestamp !== undefined) writeTimestamp(w, 2, timestamp)
    w.tag(3, WireType.LengthDelimited).string(text)
    return w.join().finish()
  },
  stats(timestamp: number, items: Items, statsType = 0, num = 0): Uint8Array {
    const w = record(num).tag(RecordNo.stats, WireType.LengthDelimited).fork()
    if (statsType !== 0) w.tag(1, WireType.Varint).int32(statsType)
    writeTimestamp(w, 2, timestamp)
    for (const item of toRawItems(items)) writeItem(w, 3, item)
    return w.join().finish()
  },
  telemetry(cliVersion: string, pythonVersion?: string, num = 0): Uint8Array {
    const w = record(num).tag(RecordNo.telemetry, WireType.LengthDelimited).fork()
    if (pythonVersion) w.tag(4, WireType.LengthDelimited).string(pythonVersion)
    if (cliVersion) w.tag(5, WireType.LengthDelimited).string(cliVersion)
    return w.join().finish()
  },
  run(info: RunInfo, num = 0): Uint8Array {
    const w = record(num).tag(RecordNo.run, WireType.LengthDelimited).fork()
    const str = (no: number, s: string | undefined) => {
      if (s) w.tag(no, WireType.LengthDelimited).string(s)
    }
    str(1, info.runId)
    str(2, info.entity)
    str(3, info.project)
    if (info.config) {
      w.tag(4, WireType.LengthDelimited).fork()
      writeUpdates(w, info.config)
      w.join()
    }
    str(6, info.group)
    str(7, info.jobType)
    str(8, info.displayName)
    str(9, info.notes)
    for (const tag of info.tags ?? []) w.tag(10, WireType.LengthDelimited).string(tag)
    str(13, info.host)
    if (info.startTime !== undefined) writeTimestamp(w, 17, info.startTime)
    return w.join().finish()
  },
  exit(exitCode: number, runtime: number, num = 0): Uint8Array {
    const w = record(num).tag(RecordNo.exit, WireType.LengthDelimited).fork()
    if (exitCode !== 0) w.tag(1, WireType.Varint).int32(exitCode)
    if (runtime !== 0) w.tag(2, WireType.Varint).int32(runtime)
    return w.join().finish()
  },
  header(producer: string, minConsumer?: string, num = 0): Uint8Array {
    const w = record(num).tag(RecordNo.header, WireType.LengthDelimited).fork()
    w.tag(1, WireType.LengthDelimited).fork()
    if (producer) w.tag(1, WireType.LengthDelimited).string(producer)
    if (minConsumer) w.tag(2, WireType.LengthDelimited).string(minConsumer)
    return w.join().join().finish()
  },
}

/** One writer reused for every record: `finish()` copies the bytes out and resets it, keeping its grown buffer. */
const shared = new BinaryWriter()

function record(num: number): BinaryWriter {
  const w = shared
  // Drops whatever an encoder that threw left behind (a no-op copy of nothing otherwise).
  w.finish()
  if (num !== 0) w.tag(RecordNo.num, WireType.Varint).int64(num)
  return w
}

export class WandbWriter {
  private readonly buf: Buffer
  private bufLen = 0
  /** File offset of the first byte of `buf`. */
  private flushed = 0
  /** Offset of the block framing: 0, or 7 for the wandb-core 0.17.0–0.17.5 bug. */
  private readonly blockOrigin: number
  private nextNum = 1
  private readonly numberRecords: boolean
  private closed = false

  private constructor(
    readonly path: string,
    private readonly fd: number,
    options: WandbWriterOptions,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(options.bufferSize ?? 8 << 20, BLOCK_SIZE))
    this.blockOrigin = options.framing === 'wandb-core-0.17-bug' ? FILE_HEADER_SIZE : 0
    this.numberRecords = options.numberRecords ?? true
    const head = Buffer.alloc(FILE_HEADER_SIZE)
    head.write(':W&B', 0, 'latin1')
    head.writeUInt16LE(FILE_MAGIC, 4)
    head.writeUInt8(options.version ?? 0, 6)
    this.put(head)
  }

  /** Creates (or truncates) `path` and writes the file header. */
  static open(path: string, options: WandbWriterOptions = {}): WandbWriter {
    return new WandbWriter(path, openSync(path, 'w'), options)
  }

  /** Bytes written so far, buffered ones included: the offset where the next chunk or padding goes. */
  get offset(): number {
    return this.flushed + this.bufLen
  }

  /** Bytes left in the current block (after which a new block starts). */
  get blockRemaining(): number {
    return BLOCK_SIZE - ((this.offset - this.blockOrigin) % BLOCK_SIZE)
  }

  /** Frames one record payload into chunks (FULL, or FIRST/MIDDLE…/LAST across blocks), like LevelDB's log writer. */
  writeRawRecord(payload: Uint8Array): RecordSpan {
    if (this.closed) throw new Error(`${this.path}: writer is closed`)
    const room = this.blockRemaining
    if (room >= CHUNK_HEADER_SIZE && payload.length <= room - CHUNK_HEADER_SIZE) {
      // The common case: the whole record fits in the current block.
      const start = this.offset
      this.putChunk(ChunkType.Full, payload)
      return {start, end: this.offset, chunks: 1}
    }
    let left = payload.length
    let p = 0
    let begin = true
    let start = -1
    let chunks = 0
    do {
      const leftover = this.blockRemaining
      if (leftover < CHUNK_HEADER_SIZE) this.put(ZEROS.subarray(0, leftover))
      const avail = this.blockRemaining - CHUNK_HEADER_SIZE
      const frag = Math.min(left, avail)
      const end = frag === left
      const type = begin && end ? ChunkType.Full : begin ? ChunkType.First : end ? ChunkType.Last : ChunkType.Middle
      if (start < 0) start = this.offset
      this.putChunk(type, payload.subarray(p, p + frag))
      chunks++
      p += frag
      left -= frag
      begin = false
    } while (left > 0)
    return {start, end: this.offset, chunks}
  }

  private putChunk(type: number, data: Uint8Array): void {
    if (this.buf.length - this.bufLen < CHUNK_HEADER_SIZE) this.flush()
    const b = this.buf
    const at = this.bufLen
    // (zlib.crc32 of an empty view of an empty buffer returns 0 instead of the seed in Node 20: no data, no update.)
    b.writeUInt32LE(data.length === 0 ? TYPE_SEEDS[type] : crc32(data, TYPE_SEEDS[type]), at)
    b.writeUInt16LE(data.length, at + 4)
    b[at + 6] = type
    this.bufLen += CHUNK_HEADER_SIZE
    this.put(data)
  }

  /** Appends bytes to the output buffer, writing the buffer out whenever it fills. */
  private put(data: Uint8Array): void {
    if (data.length < this.buf.length - this.bufLen) {
      this.buf.set(data, this.bufLen)
      this.bufLen += data.length
      return
    }
    let p = 0
    while (p < data.length) {
      const n = Math.min(data.length - p, this.buf.length - this.bufLen)
      this.buf.set(data.subarray(p, p + n), this.bufLen)
      this.bufLen += n
      p += n
      if (this.bufLen === this.buf.length) this.flush()
    }
  }

  /** Writes buffered bytes to the file. */
  flush(): void {
    let done = 0
    while (done < this.bufLen) done += writeSync(this.fd, this.buf, done, this.bufLen - done, this.flushed + done)
    this.flushed += this.bufLen
    this.bufLen = 0
  }

  private num(): number {
    return this.numberRecords ? this.nextNum++ : 0
  }

  header(producer: string, minConsumer?: string): RecordSpan {
    return this.writeRawRecord(encode.header(producer, minConsumer, this.num()))
  }

  run(info: RunInfo): RecordSpan {
    return this.writeRawRecord(encode.run(info, this.num()))
  }

  /** One history row. `items` values are JSON-encoded (NaN/Infinity as bare words); `step` goes in `step.num`. */
  history(step: number | null, items: Items): RecordSpan {
    return this.writeRawRecord(encode.history(step, items, this.num()))
  }

  summary(update: Items, remove: string[] = []): RecordSpan {
    return this.writeRawRecord(encode.summary(update, remove, this.num()))
  }

  config(update: Items, remove: string[] = []): RecordSpan {
    return this.writeRawRecord(encode.config(update, remove, this.num()))
  }

  /** Console text as an `output_raw` record (or a legacy `output` record with `{legacy: true}`). */
  output(stream: 'stdout' | 'stderr', text: string, timestamp?: number, options: {legacy?: boolean} = {}): RecordSpan {
    return this.writeRawRecord(encode.output(stream, text, timestamp, options.legacy ?? false, this.num()))
  }

  stats(timestamp: number, items: Items): RecordSpan {
    return this.writeRawRecord(encode.stats(timestamp, items, 0, this.num()))
  }

  telemetry(cliVersion: string, pythonVersion?: string): RecordSpan {
    return this.writeRawRecord(encode.telemetry(cliVersion, pythonVersion, this.num()))
  }

  exit(exitCode: number, runtime: number): RecordSpan {
    return this.writeRawRecord(encode.exit(exitCode, runtime, this.num()))
  }

  /** Flushes and closes the file. The file ends right after the last chunk (no padding). */
  close(): void {
    if (this.closed) return
    try {
      this.flush()
    } finally {
      this.closed = true
      closeSync(this.fd)
    }
  }
}

import type {RawBuffer} from '../../readers/raw-buffer.js'
import {type RawLineSink, RawConsoleLines} from '../../readers/wandb/raw-console-lines.js'

/**
 * Console lines split and gated on the reading thread, for the parsing worker: the console records as they came (a
 * line lying in one record is given by where it lies there), the bytes of the other lines (`extra`), and per line a
 * (start, end, kind) triple in `entries`. Each buffer is its own, so all can be transferred.
 */
export interface LineBatch {
  records: ArrayBuffer
  extra: ArrayBuffer
  entries: ArrayBuffer
  /** Lines (triples) used in `entries`. */
  count: number
}

/** A line's UTF-8 bytes, without any marker of the parser's gate. */
export const PLAIN = 0
/** A line's UTF-8 bytes, holding a marker. */
export const MARKED = 1
/** A line that held `\r`, decoded and overwritten: its text as UTF-16 (an overwrite can leave half a surrogate pair). */
export const TEXT = 2
/** The line before was cut: `limit skipped` in ASCII digits. */
export const CUT = 3
/** Added to a kind: the bytes are in `extra` (a line assembled across records, a `\r` line's text, a cut notice). */
export const IN_EXTRA = 4

/** Bytes of records per batch, and lines per batch (a batch is posted between records once either is reached). */
export const LINE_BATCH_BYTES = 1 << 20
export const LINE_BATCH_LINES = 1 << 15

/** Where the lines of a batch go, in order (`bytes[start, end)` valid during the call only). */
export interface LineBatchSink {
  line(marked: boolean, bytes: Buffer, start: number, end: number): void
  text(line: string): void
  cut(limit: number, skipped: number): void
}

/**
 * Splits console records into lines (`RawConsoleLines`), tests each against `gate` (the parser's `latin1Gate`; null:
 * every line is marked) and packs them into batches handed to `post`. Each record is copied once, into the batch, and
 * split there: its lines are not copied again.
 */
export class LineBatcher implements RawLineSink {
  private readonly lines: RawConsoleLines
  private records: Buffer
  private used = 0
  private extra = this.ownBuffer(0)
  private extraUsed = 0
  private entries: Int32Array
  private count = 0

  constructor(
    private readonly gate: RegExp | null,
    /** Called with each full batch (and by `end`), to post it; the batch is not touched after. */
    private readonly post: (batch: LineBatch) => void,
    private readonly batchBytes = LINE_BATCH_BYTES,
    private readonly batchLines = LINE_BATCH_LINES,
    opts: {maxLine?: number} = {},
  ) {
    this.records = this.ownBuffer(batchBytes)
    this.entries = new Int32Array(batchLines * 3)
    this.lines = new RawConsoleLines(this, opts)
  }

  /** One `OutputRecord` / `OutputRawRecord` message (valid during the call only). False when it is not one. */
  push(body: Uint8Array): boolean {
    const n = body.byteLength
    // Posted only between records: the lines of the record being split point into this batch's buffer.
    if (this.used + n > this.records.length || this.count >= this.batchLines || this.extraUsed >= this.batchBytes) {
      this.flush()
    }
    if (n > this.records.length) this.records = this.ownBuffer(n)
    this.records.set(body, this.used)
    const start = this.used
    this.used += n
    return this.lines.push(this.records, start, this.used)
  }

  /** No more records: the last lines of each stream, then the batch held. */
  end(): void {
    this.lines.flush()
    this.flush()
  }

  /** @internal (`RawLineSink`) */
  line(latin1: string, bytes: Buffer | null, start: number, end: number): void {
    const kind = this.gate === null || this.gate.test(latin1) ? MARKED : PLAIN
    // A line given as bytes lies in the record just copied into `records`.
    if (bytes) this.add(start, end, kind)
    else this.addExtra(latin1, 'latin1', kind)
  }

  /** @internal (`RawLineSink`) */
  text(line: string): void {
    this.addExtra(line, 'utf16le', TEXT)
  }

  /** @internal (`RawLineSink`) */
  cut(limit: number, skipped: number): void {
    this.addExtra(`${limit} ${skipped}`, 'latin1', CUT)
  }

  private flush(): void {
    // With no line, the records held are not needed (text after a stream's last `\n` is held by `RawConsoleLines`).
    if (this.count > 0) {
      const {records, extra, entries, count} = this
      this.post({
        records: records.buffer as ArrayBuffer,
        extra: extra.buffer as ArrayBuffer,
        entries: entries.buffer as ArrayBuffer,
        count,
      })
      this.records = this.ownBuffer(this.batchBytes)
      this.extra = this.ownBuffer(0)
      this.entries = new Int32Array(this.batchLines * 3)
    }
    this.used = 0
    this.extraUsed = 0
    this.count = 0
  }

  private addExtra(s: string, encoding: 'latin1' | 'utf16le', kind: number): void {
    const most = encoding === 'latin1' ? s.length : s.length * 2
    if (this.extraUsed + most > this.extra.length) {
      const grown = this.ownBuffer(Math.max(this.extra.length * 2, this.extraUsed + most, 4096))
      this.extra.copy(grown, 0, 0, this.extraUsed)
      this.extra = grown
    }
    const start = this.extraUsed
    this.extraUsed += this.extra.write(s, start, encoding)
    this.add(start, this.extraUsed, kind + IN_EXTRA)
  }

  private add(start: number, end: number, kind: number): void {
    if (this.count * 3 === this.entries.length) {
      const grown = new Int32Array(this.entries.length * 2)
      grown.set(this.entries)
      this.entries = grown
    }
    const i = this.count++ * 3
    this.entries[i] = start
    this.entries[i + 1] = end
    this.entries[i + 2] = kind
  }

  /** A buffer of its own (not from Node's shared pool), so that it can be transferred. */
  private ownBuffer(bytes: number): Buffer {
    return Buffer.from(new ArrayBuffer(bytes))
  }
}

/** The lines of a batch, in order. */
export function forEachLine(batch: LineBatch, sink: LineBatchSink): void {
  const records = Buffer.from(batch.records) as RawBuffer
  const extra = Buffer.from(batch.extra) as RawBuffer
  const entries = new Int32Array(batch.entries)
  for (let i = 0; i < batch.count * 3; i += 3) {
    const start = entries[i]
    const end = entries[i + 1]
    const kind = entries[i + 2]
    if (kind <= MARKED) sink.line(kind === MARKED, records, start, end)
    else if (kind <= MARKED + IN_EXTRA) sink.line(kind === MARKED + IN_EXTRA, extra, start, end)
    else if (kind === TEXT + IN_EXTRA) sink.text(extra.toString('utf16le', start, end))
    else {
      const [limit, skipped] = extra.latin1Slice(start, end).split(' ')
      sink.cut(Number(limit), Number(skipped))
    }
  }
}

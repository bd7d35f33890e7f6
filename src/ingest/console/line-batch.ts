import type {RawBuffer} from '../../readers/raw-buffer.js'
import type {RawLineSink} from '../../readers/wandb/raw-console-lines.js'

/**
 * Console lines split and gated on the reading thread, for the parsing worker: the lines' bytes back to back, and per
 * line an (end offset in `bytes`, kind) pair in `entries`. Each buffer is its own, so both can be transferred.
 */
export interface LineBatch {
  bytes: ArrayBuffer
  entries: ArrayBuffer
  /** Lines (pairs) used in `entries`. */
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

/** Bytes of lines per batch, and lines per batch. */
export const LINE_BATCH_BYTES = 1 << 20
export const LINE_BATCH_LINES = 1 << 15

/** Where the lines of a batch go, in order (`bytes[start, end)` valid during the call only). */
export interface LineBatchSink {
  line(marked: boolean, bytes: Buffer, start: number, end: number): void
  text(line: string): void
  cut(limit: number, skipped: number): void
}

/**
 * Takes the lines of `RawConsoleLines`, tests each against `gate` (the parser's `latin1Gate`; null: every line is
 * marked) and packs them into batches handed to `post`.
 */
export class LineBatcher implements RawLineSink {
  private bytes: Buffer
  private used = 0
  private entries: Int32Array
  private count = 0

  constructor(
    private readonly gate: RegExp | null,
    /** Called with each full batch (and by `flush`), to post it; the batch is not touched after. */
    private readonly post: (batch: LineBatch) => void,
    private readonly batchBytes = LINE_BATCH_BYTES,
    private readonly batchLines = LINE_BATCH_LINES,
  ) {
    this.bytes = Buffer.from(new ArrayBuffer(batchBytes))
    this.entries = new Int32Array(batchLines * 2)
  }

  line(latin1: string, bytes: Buffer | null, start: number, end: number): void {
    const marked = this.gate === null || this.gate.test(latin1)
    if (bytes) {
      const n = end - start
      this.room(n)
      copyBytes(bytes, start, end, this.bytes, this.used)
      this.add(n, marked ? MARKED : PLAIN)
    } else {
      // Latin-1 text written back as Latin-1: the line's own bytes.
      this.room(latin1.length)
      this.add(this.bytes.write(latin1, this.used, 'latin1'), marked ? MARKED : PLAIN)
    }
  }

  text(line: string): void {
    this.room(line.length * 2)
    this.add(this.bytes.write(line, this.used, 'utf16le'), TEXT)
  }

  cut(limit: number, skipped: number): void {
    const s = `${limit} ${skipped}`
    this.room(s.length)
    this.add(this.bytes.write(s, this.used, 'latin1'), CUT)
  }

  /** Posts the lines held, if any. */
  flush(): void {
    if (this.count === 0 && this.used === 0) return
    this.post({bytes: this.bytes.buffer as ArrayBuffer, entries: this.entries.buffer as ArrayBuffer, count: this.count})
    this.bytes = Buffer.from(new ArrayBuffer(this.batchBytes))
    this.entries = new Int32Array(this.batchLines * 2)
    this.used = 0
    this.count = 0
  }

  /** Room for one more line of `n` bytes: a line bigger than a batch gets a batch of its own size. */
  private room(n: number): void {
    if (this.used + n <= this.bytes.length && this.count < this.batchLines) return
    this.flush()
    if (n > this.bytes.length) this.bytes = Buffer.from(new ArrayBuffer(n))
  }

  private add(n: number, kind: number): void {
    this.used += n
    const i = this.count++ * 2
    this.entries[i] = this.used
    this.entries[i + 1] = kind
  }
}

/** `Buffer.copy` costs more in its argument checks than a short line's bytes take to copy one by one. */
function copyBytes(from: Buffer, start: number, end: number, to: Buffer, at: number): void {
  if (end - start > 64) {
    from.copy(to, at, start, end)
    return
  }
  for (let i = start; i < end; i++) to[at++] = from[i]
}

/** The lines of a batch, in order. */
export function forEachLine(batch: LineBatch, sink: LineBatchSink): void {
  const buf = Buffer.from(batch.bytes) as RawBuffer
  const entries = new Int32Array(batch.entries)
  let start = 0
  for (let i = 0; i < batch.count * 2; i += 2) {
    const end = entries[i]
    const kind = entries[i + 1]
    if (kind <= MARKED) sink.line(kind === MARKED, buf, start, end)
    else if (kind === TEXT) sink.text(buf.toString('utf16le', start, end))
    else {
      const [limit, skipped] = buf.latin1Slice(start, end).split(' ')
      sink.cut(Number(limit), Number(skipped))
    }
    start = end
  }
}

import type {RawBuffer} from '../../readers/raw-buffer.js'
import type {RawLineSink} from '../../readers/wandb/raw-console-lines.js'

/**
 * Console lines split and gated on the reading thread, for the parsing worker: the lines' bytes (those of one record
 * with the `\n` between them), and per line a (start, end offset in `bytes`, kind) triple in `entries`. Each buffer is
 * its own, so both can be transferred.
 */
export interface LineBatch {
  bytes: ArrayBuffer
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
  /**
   * The lines of one record given as bytes are copied at once, with the `\n` between them, when the record is done
   * (`endRecord`) or another kind of line comes: `src[spanStart, spanEnd)` goes to `bytes` at `used`.
   */
  private span: Buffer | null = null
  private spanStart = 0
  private spanEnd = 0

  constructor(
    private readonly gate: RegExp | null,
    /** Called with each full batch (and by `flush`), to post it; the batch is not touched after. */
    private readonly post: (batch: LineBatch) => void,
    private readonly batchBytes = LINE_BATCH_BYTES,
    private readonly batchLines = LINE_BATCH_LINES,
  ) {
    this.bytes = Buffer.from(new ArrayBuffer(batchBytes))
    this.entries = new Int32Array(batchLines * 3)
  }

  line(latin1: string, bytes: Buffer | null, start: number, end: number): void {
    const kind = this.gate === null || this.gate.test(latin1) ? MARKED : PLAIN
    if (bytes) {
      if (
        bytes !== this.span ||
        start < this.spanEnd ||
        this.used + end - this.spanStart > this.bytes.length ||
        this.count === this.batchLines
      ) {
        this.endRecord()
        this.room(end - start)
        this.span = bytes
        this.spanStart = start
      }
      this.spanEnd = end
      const at = this.used - this.spanStart
      this.add(at + start, at + end, kind)
    } else {
      // Latin-1 text written back as Latin-1: the line's own bytes.
      this.endRecord()
      this.room(latin1.length)
      this.add(this.used, (this.used += this.bytes.write(latin1, this.used, 'latin1')), kind)
    }
  }

  text(line: string): void {
    this.endRecord()
    this.room(line.length * 2)
    this.add(this.used, (this.used += this.bytes.write(line, this.used, 'utf16le')), TEXT)
  }

  cut(limit: number, skipped: number): void {
    const s = `${limit} ${skipped}`
    this.endRecord()
    this.room(s.length)
    this.add(this.used, (this.used += this.bytes.write(s, this.used, 'latin1')), CUT)
  }

  /** Copies the lines of the record just given: its bytes are not valid after (call once per record). */
  endRecord(): void {
    if (this.span === null) return
    copyBytes(this.span, this.spanStart, this.spanEnd, this.bytes, this.used)
    this.used += this.spanEnd - this.spanStart
    this.span = null
  }

  /** Posts the lines held, if any. */
  flush(): void {
    this.endRecord()
    if (this.count === 0 && this.used === 0) return
    this.post({bytes: this.bytes.buffer as ArrayBuffer, entries: this.entries.buffer as ArrayBuffer, count: this.count})
    this.bytes = Buffer.from(new ArrayBuffer(this.batchBytes))
    this.entries = new Int32Array(this.batchLines * 3)
    this.used = 0
    this.count = 0
  }

  /** Room for one more line of `n` bytes: a line bigger than a batch gets a batch of its own size. */
  private room(n: number): void {
    if (this.used + n <= this.bytes.length && this.count < this.batchLines) return
    this.flush()
    if (n > this.bytes.length) this.bytes = Buffer.from(new ArrayBuffer(n))
  }

  private add(start: number, end: number, kind: number): void {
    const i = this.count++ * 3
    this.entries[i] = start
    this.entries[i + 1] = end
    this.entries[i + 2] = kind
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
  for (let i = 0; i < batch.count * 3; i += 3) {
    const start = entries[i]
    const end = entries[i + 1]
    const kind = entries[i + 2]
    if (kind <= MARKED) sink.line(kind === MARKED, buf, start, end)
    else if (kind === TEXT) sink.text(buf.toString('utf16le', start, end))
    else {
      const [limit, skipped] = buf.latin1Slice(start, end).split(' ')
      sink.cut(Number(limit), Number(skipped))
    }
  }
}

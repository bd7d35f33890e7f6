import {maxLineBytes} from '../../settings.js'
import {applyCarriageReturns, boundLine} from './console-lines.js'
import {type OutputFields, outputFields, readOutputFields} from './output-record.js'

/** Node's decoders behind `buf.toString(enc, start, end)`, without its argument checks. */
type RawBuffer = Buffer & {
  latin1Slice(start: number, end: number): string
  utf8Slice(start: number, end: number): string
}

/** Where the lines of `RawConsoleLines` go. */
export interface RawLineSink {
  /**
   * Latin-1 over UTF-8 bytes, so markers can be searched without decoding. `bytes[start, end)`: the line's bytes when
   * it lies in one record, else `bytes` is null.
   */
  line(latin1: string, bytes: Buffer | null, start: number, end: number): void
  /** A line that held carriage returns, decoded, with the overwrites applied as a terminal shows them. */
  text(line: string): void
  /** The line just given was longer than `limit` bytes: its first bytes were given, `skipped` bytes were not. */
  cut?(limit: number, skipped: number): void
}

const fromLatin1 = (s: string) => Buffer.from(s, 'latin1').toString('utf8')
const toLatin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1')

/**
 * The same lines as `ConsoleAssembler`, but with no string decoded per line: most of a big run's console is model
 * output nobody parses, and decoding it was a large share of reading the run.
 */
export class RawConsoleLines {
  /** Text after the last `\n` of each stream (0 = stderr, 1 = stdout), as Latin-1. */
  private readonly pending = ['', '']
  private readonly fields: OutputFields = outputFields()
  private count = 0
  /** Per stream: the line being assembled was cut at the limit, and the bytes skipped from it. */
  private readonly cutting = [false, false]
  private readonly skipped = [0, 0]
  private readonly maxLine: number

  constructor(
    private readonly sink: RawLineSink,
    opts: {maxLine?: number} = {},
  ) {
    this.maxLine = opts.maxLine ?? maxLineBytes()
  }

  /** Lines emitted so far. */
  get lines(): number {
    return this.count
  }

  /** One `OutputRecord` / `OutputRawRecord` message, `buf[start, end)`. False when it is not a valid message. */
  push(buf: Buffer, start: number, end: number): boolean {
    const f = this.fields
    if (!readOutputFields(buf, start, end, f, false)) return false
    if (f.textStart === f.textEnd) return true
    const s = f.type === 1 ? 1 : 0
    const base = f.textStart
    const text = (buf as RawBuffer).latin1Slice(base, f.textEnd)
    let from = 0
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      const pending = this.pending[s]
      if (this.cutting[s]) {
        this.skipped[s] += nl - from
        this.pending[s] = ''
        this.endLine(s, pending)
      } else if (pending.length > 0 || nl - from > this.maxLine) {
        this.pending[s] = ''
        this.endLine(s, this.bound(s, pending + text.slice(from, nl)))
      } else this.emit(text.slice(from, nl), buf, base + from, base + nl)
      from = nl + 1
    }
    if (from < text.length) {
      const rest = from === 0 ? text : text.slice(from)
      if (this.cutting[s]) this.skipped[s] += rest.length
      else this.pending[s] = this.bound(s, this.pending[s] + rest)
    }
    return true
  }

  /** `line` within the line limit (see `boundLine`); a cut starts skipping the rest of the line. */
  private bound(s: number, line: string): string {
    const b = boundLine(line, this.maxLine, fromLatin1, toLatin1)
    if (b.cut > 0) {
      this.skipped[s] += b.cut
      this.cutting[s] = true
    }
    return b.line
  }

  /** Emits a line assembled from pending text, then says if it was cut. */
  private endLine(s: number, line: string): void {
    this.cutting[s] = false
    this.emit(line, null, 0, 0)
    if (this.skipped[s] > 0) {
      this.sink.cut?.(this.maxLine, this.skipped[s])
      this.skipped[s] = 0
    }
  }

  /** Emits the unterminated last line of each stream (stdout first, as `ConsoleAssembler.flush`). */
  flush(): void {
    for (const s of [1, 0]) {
      const pending = this.pending[s]
      this.pending[s] = ''
      if (pending.length > 0) this.endLine(s, pending)
      this.cutting[s] = false
    }
  }

  private emit(latin1: string, bytes: Buffer | null, start: number, end: number): void {
    this.count++
    if (latin1.indexOf('\r') === -1) {
      this.sink.line(latin1, bytes, start, end)
      return
    }
    // Overwrites go by characters, so the line is decoded first (a byte-wise overwrite could split a character).
    let line = bytes ? (bytes as RawBuffer).utf8Slice(start, end) : Buffer.from(latin1, 'latin1').toString('utf8')
    if (line.endsWith('\r')) line = line.slice(0, -1)
    this.sink.text(applyCarriageReturns(line))
  }
}

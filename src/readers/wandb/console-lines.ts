import {maxLineBytes} from '../../settings.js'

/** A stream's fragments are joined and split on `\n`; `\r` overwrites the line from its start, as in a terminal. */
export interface ConsoleLine {
  stream: 'stdout' | 'stderr'
  /** 0-based line number within its stream. */
  lineNo: number
  /** Unix seconds of the fragment that started the line, or null. */
  timestamp: number | null
  text: string
}

/** Applies carriage-return overwrites to one line: `"50%\r100%"` → `"100%"`, `"abcdef\rXY"` → `"XYcdef"`. */
export function applyCarriageReturns(line: string): string {
  if (line.indexOf('\r') === -1) return line
  const parts = line.split('\r')
  let screen = parts[0]
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]
    if (p.length === 0) continue
    screen = p.length >= screen.length ? p : p + screen.slice(p.length)
  }
  return screen
}

/**
 * Applies the `\r` overwrites so far (a progress bar redrawn for hundreds of MB keeps what a terminal shows, reading as
 * if held whole), then cuts past `max`. `decode`/`encode`: for lines held as UTF-8 bytes read as Latin-1.
 */
export function boundLine(
  line: string,
  max: number,
  decode: (s: string) => string = (s) => s,
  encode: (s: string) => string = (s) => s,
): {line: string; cut: number} {
  if (line.length <= max) return {line, cut: 0}
  const lastCr = line.lastIndexOf('\r')
  let kept = line
  if (lastCr > 0) kept = encode(applyCarriageReturns(decode(line.slice(0, lastCr)))) + line.slice(lastCr)
  if (kept.length <= max) return {line: kept, cut: 0}
  return {line: kept.slice(0, max), cut: kept.length - max}
}

/** Joins the fragments of one stream into lines; call `push` per fragment, then `flush` at the end. */
export class StreamAssembler {
  private pending = ''
  private pendingTimestamp: number | null = null
  private lineNo = 0
  /** The line being assembled was cut: its text up to the next `\n` is skipped. */
  private cutting = false
  private readonly maxLine: number
  /** Characters cut from lines so far, and the lines cut. */
  cutChars = 0
  cutLines = 0

  constructor(
    readonly stream: 'stdout' | 'stderr',
    private readonly onLine: (line: ConsoleLine) => void,
    opts: {maxLine?: number} = {},
  ) {
    this.maxLine = opts.maxLine ?? maxLineBytes()
  }

  push(text: string, timestamp: number | null): void {
    let start = 0
    for (;;) {
      const nl = text.indexOf('\n', start)
      if (nl === -1) break
      const piece = text.slice(start, nl)
      const ts = this.pending.length > 0 || this.cutting ? this.pendingTimestamp : timestamp
      let whole: string
      if (this.cutting) {
        this.cutChars += piece.length
        whole = this.pending
      } else whole = this.bound(this.pending.length > 0 ? this.pending + piece : piece)
      this.pending = ''
      this.pendingTimestamp = null
      this.cutting = false
      this.emit(whole, ts)
      start = nl + 1
    }
    if (start < text.length) {
      const rest = start === 0 ? text : text.slice(start)
      if (this.cutting) {
        this.cutChars += rest.length
        return
      }
      if (this.pending.length === 0) this.pendingTimestamp = timestamp
      this.pending = this.bound(this.pending + rest)
    }
  }

  flush(): void {
    if (this.pending.length > 0) this.emit(this.pending, this.pendingTimestamp)
    this.pending = ''
    this.pendingTimestamp = null
    this.cutting = false
  }

  /** `line` within the line limit (see `boundLine`); a cut starts skipping the rest of the line. */
  private bound(line: string): string {
    const b = boundLine(line, this.maxLine)
    if (b.cut > 0) {
      this.cutChars += b.cut
      this.cutLines++
      this.cutting = true
    }
    return b.line
  }

  private emit(raw: string, timestamp: number | null): void {
    const text = applyCarriageReturns(raw.endsWith('\r') ? raw.slice(0, -1) : raw)
    this.onLine({stream: this.stream, lineNo: this.lineNo++, timestamp, text})
  }
}

export class ConsoleAssembler {
  private readonly streams: Record<'stdout' | 'stderr', StreamAssembler>

  constructor(onLine: (line: ConsoleLine) => void) {
    this.streams = {stdout: new StreamAssembler('stdout', onLine), stderr: new StreamAssembler('stderr', onLine)}
  }

  push(stream: 'stdout' | 'stderr', text: string, timestamp: number | null): void {
    this.streams[stream].push(text, timestamp)
  }

  flush(): void {
    this.streams.stdout.flush()
    this.streams.stderr.flush()
  }

  /** Lines cut at the line limit so far, and the characters cut from them. */
  get cut(): {lines: number; chars: number} {
    const {stdout, stderr} = this.streams
    return {lines: stdout.cutLines + stderr.cutLines, chars: stdout.cutChars + stderr.cutChars}
  }
}

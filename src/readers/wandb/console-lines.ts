/**
 * Reassembles the console from wandb's `output` / `output_raw` fragments: fragments of one stream are joined in order,
 * split on `\n`, and `\r` is applied the way a terminal would (the text after it overwrites the line from its start).
 */
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

/** Joins the fragments of one stream into lines; call `push` per fragment, then `flush` at the end. */
export class StreamAssembler {
  private pending = ''
  private pendingTimestamp: number | null = null
  private lineNo = 0

  constructor(
    readonly stream: 'stdout' | 'stderr',
    private readonly onLine: (line: ConsoleLine) => void,
  ) {}

  push(text: string, timestamp: number | null): void {
    let start = 0
    for (;;) {
      const nl = text.indexOf('\n', start)
      if (nl === -1) break
      const piece = text.slice(start, nl)
      const whole = this.pending.length > 0 ? this.pending + piece : piece
      const ts = this.pending.length > 0 ? this.pendingTimestamp : timestamp
      this.pending = ''
      this.pendingTimestamp = null
      this.emit(whole, ts)
      start = nl + 1
    }
    if (start < text.length) {
      if (this.pending.length === 0) this.pendingTimestamp = timestamp
      this.pending += start === 0 ? text : text.slice(start)
    }
  }

  flush(): void {
    if (this.pending.length > 0) this.emit(this.pending, this.pendingTimestamp)
    this.pending = ''
    this.pendingTimestamp = null
  }

  private emit(raw: string, timestamp: number | null): void {
    const text = applyCarriageReturns(raw.endsWith('\r') ? raw.slice(0, -1) : raw)
    this.onLine({stream: this.stream, lineNo: this.lineNo++, timestamp, text})
  }
}

/** Both console streams of a run. */
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
}

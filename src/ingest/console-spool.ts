import {closeSync, mkdtempSync, openSync, rmSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** Characters of console text held before they are written to the spool file. */
const FLUSH_CHARS = 1 << 20

/**
 * A followed run's console lines in a temporary file, so each redraw parses them as a trainer log (bounded memory).
 * Removed by `remove()` or when the process exits.
 */
export class ConsoleSpool {
  readonly path: string
  /** Lines appended since the last `reset()`. */
  lines = 0
  private readonly dir: string
  private fd: number
  private pending: string[] = []
  private pendingChars = 0
  private readonly removeOnExit = () => this.remove()

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'runlog-follow-'))
    this.path = join(this.dir, 'console.log')
    this.fd = openSync(this.path, 'w')
    process.once('exit', this.removeOnExit)
  }

  append(line: string): void {
    this.pending.push(line)
    this.pendingChars += line.length + 1
    this.lines++
    if (this.pendingChars >= FLUSH_CHARS) this.flush()
  }

  /** Writes the lines held so far to the file (before it is parsed). */
  flush(): void {
    if (this.pending.length === 0) return
    const data = Buffer.from(`${this.pending.join('\n')}\n`, 'utf8')
    this.pending = []
    this.pendingChars = 0
    for (let off = 0; off < data.length;) off += writeSync(this.fd, data, off)
  }

  /** Empties the file (the log is read again from the start). */
  reset(): void {
    closeSync(this.fd)
    this.fd = openSync(this.path, 'w')
    this.pending = []
    this.pendingChars = 0
    this.lines = 0
  }

  remove(): void {
    try {
      closeSync(this.fd)
    } catch {
      /* already closed */
    }
    rmSync(this.dir, {recursive: true, force: true})
    process.off('exit', this.removeOnExit)
  }
}

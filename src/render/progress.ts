import {terminalText} from './safe/terminal.js'
import {displayWidth, shorten} from './fit-table.js'

/** Where a progress bar draws (stderr; a fake one in tests). */
export interface ProgressStream {
  isTTY?: boolean
  columns?: number
  write(text: string): unknown
}

/**
 * Only on a terminal, never with --json, after a second of work. Kept to one line of the window: `\r` and erase-line
 * reach back only to the start of the last line a long one wrapped onto.
 */
export class ProgressBar {
  private readonly started: number
  private lastDraw = -Infinity
  private shown = false
  private readonly enabled: boolean
  private readonly stream: ProgressStream
  private readonly clock: () => number

  constructor(
    private readonly label: string,
    opts: {json?: boolean; stream?: ProgressStream; clock?: () => number} = {},
  ) {
    this.stream = opts.stream ?? process.stderr
    this.clock = opts.clock ?? Date.now
    this.started = this.clock()
    this.enabled = Boolean(this.stream.isTTY) && !opts.json
  }

  /** `done` of `total` items (runs). */
  update(done: number, total: number): void {
    if (total > 0) this.draw(done / total, `${done}/${total}`)
  }

  /** `read` of `size` bytes (one big run's log); once all is read, says what work follows (`then`). */
  bytes(read: number, size: number, then: string): void {
    if (size > 0) this.draw(read / size, `${megabytes(read)}/${megabytes(size)} MB${read >= size ? `, ${then}` : ''}`)
  }

  private draw(fraction: number, counter: string): void {
    const now = this.clock()
    if (!this.enabled || now - this.started < 1000 || (fraction < 1 && now - this.lastDraw < REDRAW_MS)) return
    this.lastDraw = now
    const room = this.stream.columns ? this.stream.columns - 1 : Infinity
    const width = Math.max(10, Math.min(30, room - displayWidth(`${this.label} [] ${counter}`)))
    const filled = Math.max(0, Math.min(width, Math.round(width * fraction)))
    const rest = ` [${'█'.repeat(filled)}${' '.repeat(width - filled)}] ${counter}`
    const label = shorten(terminalText(this.label), Math.max(1, room - displayWidth(rest)), 'text')
    const line = displayWidth(label + rest) <= room ? label + rest : shorten(`${label}${rest}`, room, 'text')
    this.stream.write(`\r${line}\x1b[K`)
    this.shown = true
  }

  done(): void {
    if (this.shown) this.stream.write('\r\x1b[K')
  }
}

/** Redraws at most this often: a big run reports progress for every MiB read. */
const REDRAW_MS = 100

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0)
}

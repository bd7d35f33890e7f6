/**
 * A progress bar on stderr for long work: shown only when stderr is a terminal, never with --json, and only once the
 * work has taken more than a second. Cleared when done.
 */
export class ProgressBar {
  private readonly started = Date.now()
  private shown = false
  private readonly enabled: boolean

  constructor(
    private readonly label: string,
    opts: {json?: boolean} = {},
  ) {
    this.enabled = Boolean(process.stderr.isTTY) && !opts.json
  }

  update(done: number, total: number): void {
    if (!this.enabled || Date.now() - this.started < 1000 || total <= 0) return
    const width = 30
    const filled = Math.round((width * done) / total)
    process.stderr.write(`\r${this.label} [${'█'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`)
    this.shown = true
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K')
  }
}

import {closeSync, openSync, writeSync} from 'node:fs'
import {InputError} from '../errors.js'

/** Buffered synchronous writer to a file or stdout, so streaming output keeps memory bounded. */
export class OutputSink {
  private readonly fd: number
  private readonly owned: boolean
  /** What the output is called in an error: the file, or `stdout`. */
  private readonly target: string
  private buffer: string[] = []
  private size = 0

  constructor(file?: string) {
    this.target = file && file !== '-' ? file : 'stdout'
    if (file && file !== '-') {
      try {
        this.fd = openSync(file, 'w')
      } catch (error) {
        throw new InputError(file, `cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
      }
      this.owned = true
    } else {
      this.fd = 1
      this.owned = false
    }
  }

  write(text: string): void {
    this.buffer.push(text)
    this.size += text.length
    if (this.size >= 1 << 20) this.flush()
  }

  flush(): void {
    if (this.size === 0) return
    const data = Buffer.from(this.buffer.join(''), 'utf8')
    this.buffer = []
    this.size = 0
    let off = 0
    while (off < data.length) {
      try {
        off += writeSync(this.fd, data, off)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue
        // Named, so the one-line error says which output could not be written (a full disk, a closed pipe).
        ;(error as NodeJS.ErrnoException).path ??= this.target
        throw error
      }
    }
  }

  close(): void {
    this.flush()
    if (this.owned) closeSync(this.fd)
  }
}

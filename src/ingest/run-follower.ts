import {closeSync, openSync, readSync, statSync} from 'node:fs'
import {type RunReader, createRunReader, type RunData} from '../readers/run/read-run.js'
import {type RunLocation, locateRun} from '../readers/run/locate-run.js'
import {checkRegularFile} from '../readers/input-file.js'
import {ConsoleSpool} from './console-spool.js'

/** Bytes from the start of the log that must stay the same between updates (a log is only ever appended to). */
const PREFIX_BYTES = 4096

/** What the follower knows of the file it read, to tell a grown log from a replaced or truncated one. */
interface LogIdentity {
  dev: number
  ino: number
  /** The log's first bytes (up to `PREFIX_BYTES`) as first read: its header and first records (the run id's too). */
  prefix: Buffer
}

/**
 * Console lines are spooled to a file so each snapshot re-parses them in bounded memory. A replaced or truncated log
 * is read again from the start (`onRestart`): two runs are never mixed.
 */
export class RunFollower {
  private location!: RunLocation
  private reader!: RunReader
  private readonly console = new ConsoleSpool()
  private identity: LogIdentity | null = null
  /** The log's size when it was last read. */
  private size = 0
  /** The log was gone at the last update. */
  private missing = false

  constructor(
    readonly path: string,
    private readonly onRestart: (logFile: string, why: string) => void = () => {},
  ) {
    const location = locateRun(path)
    // A FIFO or device named `.wandb` is never opened: reading its first bytes would block for good.
    checkRegularFile(location.logFile, 'wandb log')
    this.start(location)
  }

  private start(location: RunLocation): void {
    this.location = location
    this.console.reset()
    this.identity = null
    this.size = 0
    const spool = this.console
    this.reader = createRunReader(location, {
      tables: ['history', 'summary', 'media'],
      onConsoleLine: (line) => spool.append(line.text),
    })
  }

  /** Reads what the log gained (all of it again when it was replaced or truncated); returns the number of new bytes. */
  update(): number {
    const changed = this.change()
    if (changed === 'missing') return 0
    if (changed) {
      this.onRestart(changed.logFile, changed.why)
      this.start(changed.location)
    }
    // Taken before the bytes are read: a file replaced meanwhile then differs from it at the next update.
    if (!this.identity || this.identity.prefix.length < PREFIX_BYTES) this.identity = identify(this.location.logFile)
    this.size = statSync(this.location.logFile, {throwIfNoEntry: false})?.size ?? 0
    const n = this.reader.update()
    this.console.flush()
    return n
  }

  /** Why the log must be read again from the start, if it must. */
  private change(): {logFile: string; why: string; location: RunLocation} | 'missing' | null {
    const logFile = this.location.logFile
    const st = statSync(logFile, {throwIfNoEntry: false})
    if (!st) {
      // The run directory may now hold another `.wandb` (the run restarted, or the folder was copied over); or none
      // for a moment (`rm` then `cp`): nothing is read until one is there.
      const location = this.locateAgain()
      if (!location) return 'missing'
      this.missing = false
      return {logFile, why: `the log was removed; reading ${location.logFile} from the start`, location}
    }
    if (this.missing) {
      this.missing = false
      return {logFile, why: 'the log is back; reading it again from the start', location: this.location}
    }
    if (!this.identity) return null
    const again = {logFile, location: this.location}
    let why: string | null = null
    if (st.dev !== this.identity.dev || st.ino !== this.identity.ino) why = 'the log was replaced by another file'
    else if (st.size < this.size) why = `the log shrank from ${this.size} to ${st.size} bytes`
    else if (!readPrefix(logFile, this.identity.prefix.length).equals(this.identity.prefix))
      why = 'the log now starts with other records (another run?)'
    return why ? {...again, why: `${why}; reading it again from the start`} : null
  }

  /** The run as read so far, and the file of its complete console lines (a trainer log, `\n`-separated). */
  /** The run's log as `path` now names it, or null (once said through `onRestart`) when there is none. */
  private locateAgain(): RunLocation | null {
    try {
      const location = locateRun(this.path)
      if (statSync(location.logFile, {throwIfNoEntry: false})) return location
    } catch {
      /* no log there for now */
    }
    if (!this.missing) this.onRestart(this.location.logFile, 'the log is gone; waiting for it to come back')
    this.missing = true
    return null
  }

  snapshot(): {data: RunData; consoleFile: string; consoleLines: number} {
    return {data: this.reader.data(), consoleFile: this.console.path, consoleLines: this.console.lines}
  }

  /** Removes the console's temporary file. */
  close(): void {
    this.console.remove()
  }
}

function identify(logFile: string): LogIdentity | null {
  const st = statSync(logFile, {throwIfNoEntry: false})
  return st ? {dev: st.dev, ino: st.ino, prefix: readPrefix(logFile, PREFIX_BYTES)} : null
}

function readPrefix(logFile: string, bytes: number): Buffer {
  // Put in the log's place, a FIFO is not opened (it would block): no bytes, so the log reads as changed.
  if (!statSync(logFile, {throwIfNoEntry: false})?.isFile()) return Buffer.alloc(0)
  const buf = Buffer.alloc(bytes)
  const fd = openSync(logFile, 'r')
  try {
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0))
  } finally {
    closeSync(fd)
  }
}

import {closeSync, fstatSync, openSync, readSync} from 'node:fs'
import {RUNNING_WINDOW_MS} from '../run/run-state.js'
import type {RunEnd} from './types.js'

/** Bytes at the end of a log searched for the newest printed date. */
const TAIL_BYTES = 64 * 1024
/**
 * A printed date this much older than now means the log is a copy of a dead run, whatever its mtime (a fresh `git
 * clone` or `cp` gives an old log a new one). Printed times are local to an unknown time zone: hence more than a day.
 */
const STALE_PRINTED_MS = 26 * 60 * 60 * 1000
/** A date printed only near the start (none near the end) this old means a dead run too: no run lasts a month. */
const STALE_START_MS = 30 * 24 * 60 * 60 * 1000
const DATE = /(\d{4})-(\d\d)-(\d\d)[ T_](\d\d):(\d\d):(\d\d)/g

export type StdoutLogState = 'finished' | 'failed' | 'running' | 'crashed'

/**
 * A trainer log's state: what its text says (`end`: finished or failed), else `running` when the file changed in the
 * last 5 minutes (and the newest date printed near its end is not more than a day old, or, with none there, the date
 * printed near its start not more than a month), else `crashed`.
 */
export function stdoutLogState(path: string, end: RunEnd, nowMs = Date.now()): StdoutLogState {
  if (end.state !== null) return end.state
  let fd: number | null = null
  try {
    fd = openSync(path, 'r')
    const {mtimeMs, size} = fstatSync(fd)
    if (nowMs - mtimeMs > RUNNING_WINDOW_MS) return 'crashed'
    const len = Math.min(TAIL_BYTES, size)
    const buf = Buffer.alloc(len)
    readSync(fd, buf, 0, len, size - len)
    const newest = newestDate(buf.toString('latin1'))
    if (newest !== null) return nowMs - newest > STALE_PRINTED_MS ? 'crashed' : 'running'
    readSync(fd, buf, 0, len, 0)
    const start = newestDate(buf.toString('latin1'))
    return start !== null && nowMs - start > STALE_START_MS ? 'crashed' : 'running'
  } catch {
    return 'crashed'
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

/** The newest `YYYY-MM-DD HH:MM:SS` in `text`, read as UTC (ms); null when there is none. */
function newestDate(text: string): number | null {
  let newest: number | null = null
  DATE.lastIndex = 0
  for (let m = DATE.exec(text); m; m = DATE.exec(text)) {
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
    if (!Number.isNaN(t) && (newest === null || t > newest)) newest = t
  }
  return newest
}

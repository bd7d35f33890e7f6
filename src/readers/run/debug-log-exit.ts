import {closeSync, constants, fstatSync, openSync, readSync} from 'node:fs'
import {join} from 'node:path'

/** Bytes read at a time: the log of a long run can be hundreds of MB, and is never held whole. */
const CHUNK_BYTES = 1 << 20
/** Text kept from the end of one chunk for the next, so that a message cut by a chunk boundary is still found. */
const OVERLAP = 256

const EXIT_CODE = /"exit_code":\s*(-?\d+)/g

/**
 * The exit code wandb-core wrote into `logs/debug-internal.log` (`"exit_code":1` in its last filestream message),
 * for runs whose `.wandb` has no exit record although the process did report one; null when it says nothing.
 */
export function exitCodeFromDebugLog(dir: string | null): number | null {
  if (!dir) return null
  let fd: number
  try {
    // Non-blocking: opening a FIFO in its place must not wait for a writer.
    fd = openSync(join(dir, 'logs', 'debug-internal.log'), constants.O_RDONLY | constants.O_NONBLOCK)
  } catch {
    return null
  }
  let code: number | null = null
  try {
    if (!fstatSync(fd).isFile()) return null
    const buf = Buffer.allocUnsafe(CHUNK_BYTES)
    let carry = ''
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null)
      if (n <= 0) break
      // Latin-1: one character per byte, and the message is ASCII; a match found again in the overlap is the same one.
      const text = carry + buf.toString('latin1', 0, n)
      for (const m of text.matchAll(EXIT_CODE)) code = Number(m[1])
      carry = text.slice(-OVERLAP)
    }
  } catch {
    // An unreadable log says nothing.
  } finally {
    closeSync(fd)
  }
  return code
}

import {type Stats, readFileSync, statSync} from 'node:fs'
import {InputError} from '../errors.js'

/** Never opened: reading a FIFO blocks until something writes to it, and a device may never end. */
export function specialKind(st: Stats): string | null {
  if (st.isFIFO()) return 'a FIFO (named pipe)'
  if (st.isSocket()) return 'a socket'
  if (st.isCharacterDevice()) return 'a character device'
  if (st.isBlockDevice()) return 'a block device'
  return null
}

/** `specialKind` of what `path` names (links followed), or null when it is something else or cannot be stat'ed. */
export function specialFileKind(path: string): string | null {
  try {
    return specialKind(statSync(path))
  } catch {
    return null
  }
}

/** Stats `path` (following links) and throws an InputError naming it unless it is a regular file; nothing is opened. */
export function checkRegularFile(path: string, what = 'file'): Stats {
  let st: Stats
  try {
    st = statSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const problem = code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code ?? String(error)})`
    throw new InputError(path, problem)
  }
  const special = specialKind(st)
  if (special) throw new InputError(path, `${special}, not a ${what} (never opened)`)
  if (st.isDirectory()) throw new InputError(path, `a directory, not a ${what}`)
  return st
}

/** Null when missing or unreadable; a FIFO, socket or device is not opened (a warning says so). */
export function readOptionalText(path: string, warnings?: string[]): string | null {
  let st: Stats
  try {
    st = statSync(path)
  } catch {
    return null
  }
  const special = specialKind(st)
  if (special || !st.isFile()) {
    const what = special ?? (st.isDirectory() ? 'a directory' : 'not a regular file')
    warnings?.push(`${path}: ${what}, not a file (skipped${special ? ', never opened' : ''})`)
    return null
  }
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    warnings?.push(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)}), skipped`)
    return null
  }
}

export function isEmptyFile(path: string): boolean {
  try {
    const st = statSync(path)
    return st.isFile() && st.size === 0
  } catch {
    return false
  }
}

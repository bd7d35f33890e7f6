import {readdirSync, statSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {InputError} from '../wandb/errors.js'

/** Where a run's files are: its `.wandb` log and, when it sits in a run directory, that directory. */
export interface RunLocation {
  /** The run directory (holds `files/`), or null for a bare `.wandb` file outside one. */
  dir: string | null
  /** The `.wandb` transaction log. */
  logFile: string
}

/** Resolves a RUN argument (a run directory, or a `.wandb` file) to its files; throws InputError when it is neither. */
export function locateRun(path: string): RunLocation {
  const abs = resolve(path)
  let st
  try {
    st = statSync(abs)
  } catch {
    throw new InputError(path, 'no such file or directory')
  }
  if (st.isFile()) {
    const parent = dirname(abs)
    return {dir: looksLikeRunDir(parent) ? parent : null, logFile: abs}
  }
  if (!st.isDirectory()) throw new InputError(path, 'not a file or directory')
  const log = findLogIn(abs)
  if (log) return {dir: abs, logFile: log}
  // A `wandb/` folder: use its latest run.
  const latest = join(abs, 'latest-run')
  const latestLog = safeIsDir(latest) ? findLogIn(latest) : null
  if (latestLog) return {dir: resolve(latest), logFile: latestLog}
  throw new InputError(path, 'no .wandb log in this directory (expected run-<id>.wandb)')
}

/** The `run-<id>.wandb` file of a run directory, or null. */
export function findLogIn(dir: string): string | null {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return null
  }
  const logs = names.filter((n) => n.endsWith('.wandb')).sort()
  if (logs.length === 0) return null
  const preferred = logs.find((n) => n.startsWith('run-')) ?? logs[0]
  return join(dir, preferred)
}

function safeIsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

/** A run directory holds a `.wandb` log, or is named like one (`run-…` / `offline-run-…`). */
export function looksLikeRunDir(dir: string): boolean {
  return /^(offline-)?run-\d{8}_\d{6}-/.test(basename(dir)) || safeIsDir(join(dir, 'files'))
}

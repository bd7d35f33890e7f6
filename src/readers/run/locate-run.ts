import {type Dirent, type Stats, readdirSync, statSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {InputError} from '../../errors.js'
import {specialKind} from '../input-file.js'

/** Where a run's files are: its `.wandb` log and, when it sits in a run directory, that directory. */
export interface RunLocation {
  /** The run directory (holds `files/`), or null for a bare `.wandb` file outside one. */
  dir: string | null
  /** The `.wandb` transaction log. */
  logFile: string
  /** How the log was chosen when the directory holds several `.wandb` entries (added to the run's warnings). */
  warnings?: string[]
}

/** Resolves a RUN argument (a run directory, or a `.wandb` file) to its files; throws InputError when it is neither. */
export function locateRun(path: string): RunLocation {
  const abs = resolve(path)
  let st
  try {
    st = statSync(abs)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError(path, code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code})`)
  }
  const special = specialKind(st)
  if (special) throw new InputError(path, `${special}, not a run directory or .wandb file (never opened)`)
  if (st.isFile()) {
    const parent = dirname(abs)
    return {dir: looksLikeRunDir(parent) ? parent : null, logFile: abs}
  }
  if (!st.isDirectory()) throw new InputError(path, 'not a file or directory')
  const found = chooseLog(abs)
  if (found.unreadable) throw new InputError(path, `cannot read this directory (${found.unreadable})`)
  if (found.log) return {dir: abs, logFile: found.log, warnings: found.warnings}
  // A `wandb/` folder: use its latest run.
  const latest = join(abs, 'latest-run')
  const latestLog = safeIsDir(latest) ? chooseLog(latest) : null
  if (latestLog?.log) return {dir: resolve(latest), logFile: latestLog.log, warnings: latestLog.warnings}
  throw new InputError(path, 'no .wandb log in this directory (expected run-<id>.wandb)')
}

export function findLogIn(dir: string): string | null {
  return chooseLog(dir).log
}

export interface LogChoice {
  /** The chosen log, or null when the directory holds no `.wandb` entry. */
  log: string | null
  /** The entries not chosen, and why the chosen one was. */
  warnings: string[]
  /** The error code when the directory itself cannot be listed. */
  unreadable?: string
}

/**
 * A non-regular `.wandb` is chosen only when nothing else is there (reading it then says what it is). Of several
 * logs, the one named after the folder's run id wins, else the largest; a warning names them all.
 */
export function chooseLog(dir: string): LogChoice {
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, {withFileTypes: true})
  } catch (error) {
    return {log: null, warnings: [], unreadable: (error as NodeJS.ErrnoException).code ?? String(error)}
  }
  const names = entries
    .filter((e) => e.name.endsWith('.wandb'))
    .map((e) => e.name)
    .sort()
  if (names.length === 0) return {log: null, warnings: []}
  const files: Array<{name: string; size: number}> = []
  const warnings: string[] = []
  for (const name of names) {
    const st = statOrNull(join(dir, name))
    if (st?.isFile()) files.push({name, size: st.size})
    else if (names.length > 1) {
      const what = (st && specialKind(st)) ?? (st?.isDirectory() ? 'a directory' : 'not a file')
      warnings.push(`${join(dir, name)}: ${what}, skipped (never opened)`)
    }
  }
  if (files.length === 0) return {log: join(dir, names[0]), warnings: []}
  if (files.length === 1) return {log: join(dir, files[0].name), warnings}
  const ownName = `run-${/-([^-]+)$/.exec(basename(dir))?.[1]}.wandb`
  const own = files.find((f) => f.name === ownName)
  const chosen = own ?? files.reduce((a, b) => (b.size > a.size ? b : a))
  const why = own ? "named after the folder's run id" : 'the largest'
  const all = files.map((f) => f.name).join(', ')
  warnings.push(`${dir}: ${files.length} .wandb logs (${all}): reading ${chosen.name} (${why})`)
  return {log: join(dir, chosen.name), warnings}
}

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p)
  } catch {
    return null
  }
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

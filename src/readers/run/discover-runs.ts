import {type Dirent, readdirSync, realpathSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {InputError} from '../../errors.js'

const RUN_DIR = /^(offline-)?run-\d{8}_\d{6}-[^/]+$/
/** How deep below a DIR runlog looks for run directories. */
const MAX_DEPTH = 6
const SKIP = new Set(['node_modules', '.git', 'files', 'logs', 'tmp', '__pycache__'])

/**
 * Unlistable `offline-run-*` / `run-*` folders count too, so reading them says why. Symlinks are followed after the
 * real folders, each run once by real path (a `latest-run` link adds nothing; a cycle is walked once).
 */
export function discoverRuns(dir: string): string[] {
  const root = resolve(dir)
  let st
  try {
    st = statSync(root)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError(dir, code === 'ENOENT' ? 'no such directory' : `cannot read (${code})`)
  }
  if (!st.isDirectory()) throw new InputError(dir, 'not a directory')
  const rootEntries = list(root)
  if (rootEntries === null) throw new InputError(dir, 'cannot read this directory')
  // A folder holding a log is a run, and is walked too: a stray `notes.wandb` in a sweep folder must not hide the
  // runs below it (a real run folder has nothing to find beyond its skipped `files/` and `logs/`).
  const found: string[] = holdsLog(rootEntries) ? [root] : []
  const seen = new Set<string>([realpathOrSelf(root)])
  // Symlinked folders wait until every real folder is walked, so a run is listed under its real name.
  let linked: Array<{path: string; depth: number}> = []
  const visit = (p: string, name: string, depth: number) => {
    const real = realpathOrSelf(p)
    if (seen.has(real)) return
    seen.add(real)
    const entries = list(p)
    if (entries === null) {
      if (RUN_DIR.test(name)) found.push(p)
    } else {
      if (holdsLog(entries)) found.push(p)
      if (depth < MAX_DEPTH) walk(p, entries, depth + 1)
    }
  }
  const walk = (d: string, entries: Dirent[], depth: number) => {
    for (const e of entries) {
      if (SKIP.has(e.name)) continue
      const p = join(d, e.name)
      if (e.isDirectory()) visit(p, e.name, depth)
      else if (e.isSymbolicLink() && isDir(p)) linked.push({path: p, depth})
    }
  }
  walk(root, rootEntries, 0)
  while (linked.length > 0) {
    const batch = linked
    linked = []
    for (const {path, depth} of batch) visit(path, path.slice(path.lastIndexOf('/') + 1), depth)
  }
  return found
}

function list(dir: string): Dirent[] | null {
  try {
    return readdirSync(dir, {withFileTypes: true})
  } catch {
    return null
  }
}

function holdsLog(entries: Dirent[]): boolean {
  return entries.some((e) => e.name.endsWith('.wandb'))
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return p
  }
}

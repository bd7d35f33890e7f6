import {readdirSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {InputError} from '../wandb/errors.js'
import {findLogIn} from './locate-run.js'

const RUN_DIR = /^(offline-)?run-\d{8}_\d{6}-[^/]+$/
/** How deep below a DIR runlog looks for run directories. */
const MAX_DEPTH = 6
const SKIP = new Set(['node_modules', '.git', 'files', 'logs', 'tmp', '__pycache__'])

/**
 * Every run directory (`offline-run-*`, `run-*`, any folder named `…run-…` holding a `.wandb` log) at or below `dir`, each once
 * (`latest-run` links are not followed twice). Throws InputError when `dir` does not exist.
 */
export function discoverRuns(dir: string): string[] {
  const root = resolve(dir)
  try {
    if (!statSync(root).isDirectory()) throw new InputError(dir, 'not a directory')
  } catch (error) {
    if (error instanceof InputError) throw error
    throw new InputError(dir, 'no such directory')
  }
  const found: string[] = []
  const walk = (d: string, depth: number) => {
    let entries
    try {
      entries = readdirSync(d, {withFileTypes: true})
    } catch {
      return
    }
    for (const e of entries) {
      if (!e.isDirectory() || SKIP.has(e.name) || e.name === 'latest-run') continue
      const p = join(d, e.name)
      if ((RUN_DIR.test(e.name) || e.name.includes('run-')) && findLogIn(p)) found.push(p)
      else if (depth < MAX_DEPTH) walk(p, depth + 1)
    }
  }
  if (findLogIn(root)) return [root]
  walk(root, 0)
  return found
}

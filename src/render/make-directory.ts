import {mkdirSync, statSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

/**
 * `mkdir -p`, one level at a time from the nearest folder that exists. Node's recursive mkdirSync spins for ever under
 * /proc (every level answers ENOENT), so each missing level is made on its own and its own error surfaces.
 */
export function makeDirectory(path: string): void {
  const missing: string[] = []
  let at = resolve(path)
  for (;;) {
    const st = statSync(at, {throwIfNoEntry: false})
    if (st) {
      if (!st.isDirectory()) throw Object.assign(new Error(`${at}: not a directory`), {code: 'ENOTDIR'})
      break
    }
    missing.push(at)
    const parent = dirname(at)
    if (parent === at) break
    at = parent
  }
  for (const dir of missing.reverse()) mkdirSync(dir)
}

import {existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {specialKind} from '../readers/input-file.js'
import {InputError} from '../errors.js'
import {makeDirectory} from '../render/make-directory.js'
import {join} from 'node:path'

/** The file in an export folder that lists the files runlog wrote there (paths relative to the folder). */
export const EXPORT_MANIFEST = '.runlog-export.json'

/**
 * Files an earlier export wrote for these runs (per the manifest) are removed first; a file runlog did not write is
 * never removed or overwritten (a new part takes the next free name).
 */
export function placeExportedParts(root: string, staging: string): string[] {
  const manifestPath = join(root, EXPORT_MANIFEST)
  const st = statSync(manifestPath, {throwIfNoEntry: false})
  // A FIFO there would block reading and writing it for good; a directory cannot be written: both are refused.
  if (st && !st.isFile()) {
    const what = specialKind(st) ?? (st.isDirectory() ? 'a directory' : 'not a regular file')
    throw new InputError(manifestPath, `${what}, not runlog's list of exported files (never opened)`)
  }
  const written = new Set(readManifest(manifestPath))
  const parts = listParts(staging)
  // Every exported run has a row in `runs`, so its partition there names all the runs of this export.
  const runs = new Set(parts.filter((p) => p.table === 'table=runs').map((p) => p.run))
  for (const path of [...written]) {
    const [, run] = path.split('/')
    if (!runs.has(run)) continue
    rmSync(join(root, path), {force: true})
    written.delete(path)
  }
  const placed: string[] = []
  for (const p of parts) {
    const dir = join(root, p.table, p.run)
    makeDirectory(dir)
    const name = freeName(dir, p.file)
    renameSync(join(staging, p.table, p.run, p.file), join(dir, name))
    const rel = `${p.table}/${p.run}/${name}`
    written.add(rel)
    placed.push(rel)
  }
  writeFileSync(manifestPath, `${JSON.stringify({files: [...written].sort()}, null, 1)}\n`)
  return placed
}

function listParts(staging: string): Array<{table: string; run: string; file: string}> {
  const out: Array<{table: string; run: string; file: string}> = []
  for (const table of readdirSync(staging).sort())
    for (const run of readdirSync(join(staging, table)).sort())
      for (const file of readdirSync(join(staging, table, run)).sort()) out.push({table, run, file})
  return out
}

function freeName(dir: string, file: string): string {
  if (!existsSync(join(dir, file))) return file
  for (let n = 0; ; n++) if (!existsSync(join(dir, `part-${n}.parquet`))) return `part-${n}.parquet`
}

/** `table=<t>/run=<r>/<name>.parquet`: the only paths runlog writes. */
const PART_PATH = /^table=[^/]+\/run=[^/]+\/[^/]+\.parquet$/

function readManifest(path: string): string[] {
  if (!existsSync(path)) return []
  try {
    const files = (JSON.parse(readFileSync(path, 'utf8')) as {files?: unknown}).files
    // Only paths of the shape runlog writes: a damaged or hand-edited manifest cannot point outside the folder.
    if (!Array.isArray(files)) return []
    return files.filter((f): f is string => typeof f === 'string' && PART_PATH.test(f) && !f.includes('..'))
  } catch {
    return []
  }
}

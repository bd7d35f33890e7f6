import {realpathSync, statSync} from 'node:fs'
import {discoverRuns} from '../readers/run/discover-runs.js'
import type {RunOverview} from '../readers/run/read-run.js'
import {describeError} from '../errors.js'
import {readOverviews} from './parallel-overviews.js'
import type {RunError} from './run-errors.js'

export type {RunError} from './run-errors.js'

export interface RunListing {
  runs: RunOverview[]
  /** Runs (and DIR arguments) that could not be read at all, in the order found. */
  errors: RunError[]
  warnings: string[]
  /** How each run's log was chosen among several `.wandb` entries (worth telling in a listing). */
  notices: string[]
}

/** Newest first. A folder or run that cannot be read is an entry of `errors`; the others are read all the same. */
export async function listRuns(
  dirs: string[],
  onProgress?: (done: number, total: number) => void,
): Promise<RunListing> {
  const runs: RunOverview[] = []
  const errors: RunError[] = []
  const warnings: string[] = []
  const notices: string[] = []
  // By real path: a run reached from two DIR arguments (one through a link) is listed once.
  const found = new Map<string, string>()
  for (const dir of dirs) {
    try {
      for (const runDir of discoverRuns(dir)) if (!found.has(realPath(runDir))) found.set(realPath(runDir), runDir)
    } catch (error) {
      errors.push({dir, error: describeError(dir, error)})
    }
  }
  for (const r of await readOverviews([...found.values()], onProgress)) {
    if (r.error !== undefined) errors.push({dir: r.dir, error: r.error})
    else {
      runs.push(r.overview)
      warnings.push(...r.warnings)
      notices.push(...r.notices)
    }
  }
  runs.sort((a, b) => startKey(b) - startKey(a) || a.dir.localeCompare(b.dir))
  return {runs, errors, warnings, notices}
}

function realPath(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return p
  }
}

function startKey(r: RunOverview): number {
  if (r.started_at) return Date.parse(r.started_at)
  try {
    return statSync(r.dir).mtimeMs
  } catch {
    return 0
  }
}

import {statSync} from 'node:fs'
import {discoverRuns} from '../readers/run/discover-runs.js'
import type {RunOverview} from '../readers/run/read-run.js'
import {readOverviews} from './parallel-overviews.js'

export interface RunListing {
  runs: RunOverview[]
  /** Runs that could not be read at all, with the reason (each also a warning). */
  errors: string[]
  warnings: string[]
}

/**
 * Reads the overview of every run directory below the given folders (on all cores when there is much to read),
 * newest first.
 */
export async function listRuns(dirs: string[], onProgress?: (done: number, total: number) => void): Promise<RunListing> {
  const runs: RunOverview[] = []
  const errors: string[] = []
  const warnings: string[] = []
  const found = new Set<string>()
  for (const dir of dirs) for (const runDir of discoverRuns(dir)) found.add(runDir)
  for (const r of await readOverviews([...found], onProgress)) {
    if (r.error !== undefined) errors.push(r.error)
    else {
      runs.push(r.overview)
      warnings.push(...r.warnings)
    }
  }
  runs.sort((a, b) => startKey(b) - startKey(a) || a.dir.localeCompare(b.dir))
  return {runs, errors, warnings}
}

function startKey(r: RunOverview): number {
  if (r.started_at) return Date.parse(r.started_at)
  try {
    return statSync(r.dir).mtimeMs
  } catch {
    return 0
  }
}

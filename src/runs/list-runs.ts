import {statSync} from 'node:fs'
import {discoverRuns} from '../readers/run/discover-runs.js'
import {type RunOverview, readRun} from '../readers/run/read-run.js'
import {InputError} from '../readers/wandb/errors.js'

export interface RunListing {
  runs: RunOverview[]
  /** Runs that could not be read at all, with the reason (each also a warning). */
  errors: string[]
  warnings: string[]
}

/** Reads the overview of every run directory below the given folders, newest first. */
export function listRuns(dirs: string[]): RunListing {
  const runs: RunOverview[] = []
  const errors: string[] = []
  const warnings: string[] = []
  const seen = new Set<string>()
  for (const dir of dirs) {
    for (const runDir of discoverRuns(dir)) {
      if (seen.has(runDir)) continue
      seen.add(runDir)
      try {
        const data = readRun(runDir, {tables: ['runs']})
        runs.push(data.overview)
        warnings.push(...data.warnings)
      } catch (error) {
        if (error instanceof InputError) errors.push(error.message)
        else throw error
      }
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

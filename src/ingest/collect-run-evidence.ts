import type {CollectedEvidence} from './evidence-types.js'
import type {RunFollower} from './run-follower.js'
import {startRunEvidence} from './start-run-evidence.js'

/** Reads one run and its optional stdout log into Arrow tables, every table whole (`early` parts first). */
export async function collectRunEvidence(
  runPath: string,
  stdoutPath?: string,
  follower?: RunFollower,
): Promise<CollectedEvidence> {
  const started = await startRunEvidence(runPath, {stdout: stdoutPath, follower})
  const early = Object.entries(started.early).map(([name, parts]) => [name, [...parts]] as const)
  const ev = await started.rest()
  for (const [name, parts] of early) ev.tables[name] = [...parts, ...(ev.tables[name] ?? [])]
  return ev
}

import type {RunDatabase} from '../engine/run-database.js'
import {RunTableLoader} from '../engine/run-table-loader.js'
import type {CollectedEvidence, RunEvidence} from './evidence-types.js'
import {stageTables} from './stage-tables.js'
import {uniqueRunId} from './unique-run-id.js'

/** Appends collected evidence to the database's tables, tagged with a run id unique among `takenIds`. */
export async function appendRunEvidence(
  db: RunDatabase,
  ev: CollectedEvidence,
  takenIds: ReadonlySet<string> = new Set(),
): Promise<RunEvidence> {
  const runId = uniqueRunId(ev.runId, takenIds)
  await stageTables(new RunTableLoader(db, runId), ev.tables, true)
  return {runId, info: ev.info, warnings: ev.warnings, damage: ev.damage, consoleLines: ev.consoleLines}
}

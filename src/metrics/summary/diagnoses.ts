import type {RunDatabase} from '../../engine/run-database.js'
import {diagnosisSql} from '../metric-sql.js'
import type {Diagnosis, DiagnosisOptions} from '../types.js'
import {byRun, num} from './run-rows.js'

/** The diagnosis of each run: alerts first, then by kind, split, dataset and step. */
export async function diagnoses(
  db: RunDatabase,
  runIds: readonly string[],
  opts: DiagnosisOptions,
): Promise<Map<string, Diagnosis[]>> {
  const order = "run_id, severity <> 'alert', kind, split NULLS FIRST, from_step NULLS FIRST, source NULLS FIRST"
  const rows = await byRun(db, runIds, diagnosisSql(opts), order)
  const out = new Map<string, Diagnosis[]>()
  for (const [id, list] of rows)
    out.set(
      id,
      list.map((r) => ({
        kind: r.kind as Diagnosis['kind'],
        severity: r.severity as Diagnosis['severity'],
        split: (r.split ?? null) as Diagnosis['split'],
        source: r.source === null || r.source === undefined ? null : String(r.source as string),
        from_step: num(r.from_step),
        to_step: num(r.to_step),
        value: num(r.value),
        threshold: num(r.threshold),
        message: String(r.message),
      })),
    )
  return out
}

import type {RunDatabase} from '../../engine/run-database.js'
import {querySql} from '../metric-sql.js'
import type {StepMetric} from '../types.js'
import {byRun} from './run-rows.js'

/** Every per-step metric each run logged (`trainer_metrics`), most telling first (`metric-order.sql`), then by key. */
export async function stepMetrics(db: RunDatabase, runIds: readonly string[]): Promise<Map<string, StepMetric[]>> {
  const rows = await byRun(db, runIds, 'SELECT * FROM trainer_metrics', `run_id, ${querySql('metric-order')}, key`)
  const out = new Map<string, StepMetric[]>()
  for (const [id, list] of rows) {
    out.set(
      id,
      list.map((r) => ({
        key: String(r.key),
        origin: String(r.origin),
        points: Number(r.points),
        first_step: Number(r.first_step),
        last_step: Number(r.last_step),
        first: Number(r.first),
        last: Number(r.last),
        min: Number(r.min),
        max: Number(r.max),
      })),
    )
  }
  return out
}

import type {Row, RunDatabase} from '../../engine/run-database.js'
import {querySql} from '../metric-sql.js'
import type {Check} from '../types.js'
import {byRun} from './run-rows.js'

/** A run's checks (by step, then metric), and apart the logged counters that count API calls, not samples. */
export interface ChecksOfRun {
  checks: Check[]
  apiCallCounters: Row[]
}

export async function runChecks(db: RunDatabase, runIds: readonly string[]): Promise<Map<string, ChecksOfRun>> {
  const [data, counters] = await Promise.all([
    byRun(db, runIds, querySql('dataset-checks')),
    byRun(db, runIds, querySql('counter-checks')),
  ])
  const out = new Map<string, ChecksOfRun>()
  for (const id of runIds) {
    const runCounters = counters.get(id) ?? []
    const all = [...(data.get(id) ?? []), ...runCounters.filter((c) => !c.counts_api_calls)]
      .map((r) => ({
        metric: String(r.metric),
        step: Number(r.step),
        logged: Number(r.logged),
        recomputed: Number(r.recomputed),
      }))
      .sort((a, b) => a.step - b.step || a.metric.localeCompare(b.metric))
    out.set(id, {checks: all, apiCallCounters: runCounters.filter((c) => c.counts_api_calls)})
  }
  return out
}

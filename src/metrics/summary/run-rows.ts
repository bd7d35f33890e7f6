import type {Row, RunDatabase} from '../../engine/run-database.js'
import {quoteLiteral} from '../../engine/sql-text.js'

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

export function numbers<K extends string>(r: Row, keys: readonly K[]): Record<K, number | null> {
  const out = {} as Record<K, number | null>
  for (const k of keys) out[k] = num(r[k])
  return out
}

/** Queried once for all the runs: a view like `counter_checks` reads every run each time it is queried. */
export async function byRun(
  db: RunDatabase,
  runIds: readonly string[],
  query: string,
  orderBy = 'run_id',
): Promise<Map<string, Row[]>> {
  const ids = runIds.map(quoteLiteral).join(', ')
  const rows = await db.query(`SELECT * FROM (${query}) WHERE run_id IN (${ids}) ORDER BY ${orderBy}`)
  const out = new Map<string, Row[]>()
  for (const r of rows) {
    const id = String(r.run_id)
    const list = out.get(id)
    if (list) list.push(r)
    else out.set(id, [r])
  }
  return out
}

/** The one row a view has per run (judge_figures, cost_figures), made into `T`, by run id. */
export async function rowPerRun<T>(
  db: RunDatabase,
  runIds: readonly string[],
  view: string,
  of: (row: Row) => T,
): Promise<Map<string, T>> {
  const out = new Map<string, T>()
  for (const [id, [r]] of await byRun(db, runIds, `SELECT * FROM ${view}`)) out.set(id, of(r))
  return out
}

import {everySettled} from '../engine/every-settled.js'
import type {RunDatabase} from '../engine/run-database.js'
import {metricSql, metricViewFiles} from './metric-sql.js'

/** Each statement runs on its own connection once those it names exist, so independent tables build at once. */
export async function createMetricViews(db: RunDatabase): Promise<void> {
  const existing = await existingObjects(db)
  /** Each object created so far, and its creation. */
  const created = new Map<string, Promise<void>>()
  for (const file of metricViewFiles()) {
    for (const statement of splitStatements(metricSql(file))) {
      const creates = CREATE_OR_REPLACE.exec(statement)
      const after = [...created].filter(([name]) => mentions(statement, name)).map(([, done]) => done)
      const sql = [statement]
      if (creates) {
        // `CREATE OR REPLACE TABLE` cannot replace a view (nor the reverse), and a database kept with `--db` may come
        // from a runlog that materialized other views: the other kind is dropped first.
        const [, kind, name] = creates
        const other = existing.get(name)
        if (other !== undefined && other !== kind.toUpperCase()) sql.unshift(`DROP ${other} "${name}"`)
        existing.delete(name)
      }
      const done = Promise.all(after).then(() => db.runApart(...sql))
      // Awaited below; a failure meanwhile is not an unhandled rejection.
      done.catch(() => {})
      created.set(creates?.[2] ?? `#${created.size}`, done)
    }
  }
  await everySettled(created.values())
}

const CREATE_OR_REPLACE = /^CREATE OR REPLACE (TABLE|VIEW|MACRO) (\w+)/i

function mentions(statement: string, name: string): boolean {
  return new RegExp(`\\b${name}\\b`).test(statement)
}

/** The tables and views of the database's main schema, by name (one query, not one per statement). */
async function existingObjects(db: RunDatabase): Promise<Map<string, 'TABLE' | 'VIEW'>> {
  const rows = await db.query(
    `SELECT table_name AS name, 'TABLE' AS kind FROM duckdb_tables() WHERE schema_name = 'main'
     UNION ALL SELECT view_name, 'VIEW' FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal`,
  )
  return new Map(rows.map((r) => [String(r.name), r.kind as 'TABLE' | 'VIEW']))
}

/** Splits a SQL file into statements on `;` at the end of a line (the files keep one statement per `;`). */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0)
}

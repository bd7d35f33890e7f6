import type {RunDatabase} from '../engine/run-database.js'
import {metricSql, metricViewFiles} from './metric-sql.js'

/** Creates every metric view (one per figure) over the loaded evidence tables. */
export async function createMetricViews(db: RunDatabase): Promise<void> {
  for (const file of metricViewFiles()) {
    for (const statement of splitStatements(metricSql(file))) {
      const created = CREATE_OR_REPLACE.exec(statement)
      if (created) await dropOtherKind(db, created[2], created[1].toUpperCase() as 'TABLE' | 'VIEW')
      await db.run(statement)
    }
  }
}

const CREATE_OR_REPLACE = /^CREATE OR REPLACE (TABLE|VIEW) (\w+)/i

/**
 * Drops `name` when it exists as the other kind of object: `CREATE OR REPLACE TABLE` cannot replace a view (nor the
 * reverse), and a database kept with `--db` may come from a runlog that materialized other views.
 */
async function dropOtherKind(db: RunDatabase, name: string, kind: 'TABLE' | 'VIEW'): Promise<void> {
  const rows = await db.query(
    `SELECT 'TABLE' AS kind FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = '${name}'
     UNION ALL SELECT 'VIEW' FROM duckdb_views() WHERE schema_name = 'main' AND view_name = '${name}' AND NOT internal`,
  )
  for (const r of rows) if (r.kind !== kind) await db.run(`DROP ${r.kind} "${name}"`)
}

/** Splits a SQL file into statements on `;` at the end of a line (the files keep one statement per `;`). */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0)
}

import type {RunDatabase} from '../engine/run-database.js'
import {metricSql, metricViewFiles} from './metric-sql.js'

/** Creates every metric view (one per figure) over the loaded evidence tables. */
export async function createMetricViews(db: RunDatabase): Promise<void> {
  const existing = await existingObjects(db)
  for (const file of metricViewFiles()) {
    for (const statement of splitStatements(metricSql(file))) {
      const created = CREATE_OR_REPLACE.exec(statement)
      if (created) {
        // `CREATE OR REPLACE TABLE` cannot replace a view (nor the reverse), and a database kept with `--db` may come
        // from a runlog that materialized other views: the other kind is dropped first.
        const name = created[2]
        const other = existing.get(name)
        if (other !== undefined && other !== created[1].toUpperCase()) await db.run(`DROP ${other} "${name}"`)
        existing.delete(name)
      }
      await db.run(statement)
    }
  }
}

const CREATE_OR_REPLACE = /^CREATE OR REPLACE (TABLE|VIEW) (\w+)/i

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

import type {RunDatabase} from '../engine/run-database.js'
import {metricSql, metricViewFiles} from './metric-sql.js'

/** Creates every metric view (one per figure) over the loaded evidence tables. */
export async function createMetricViews(db: RunDatabase): Promise<void> {
  for (const file of metricViewFiles()) {
    for (const statement of splitStatements(metricSql(file))) await db.run(statement)
  }
}

/** Splits a SQL file into statements on `;` at the end of a line (the files keep one statement per `;`). */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0)
}

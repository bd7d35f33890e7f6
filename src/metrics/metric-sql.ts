import {readFileSync, readdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {CORRECT_THRESHOLD} from '../readers/trainer/types.js'

/** The folder of the metric SQL files (copied next to the compiled code by the build). */
const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'sql')

/** Constants the SQL shares with the readers, written `{{name}}` in the files: each is defined once, in TypeScript. */
export const SQL_CONSTANTS: Readonly<Record<string, number>> = {correct_threshold: CORRECT_THRESHOLD}

export function metricSql(name: string): string {
  const text = readFileSync(join(SQL_DIR, name), 'utf8')
  const constant = (whole: string, key: string) => (key in SQL_CONSTANTS ? String(SQL_CONSTANTS[key]) : whole)
  return text.replace(/\{\{(\w+)\}\}/g, constant)
}

/** The view definitions, in order (`01_evidence.sql`, `02_datasets.sql`, …): every figure is one view. */
export function metricViewFiles(): string[] {
  return readdirSync(SQL_DIR)
    .filter((n) => /^\d\d_.*\.sql$/.test(n))
    .sort()
}

export function efficiencySql(window: number): string {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be an integer ≥ 1, got ${window}`)
  return metricSql('efficiency.sql').replaceAll('{{window}}', String(window))
}

/** The diagnosis of every loaded run (`09_diagnosis.sql`'s `diagnosis` table macro), alerts first. */
export function diagnosisSql(opts: {judgeThreshold: number; window: number}): string {
  const {judgeThreshold, window} = opts
  if (!Number.isFinite(judgeThreshold) || judgeThreshold < 0 || judgeThreshold > 1)
    throw new RangeError(`judge threshold must be a fraction from 0 to 1, got ${judgeThreshold}`)
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be an integer ≥ 1, got ${window}`)
  return `SELECT * FROM diagnosis(${judgeThreshold}, ${window})`
}

/** Every `{{name}}` must be given a value, as SQL text (e.g. a quoted literal). */
export function querySql(name: string, values: Readonly<Record<string, string>> = {}): string {
  const text = metricSql(`queries/${name}.sql`)
    .replace(/^\s*--.*$/gm, '')
    .trim()
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`queries/${name}.sql: no value given for {{${key}}}`)
    return values[key]
  })
}

import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {SQL_CONSTANTS, metricSql, querySql} from '../../src/metrics/metric-sql.js'
import {CORRECT_THRESHOLD} from '../../src/readers/trainer/types.js'

describe('the constants the SQL shares with the readers', () => {
  it('the correctness threshold is written once, in TypeScript, and given to the evidence views', () => {
    expect(SQL_CONSTANTS.correct_threshold).toBe(CORRECT_THRESHOLD)
    const raw = readFileSync(new URL('../../src/metrics/sql/01_evidence.sql', import.meta.url), 'utf8')
    expect(raw).toContain('s.correctness >= {{correct_threshold}}')
    expect(raw).not.toMatch(/correctness\s*>=\s*\d/)
    const sql = metricSql('01_evidence.sql')
    expect(sql).toContain(`(s.correctness >= ${CORRECT_THRESHOLD}) AS is_correct`)
    expect(sql).not.toContain('{{correct_threshold}}')
  })

  it('a placeholder that is no constant is left for its caller (the efficiency window)', () => {
    expect(metricSql('efficiency.sql')).toContain('{{window}}')
  })
})

describe('querySql', () => {
  it('drops the comments and fills in the values given', () => {
    const sql = querySql('series-judge', {run_id: "'abc'"})
    expect(sql).not.toContain('--')
    expect(sql).toMatch(/^SELECT step, calls/)
    expect(sql).toContain("WHERE run_id = 'abc' ORDER BY step")
  })

  it('refuses to run with a placeholder left unfilled', () => {
    expect(() => querySql('series-cost')).toThrow('queries/series-cost.sql: no value given for {{run_id}}')
  })
})

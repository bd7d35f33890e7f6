import {existsSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runlogInProcess} from '../helpers/in-process-cli.js'
import {GRPO_RUN} from '../helpers/fixtures.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'runlog-query-'))

describe('runlog query is read-only and offline by default', () => {
  it('refuses every way out of the analysis database in one line, and --unsafe lifts that', async () => {
    const dir = tmp()
    const secret = join(dir, 'secret.csv')
    writeFileSync(secret, 'a,b\n1,2\n')
    const out = join(dir, 'copied.csv')
    const attached = join(dir, 'other.duckdb')
    const refused = [
      `SELECT * FROM read_text('${secret}')`,
      `SELECT * FROM read_csv('${secret}')`,
      `SELECT * FROM '${secret}'`,
      `COPY runs TO '${out}'`,
      `ATTACH '${attached}' AS other`,
      'INSTALL httpfs',
      'LOAD httpfs',
      'SET enable_external_access = true',
      'SET lock_configuration = false',
      'DROP TABLE runs',
      'COMMIT; DROP TABLE runs',
      'ROLLBACK; CREATE TABLE mine AS SELECT 1',
    ]
    const results = await Promise.all(refused.map((sql) => runlogInProcess(['query', GRPO_RUN, sql])))
    for (const [i, r] of results.entries()) {
      expect(r.status, refused[i]).toBe(1)
      expect(r.stdout, refused[i]).toBe('')
      expect(r.stderr, refused[i]).toMatch(/^runlog: query: .*--unsafe lifts that\)\n$/)
    }
    expect(existsSync(out)).toBe(false)
    expect(existsSync(attached)).toBe(false)

    // the analysis' own tables are still there, on every core
    const ok = await runlogInProcess([
      'query',
      GRPO_RUN,
      "SELECT count(*)::INT AS n, current_setting('enable_external_access') AS ext FROM judge_events",
      '--json',
    ])
    expect(ok.status, ok.stderr).toBe(0)
    expect(JSON.parse(ok.stdout)).toEqual([{n: 260, ext: false}])

    const unsafe = await runlogInProcess([
      'query',
      GRPO_RUN,
      `SELECT count(*)::INT AS n FROM read_csv('${secret}')`,
      '--unsafe',
      '--json',
    ])
    expect(unsafe.status, unsafe.stderr).toBe(0)
    expect(JSON.parse(unsafe.stdout)).toEqual([{n: 1}])
    const copy = await runlogInProcess(['query', GRPO_RUN, `COPY (SELECT run_id FROM runs) TO '${out}'`, '--unsafe'])
    expect(copy.status, copy.stderr).toBe(0)
    expect(existsSync(out)).toBe(true)
  })

  it('reads a --db database it keeps', async () => {
    const db = join(tmp(), 'run.duckdb')
    const r = await runlogInProcess([
      'query',
      GRPO_RUN,
      'SELECT count(*)::INT AS n FROM judge_events',
      '--db',
      db,
      '--json',
    ])
    expect(r.status, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual([{n: 260}])
    expect(existsSync(db)).toBe(true)
  })
})

import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runlogInProcess} from '../helpers/in-process-cli.js'
import {FIXTURES, GRPO_RUN, ROOT} from '../helpers/fixtures.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'runlog-dbfile-'))
const ALPACA = join(FIXTURES, 'corpus', 'alpaca__run-20231106_034002-m84hjf9m')

/**
 * Runs SQL on a DuckDB file in a child process and returns the rows of the last statement: a DuckDB instance opened in
 * this process may hold the file's lock until it is garbage-collected, which would make the next runlog refuse it.
 */
function duckdb(file: string, sql: string, opts: {readOnly?: boolean} = {}): Promise<Array<Record<string, unknown>>> {
  const script = `
    import {DuckDBInstance} from '@duckdb/node-api'
    const [file, sql, readOnly] = process.argv.slice(1)
    const inst = await DuckDBInstance.create(file, readOnly === '1' ? {access_mode: 'READ_ONLY'} : {})
    const c = await inst.connect()
    const rows = (await c.runAndReadAll(sql)).getRowObjectsJson()
    c.closeSync()
    inst.closeSync()
    process.stdout.write(JSON.stringify(rows))`
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, file, sql, opts.readOnly ? '1' : '0'], {
      cwd: ROOT,
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))))
  })
}

const rowsOf = (file: string, sql: string) => duckdb(file, sql, {readOnly: true})

describe('--db FILE never destroys data runlog did not write', () => {
  it('refuses a DuckDB database runlog did not create, leaving every byte of it as it was', async () => {
    const file = join(tmp(), 'mine.duckdb')
    await duckdb(file, "CREATE TABLE history AS SELECT 'my own' AS note, 42 AS answer")
    const before = readFileSync(file)
    for (const args of [
      ['summarize', GRPO_RUN],
      ['compare', GRPO_RUN, ALPACA],
      ['query', GRPO_RUN, 'SELECT 1'],
    ]) {
      const r = await runlogInProcess([...args, '--db', file])
      expect(r.status, args[0]).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr).toBe(
        `runlog: ${file}: a DuckDB database runlog did not create (it has no runlog_meta table); runlog leaves it untouched (give --db a new file name)\n`,
      )
    }
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(await rowsOf(file, 'SELECT note, answer FROM history')).toEqual([{note: 'my own', answer: 42}])
  })

  it('refuses a file that is not a DuckDB database, untouched', async () => {
    const dir = tmp()
    for (const [name, content] of [
      ['notes.txt', 'my notes\n'],
      ['data.csv', 'a,b\n1,2\n'],
      ['empty.duckdb', ''],
      ['junk.duckdb', Buffer.alloc(5000, 7)],
    ] as const) {
      const file = join(dir, name)
      writeFileSync(file, content)
      const r = await runlogInProcess(['summarize', GRPO_RUN, '--db', file, '--json'])
      expect(r.status, name).toBe(1)
      expect(r.stderr).toBe(
        `runlog: ${file}: not a DuckDB database; runlog leaves it untouched (give --db a new file name)\n`,
      )
      expect(readFileSync(file).equals(Buffer.from(content))).toBe(true)
    }
    const r = await runlogInProcess(['summarize', GRPO_RUN, '--db', dir])
    expect(r.stderr).toBe(
      `runlog: ${dir}: not a regular file; runlog leaves it untouched (give --db a new file name)\n`,
    )
  })

  it("accumulates runs: each command adds its runs, a run analysed again replaces only that run's rows", async () => {
    const file = join(tmp(), 'sweep.duckdb')
    const alone = JSON.parse((await runlogInProcess(['summarize', GRPO_RUN, '--json'])).stdout)
    const first = await runlogInProcess(['summarize', GRPO_RUN, '--db', file, '--json'])
    expect(first.status, first.stderr).toBe(0)
    expect(await rowsOf(file, 'SELECT key, value FROM runlog_meta')).toEqual([{key: 'format_version', value: '1'}])
    const second = await runlogInProcess(['summarize', ALPACA, '--db', file, '--json'])
    expect(second.status, second.stderr).toBe(0)
    const counts = 'SELECT run_id, count(*)::INT AS n FROM history GROUP BY run_id ORDER BY run_id'
    const expected = [
      {run_id: 'ieqh524y', n: 1047},
      {run_id: 'm84hjf9m', n: 850},
    ]
    expect(await rowsOf(file, counts)).toEqual(expected)
    // the same run again (through another command): its rows replaced, not doubled; the other run stays
    const again = await runlogInProcess(['summarize', GRPO_RUN, '--db', file, '--json'])
    expect(again.status, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toEqual(alone)
    const eff = await runlogInProcess(['efficiency', GRPO_RUN, '--db', file, '--json'])
    expect(eff.status, eff.stderr).toBe(0)
    expect(await rowsOf(file, counts)).toEqual(expected)
    expect(
      await rowsOf(file, 'SELECT run_id, count(*)::INT AS n FROM samples GROUP BY run_id ORDER BY run_id'),
    ).toEqual([{run_id: 'ieqh524y', n: 552}])
    expect(await rowsOf(file, 'SELECT run_id FROM runs ORDER BY run_id')).toEqual([
      {run_id: 'ieqh524y'},
      {run_id: 'm84hjf9m'},
    ])
    // the figures of every run kept are there to query
    const q = await runlogInProcess([
      'query',
      ALPACA,
      'SELECT DISTINCT run_id FROM dataset_figures',
      '--db',
      file,
      '--json',
    ])
    expect(q.status, q.stderr).toBe(0)
    expect(JSON.parse(q.stdout)).toEqual([{run_id: 'ieqh524y'}])
  })

  it('refuses a runlog database of another format version', async () => {
    const file = join(tmp(), 'old.duckdb')
    await duckdb(file, "CREATE TABLE runlog_meta AS SELECT 'format_version' AS key, '0' AS value")
    const before = readFileSync(file)
    const r = await runlogInProcess(['summarize', GRPO_RUN, '--db', file])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^runlog: .*old\.duckdb: a runlog database of format 0, not 1 .*untouched/)
    expect(readFileSync(file).equals(before)).toBe(true)
  })
})

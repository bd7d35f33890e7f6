import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {RunDatabase} from '../../src/engine/run-database.js'

describe('RunDatabase queries at once', () => {
  it('gives each query running at the same time its own connection and its own rows', async () => {
    const db = await RunDatabase.open()
    try {
      await db.run('SET threads = 1')
      await db.run('CREATE TABLE n AS SELECT range AS i, range / 7 AS f FROM range(200000)')
      const queries = Array.from(
        {length: 6},
        (_, k) => `SELECT ${k} AS k, count(*)::INT AS c, sum(f) AS s FROM n WHERE i % 6 = ${k}`,
      )
      const once = await Promise.all(queries.map((q) => db.query(q)))
      expect(once.map((rows) => rows[0].k)).toEqual([0, 1, 2, 3, 4, 5])
      expect(once.map((rows) => rows[0].c)).toEqual([33334, 33334, 33333, 33333, 33333, 33333])
      // the same sums, to the last bit, when run again at once
      expect(await Promise.all(queries.map((q) => db.query(q)))).toEqual(once)
      // statements and queries see each other's tables
      await db.run('CREATE TABLE m AS SELECT 1 AS x')
      expect(await db.query('SELECT x FROM m')).toEqual([{x: 1}])
    } finally {
      db.close()
    }
  })
})

describe('RunDatabase memory', () => {
  it('writes table blocks past its memory limit to a directory of its own under the temporary directory, removed on close', async () => {
    const saved = process.env.TMPDIR
    const tmp = mkdtempSync(join(tmpdir(), 'runlog-db-test-'))
    process.env.TMPDIR = tmp
    let db: RunDatabase
    try {
      db = await RunDatabase.open(undefined, '64MB')
    } finally {
      if (saved === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = saved
    }
    try {
      const dirs = readdirSync(tmp)
      expect(dirs).toHaveLength(1)
      expect(dirs[0]).toMatch(/^runlog-duckdb-/)
      // ~240 MB of rows in a 64 MB database: most of it goes to that directory, and reads back whole
      await db.run('SET threads = 1')
      await db.run(`CREATE TABLE t AS SELECT range AS i, 'row number ' || range AS s FROM range(8000000)`)
      const [mem] = await db.query(
        `SELECT sum(memory_usage_bytes) AS mem, sum(temporary_storage_bytes) AS spilled FROM duckdb_memory()`,
      )
      expect(Number(mem.mem)).toBeLessThanOrEqual(64 * 2 ** 20)
      expect(Number(mem.spilled)).toBeGreaterThan(64 * 2 ** 20)
      expect(await db.query('SELECT count(*)::INT AS n, max(s) AS s FROM t')).toEqual([
        {n: 8000000, s: 'row number 999999'},
      ])
    } finally {
      db.close()
    }
    expect(readdirSync(tmp)).toEqual([])
    rmSync(tmp, {recursive: true, force: true})
  })

  it('takes its limit from RUNLOG_DUCKDB_MEMORY, and refuses a value that is not a size in one line', async () => {
    const saved = process.env.RUNLOG_DUCKDB_MEMORY
    try {
      process.env.RUNLOG_DUCKDB_MEMORY = '100MB'
      const db = await RunDatabase.open()
      try {
        expect(await db.query(`SELECT current_setting('memory_limit') AS m`)).toEqual([{m: '95.3 MiB'}])
      } finally {
        db.close()
      }
      process.env.RUNLOG_DUCKDB_MEMORY = 'lots'
      await expect(RunDatabase.open()).rejects.toThrow(
        'RUNLOG_DUCKDB_MEMORY: "lots" is not a memory size (e.g. 512MB, 2GB)',
      )
    } finally {
      if (saved === undefined) delete process.env.RUNLOG_DUCKDB_MEMORY
      else process.env.RUNLOG_DUCKDB_MEMORY = saved
    }
  })
})

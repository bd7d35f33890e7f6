import {describe, expect, it} from 'vitest'
import {RunDatabase} from '../../src/engine/run-database.js'

describe('RunDatabase queries at once', () => {
  it('gives each query running at the same time its own connection and its own rows', async () => {
    const db = await RunDatabase.open()
    try {
      await db.run('SET threads = 1')
      await db.run('CREATE TABLE n AS SELECT range AS i, range / 7 AS f FROM range(200000)')
      const queries = Array.from({length: 6}, (_, k) => `SELECT ${k} AS k, count(*)::INT AS c, sum(f) AS s FROM n WHERE i % 6 = ${k}`)
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

import {describe, expect, it} from 'vitest'
import {TableBuilder} from '../../src/arrow/table-builder.js'
import {RunDatabase} from '../../src/engine/run-database.js'

describe('Arrow tables into DuckDB', () => {
  it('carries every value of every column kind across many data chunks, nulls included', async () => {
    const b = new TableBuilder({s: 'utf8', kind: 'utf8', f: 'float64', i: 'int32', big: 'int64', ok: 'bool', t: 'timestamp'})
    const n = 5000 // more than two DuckDB data chunks of 2,048 rows
    const rows = Array.from({length: n}, (_, k) => ({
      s: k % 7 === 0 ? null : k % 11 === 0 ? `判决 ${k} ✅` : `row-${k}`,
      // few distinct values: loaded as dictionary codes
      kind: ['train', "it's", null, '判决 ✅'][k % 4],
      f: k % 5 === 0 ? null : k / 3,
      i: k % 6 === 0 ? null : k - 2500,
      big: k % 4 === 0 ? null : k * 2 ** 33,
      ok: k % 3 === 0 ? null : k % 2 === 0,
      t: k % 9 === 0 ? null : 1_700_000_000_000 + k,
    }))
    for (const r of rows) b.append(r)
    const db = await RunDatabase.open()
    try {
      await db.load('t', b.finish())
      const got = await db.query(`SELECT s, kind, f, i, big, ok, epoch_ms(t) AS t FROM t`)
      expect(got).toHaveLength(n)
      expect(got).toEqual(rows.map((r) => ({...r})))
      const types = await db.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position`)
      expect(types.map((c) => c.data_type)).toEqual(['VARCHAR', 'VARCHAR', 'DOUBLE', 'INTEGER', 'BIGINT', 'BOOLEAN', 'TIMESTAMP'])
    } finally {
      db.close()
    }
  })

  it('an empty table has its full schema', async () => {
    const db = await RunDatabase.open()
    try {
      await db.load('e', new TableBuilder({a: 'utf8', b: 'int64'}).finish())
      const cols = await db.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'e' ORDER BY ordinal_position`)
      expect(cols).toEqual([
        {column_name: 'a', data_type: 'VARCHAR'},
        {column_name: 'b', data_type: 'BIGINT'},
      ])
    } finally {
      db.close()
    }
  })
})

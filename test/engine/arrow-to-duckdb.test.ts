import {tableFromIPC, tableToIPC} from 'apache-arrow'
import {describe, expect, it} from 'vitest'
import {TableBuilder} from '../../src/arrow/table-builder.js'
import {RunDatabase} from '../../src/engine/run-database.js'

describe('Arrow tables into DuckDB', () => {
  it('carries every value of every column kind across many data chunks, nulls included', async () => {
    const b = new TableBuilder({
      s: 'utf8',
      kind: 'utf8',
      f: 'float64',
      i: 'int32',
      big: 'int64',
      ok: 'bool',
      t: 'timestamp',
    })
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
      const types = await db.query(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position`,
      )
      expect(types.map((c) => c.data_type)).toEqual([
        'VARCHAR',
        'VARCHAR',
        'DOUBLE',
        'INTEGER',
        'BIGINT',
        'BOOLEAN',
        'TIMESTAMP',
      ])
    } finally {
      db.close()
    }
  })

  it('an empty table has its full schema', async () => {
    const db = await RunDatabase.open()
    try {
      await db.load('e', new TableBuilder({a: 'utf8', b: 'int64'}).finish())
      const cols = await db.query(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'e' ORDER BY ordinal_position`,
      )
      expect(cols).toEqual([
        {column_name: 'a', data_type: 'VARCHAR'},
        {column_name: 'b', data_type: 'BIGINT'},
      ])
    } finally {
      db.close()
    }
  })
})

describe('Arrow tables of several batches, slices and IPC round trips into DuckDB', () => {
  const spec = {s: 'utf8', kind: 'utf8', f: 'float64', i: 'int32', big: 'int64', ok: 'bool', t: 'timestamp'} as const
  const row = (k: number) => ({
    s: k % 7 === 0 ? null : `v${k}-é`,
    kind: k % 13 === 0 ? null : ['a', 'b', 'ç'][k % 3],
    f: k % 5 === 0 ? null : -k / 7,
    i: k % 6 === 0 ? null : -k,
    big: k % 4 === 0 ? null : -(k * 2 ** 35) - 1,
    ok: k % 3 === 0 ? null : k % 2 === 1,
    t: k % 9 === 0 ? null : -86_400_000 * 365 + k * 1_000_003,
  })
  const build = (from: number, to: number) => {
    const b = new TableBuilder(spec)
    for (let k = from; k < to; k++) b.append(row(k))
    return b.finish()
  }
  const expected = (from: number, to: number) => Array.from({length: to - from}, (_, j) => row(from + j))

  async function roundTrip(table: import('apache-arrow').Table) {
    const db = await RunDatabase.open()
    try {
      await db.load('t', table)
      return await db.query(`SELECT s, kind, f, i, big, ok, epoch_ms(t) AS t FROM t`)
    } finally {
      db.close()
    }
  }

  it('keeps every row of a table made of several record batches (dictionary codes numbered across batches)', async () => {
    const table = build(0, 3001).concat(build(3001, 7003))
    expect(table.batches.length).toBe(2)
    expect(await roundTrip(table)).toEqual(expected(0, 7003))
  })

  it('loads dictionary-coded text with NUL characters (its values are written into SQL)', async () => {
    const b = new TableBuilder({s: 'utf8'})
    const value = (k: number) => ['a\0b', '\0', "c'\0", 'd'][k % 4]
    // enough rows to be dictionary-encoded
    for (let k = 0; k < 5000; k++) b.append({s: value(k)})
    const db = await RunDatabase.open()
    try {
      await db.load('t', b.finish())
      expect(await db.query('SELECT s FROM t')).toEqual(Array.from({length: 5000}, (_, k) => ({s: value(k)})))
    } finally {
      db.close()
    }
  })

  it('reads a sliced table from its offset (validity bits and booleans not byte-aligned)', async () => {
    const table = build(0, 9000).slice(4099, 8999)
    expect(await roundTrip(table)).toEqual(expected(4099, 8999))
  })

  it('reads a table that went through Arrow IPC (what worker threads send back)', async () => {
    const {tableFromIPC, tableToIPC} = await import('apache-arrow')
    const table = tableFromIPC(tableToIPC(build(0, 4500), 'stream'))
    expect(await roundTrip(table)).toEqual(expected(0, 4500))
  })
})

describe('dictionary-encoded Arrow text into DuckDB', () => {
  const spec = {k: 'int32', split: 'utf8', source: 'utf8'} as const
  const rows = (from: number, to: number) =>
    Array.from({length: to - from}, (_, j) => {
      const k = from + j
      return {k, split: k % 11 === 0 ? null : ['train', 'val', "it's 判决"][k % 3], source: `src-${k % 200}`}
    })
  const built = (from: number, to: number) => {
    const b = new TableBuilder(spec, {dictionary: true})
    b.appendRows(rows(from, to))
    return b.finish()
  }

  it('loads codes with one shared dictionary, and text value by value when batches have different dictionaries', async () => {
    for (const [table, want] of [
      [built(0, 6000), rows(0, 6000)],
      [built(0, 6000).slice(1001, 5999), rows(1001, 5999)],
      [tableFromIPC(tableToIPC(built(0, 6001), 'stream')), rows(0, 6001)],
      [built(0, 4500).concat(built(4500, 9100)), rows(0, 9100)],
    ] as const) {
      const db = await RunDatabase.open()
      try {
        await db.load('t', table)
        expect(await db.query('SELECT k, split, source FROM t')).toEqual(want)
        const types = await db.query(
          `SELECT data_type FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position`,
        )
        expect(types.map((c) => c.data_type)).toEqual(['INTEGER', 'VARCHAR', 'VARCHAR'])
      } finally {
        db.close()
      }
    }
  })
})

describe('DuckDB packages', () => {
  it('the C API runlog writes vectors through is the one @duckdb/node-api runs on (one native library)', async () => {
    const {createRequire} = await import('node:module')
    const require = createRequire(import.meta.url)
    const api = require('@duckdb/node-api/package.json') as {version: string; dependencies: Record<string, string>}
    const bindings = require('@duckdb/node-bindings/package.json') as {version: string}
    const own = require('../../package.json') as {dependencies: Record<string, string>}
    expect(api.dependencies['@duckdb/node-bindings']).toBe(bindings.version)
    // Both pinned to that version, so an update of one cannot load a second, different native library.
    expect(own.dependencies['@duckdb/node-bindings']).toBe(bindings.version)
    expect(own.dependencies['@duckdb/node-api']).toBe(api.version)
  })
})

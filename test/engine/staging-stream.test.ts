import {describe, expect, it} from 'vitest'
import {TableBuilder, schemaOf} from '../../src/arrow/table-builder.js'
import {RunDatabase} from '../../src/engine/run-database.js'
import {Type} from 'apache-arrow'

const spec = {run_id: 'utf8', n: 'int64', f: 'float64', s: 'utf8', ok: 'bool', t: 'timestamp'} as const
const row = (k: number) => ({
  run_id: 'r',
  n: k * 2 ** 33,
  f: k % 3 === 0 ? null : k / 7,
  s: k % 5 === 0 ? null : `s${k % 4}-判决`,
  ok: k % 2 === 0,
  t: 1_700_000_000_000 + k,
})

describe('StagingStream', () => {
  it('appends record batches synchronously into a staging table of the columns asked for, with their types', async () => {
    const db = await RunDatabase.open()
    try {
      const stream = await db.openStream('st', schemaOf(spec), ['t', 'n', 'f', 's', 'ok'])
      const b = new TableBuilder(spec, {onSeal: (batch) => stream.append(batch), batchRows: 3000})
      for (let k = 0; k < 7000; k++) b.append(row(k))
      expect(stream.rows).toBe(6000)
      const staged = stream.close()
      expect(staged.name).toBe('st')
      expect(staged.columns.map((c) => c.name)).toEqual(['t', 'n', 'f', 's', 'ok'])
      // Text is staged as codes and given back by its expression: each expression has the column's type.
      const select = staged.columns.map((c) => `${c.expr} AS ${c.name}`).join(', ')
      const types = staged.columns.map((c) => `typeof(${c.name}) AS ${c.name}`).join(', ')
      expect(await db.query(`SELECT ${types} FROM (SELECT ${select} FROM st) LIMIT 1`)).toEqual([
        {t: 'TIMESTAMP', n: 'BIGINT', f: 'DOUBLE', s: 'VARCHAR', ok: 'BOOLEAN'},
      ])
      const got = await db.query(`SELECT epoch_ms(t) AS t, n, f, s, ok FROM (SELECT ${select} FROM st)`)
      expect(got).toEqual(
        Array.from({length: 6000}, (_, k) => row(k)).map((r) => ({t: r.t, n: r.n, f: r.f, s: r.s, ok: r.ok})),
      )
    } finally {
      db.close()
    }
  })

  it('writes its rows to the table as they come, every 16,384 rows or so, not all when it is closed', async () => {
    const db = await RunDatabase.open()
    try {
      const stream = await db.openStream('st', schemaOf(spec), ['n', 's'])
      const b = new TableBuilder(spec, {onSeal: (batch) => stream.append(batch), batchRows: 5000})
      const count = async () => (await db.query(`SELECT count(*)::INT AS n FROM st`))[0].n
      for (let k = 0; k < 15_000; k++) b.append(row(k))
      // 15,000 rows appended: still in the appender
      expect(await count()).toBe(0)
      for (let k = 15_000; k < 40_000; k++) b.append(row(k))
      // 40,000 appended: written at 20,000 and at 40,000
      expect(stream.rows).toBe(40_000)
      expect(await count()).toBe(40_000)
      for (let k = 40_000; k < 45_000; k++) b.append(row(k))
      stream.close()
      expect(await count()).toBe(45_000)
      expect(await db.query(`SELECT min(n) AS lo, max(n) AS hi, count(DISTINCT n)::INT AS d FROM st`)).toEqual([
        {lo: 0, hi: 44_999 * 2 ** 33, d: 45_000},
      ])
    } finally {
      db.close()
    }
  })

  it("gives back text past the dictionary's room, nulls, and dictionary-encoded batches, in row order", async () => {
    const db = await RunDatabase.open()
    try {
      const text = {run_id: 'utf8', k: 'int64', s: 'utf8'} as const
      const stream = await db.openStream('st', schemaOf(text), ['k', 's'])
      // 300 distinct values first (more than a dictionary holds), each thrice in a row and most as long as the one
      // before, then 5,000 distinct ones (the column goes text-only), then values seen before: each comes back as it
      // went in.
      const value = (k: number) =>
        k % 7 === 0
          ? null
          : k < 3000
            ? `v${Math.floor(k / 3) % 300}-é`
            : k < 8000
              ? `w${k}`
              : k % 2
                ? `v${k % 300}-é`
                : `w${k - 5000}`
      const plain = new TableBuilder(text, {onSeal: (batch) => stream.append(batch), batchRows: 2500})
      for (let k = 0; k < 10_000; k++) plain.append({run_id: 'r', k, s: value(k)})
      // Dictionary-encoded batches (as a table built with `dictionary`), some of whose values are known already.
      const coded = new TableBuilder(text, {dictionary: true})
      for (let k = 10_000; k < 15_000; k++) coded.append({run_id: 'r', k, s: k % 5 === 0 ? null : `v${k % 3}-é`})
      const codedTable = coded.finish()
      expect(codedTable.batches[0].data.children[2].typeId).toBe(Type.Dictionary)
      for (const batch of codedTable.batches) stream.append(batch)
      const staged = stream.close()
      const select = staged.columns.map((c) => `${c.expr} AS ${c.name}`).join(', ')
      const got = await db.query(`SELECT k, s FROM (SELECT ${select} FROM st)`)
      const want = [
        ...Array.from({length: 10_000}, (_, k) => ({k, s: value(k)})),
        ...Array.from({length: 5000}, (_, i) => ({k: 10_000 + i, s: i % 5 === 0 ? null : `v${(10_000 + i) % 3}-é`})),
      ]
      expect(got).toEqual(want)
    } finally {
      db.close()
    }
  })

  it('refuses a column its schema does not have', async () => {
    const db = await RunDatabase.open()
    try {
      await expect(db.openStream('st', schemaOf(spec), ['n', 'nope'])).rejects.toThrow(
        'no column nope in the schema of st',
      )
    } finally {
      db.close()
    }
  })

  it('stages text with NUL characters (a value in the dictionary is written into SQL)', async () => {
    const db = await RunDatabase.open()
    try {
      const text = {run_id: 'utf8', k: 'int64', s: 'utf8'} as const
      const stream = await db.openStream('st', schemaOf(text), ['k', 's'])
      const value = (k: number) => [`a\0b`, `\0`, `c'\0`, 'd'][k % 4]
      const b = new TableBuilder(text, {onSeal: (batch) => stream.append(batch), batchRows: 1000})
      for (let k = 0; k < 3000; k++) b.append({run_id: 'r', k, s: value(k)})
      const staged = stream.close()
      const select = staged.columns.map((c) => `${c.expr} AS ${c.name}`).join(', ')
      expect(await db.query(`SELECT k, s FROM (SELECT ${select} FROM st)`)).toEqual(
        Array.from({length: 3000}, (_, k) => ({k, s: value(k)})),
      )
    } finally {
      db.close()
    }
  })
})

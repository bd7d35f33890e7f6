import {Type, tableFromIPC, tableToIPC} from 'apache-arrow'
import {describe, expect, it} from 'vitest'
import {BATCH_ROWS, TableBuilder} from '../../src/arrow/table-builder.js'
import {RunDatabase} from '../../src/engine/run-database.js'

const spec = {id: 'int64', split: 'utf8', text: 'utf8', score: 'float64'} as const
const row = (k: number) => ({
  id: k,
  split: k % 10 === 0 ? null : ['train', 'val', '判决'][k % 3],
  text: `line ${k}`,
  score: k % 4 === 0 ? null : k / 4,
})

describe('TableBuilder', () => {
  it('builds rows appended one by one or as a list into the same table', () => {
    const rows = Array.from({length: 50}, (_, k) => row(k))
    const a = new TableBuilder(spec)
    for (const r of rows) a.append(r)
    const b = new TableBuilder(spec)
    b.appendRows(rows.slice(0, 20))
    b.appendRows(rows.slice(20))
    expect(
      b
        .finish()
        .toArray()
        .map((r) => r.toJSON()),
    ).toEqual(
      a
        .finish()
        .toArray()
        .map((r) => r.toJSON()),
    )
    expect(
      a
        .finish()
        .toArray()
        .map((r) => ({...r.toJSON(), id: Number(r.id)})),
    ).toEqual(rows)
  })

  it('builds every BATCH_ROWS rows into a record batch of their own: the same rows, loaded into DuckDB whole, snapshots after more rows included', async () => {
    const n = 2 * BATCH_ROWS + 123
    const b = new TableBuilder(spec)
    for (let k = 0; k < BATCH_ROWS + 7; k++) b.append(row(k))
    const early = b.finish()
    expect(early.batches.map((x) => x.numRows)).toEqual([BATCH_ROWS, 7])
    b.appendRows(Array.from({length: n - BATCH_ROWS - 7}, (_, k) => row(BATCH_ROWS + 7 + k)))
    const t = b.finish()
    expect(t.batches.map((x) => x.numRows)).toEqual([BATCH_ROWS, n - BATCH_ROWS])
    expect(t.numRows).toBe(n)
    expect(early.numRows).toBe(BATCH_ROWS + 7)
    for (const k of [0, BATCH_ROWS - 1, BATCH_ROWS, BATCH_ROWS + 6, BATCH_ROWS + 7, n - 1])
      expect({...t.get(k)!.toJSON(), id: Number(t.get(k)!.id)}).toEqual(row(k))
    expect(tableFromIPC(tableToIPC(t)).numRows).toBe(n)
    const db = await RunDatabase.open()
    try {
      await db.load('t', t)
      const [r] = await db.query(
        `SELECT count(*)::INT AS n, sum(id)::BIGINT AS ids, count(split)::INT AS splits, max(text) AS text, sum(score) AS score FROM t`,
      )
      const want = Array.from({length: n}, (_, k) => row(k))
      expect(r).toEqual({
        n,
        ids: (n * (n - 1)) / 2,
        splits: want.filter((x) => x.split !== null).length,
        text: want
          .map((x) => x.text)
          .sort()
          .at(-1),
        score: want.reduce((a, x) => a + (x.score ?? 0), 0),
      })
    } finally {
      db.close()
    }
  })

  it('with onSeal, hands each record batch over as soon as it is built and keeps only the rows after the last one', () => {
    const batches: import('apache-arrow').RecordBatch[] = []
    const b = new TableBuilder(spec, {onSeal: (batch) => batches.push(batch), batchRows: 100})
    for (let k = 0; k < 250; k++) b.append(row(k))
    // a list of rows is sealed with the rows before it, whole
    b.appendRows(Array.from({length: 60}, (_, k) => row(250 + k)))
    for (let k = 310; k < 320; k++) b.append(row(k))
    expect(batches.map((x) => x.numRows)).toEqual([100, 100, 110])
    expect(b.length).toBe(320)
    const rest = b.finish()
    expect(rest.numRows).toBe(10)
    const all = [...batches.flatMap((x) => x.toArray()), ...rest.toArray()].map((r) => ({
      ...r.toJSON(),
      id: Number(r.id),
    }))
    expect(all).toEqual(Array.from({length: 320}, (_, k) => row(k)))
  })

  it('with {dictionary: true}, encodes only low-cardinality text of enough rows, with the same values', () => {
    const rows = Array.from({length: 5000}, (_, k) => row(k))
    const b = new TableBuilder(spec, {dictionary: true})
    b.appendRows(rows)
    const t = b.finish()
    expect(t.schema.fields.map((f) => f.type.typeId)).toEqual([Type.Int, Type.Dictionary, Type.Utf8, Type.Float])
    const back = tableFromIPC(tableToIPC(t, 'stream'))
    expect(back.getChild('split')!.toArray()).toEqual(rows.map((r) => r.split))
    expect(back.getChild('text')!.get(4999)).toBe('line 4999')
    // Too few rows: plain text.
    const small = new TableBuilder(spec, {dictionary: true})
    small.appendRows(rows.slice(0, 100))
    expect(small.finish().schema.fields[1].type.typeId).toBe(Type.Utf8)
  })
})

import {Type, tableFromIPC, tableToIPC} from 'apache-arrow'
import {describe, expect, it} from 'vitest'
import {TableBuilder} from '../../src/arrow/table-builder.js'

const spec = {id: 'int64', split: 'utf8', text: 'utf8', score: 'float64'} as const
const row = (k: number) => ({id: k, split: k % 10 === 0 ? null : ['train', 'val', '判决'][k % 3], text: `line ${k}`, score: k % 4 === 0 ? null : k / 4})

describe('TableBuilder', () => {
  it('builds rows appended one by one or as a list into the same table', () => {
    const rows = Array.from({length: 50}, (_, k) => row(k))
    const a = new TableBuilder(spec)
    for (const r of rows) a.append(r)
    const b = new TableBuilder(spec)
    b.appendRows(rows.slice(0, 20))
    b.appendRows(rows.slice(20))
    expect(b.finish().toArray().map((r) => r.toJSON())).toEqual(a.finish().toArray().map((r) => r.toJSON()))
    expect(a.finish().toArray().map((r) => ({...r.toJSON(), id: Number(r.id)}))).toEqual(rows)
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

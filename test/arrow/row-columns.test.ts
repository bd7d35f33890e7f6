import {tableToIPC} from 'apache-arrow'
import {describe, expect, it} from 'vitest'
import {rowsTable} from '../../src/arrow/row-columns.js'
import {type ColumnSpec, TableBuilder} from '../../src/arrow/table-builder.js'
import {DICTIONARY_MAX_VALUES, DICTIONARY_MIN_ROWS} from '../../src/arrow/dictionary-codes.js'

const spec = {
  step: 'int64',
  at: 'timestamp',
  split: 'utf8',
  id: 'utf8',
  score: 'float64',
  calls: 'int32',
  ok: 'bool',
} as const satisfies ColumnSpec

/** What the trainer tables were built with before `rowsTable`: the reference its bytes must equal. */
function reference(s: ColumnSpec, rows: readonly object[]): Uint8Array {
  const b = new TableBuilder(s, {dictionary: true})
  b.appendRows(rows)
  return tableToIPC(b.finish(), 'stream')
}

/** Rows with every kind of value a column may hold: nulls, missing properties, bigints, huge and negative numbers. */
function rows(n: number, distinct: number): object[] {
  return Array.from({length: n}, (_, k) => {
    const r: Record<string, unknown> = {
      step: k % 7 === 0 ? null : k % 11 === 0 ? BigInt(k) * 4_294_967_296n - 3n : k % 13 === 0 ? -k * 1e10 : k,
      at: k % 5 === 0 ? undefined : 1_700_000_000_000 + k,
      split: k % 9 === 0 ? null : ['train', 'val', '判决'][k % 3],
      id: k % 17 === 0 ? k : `S${k % distinct}-1/2`,
      score: k % 4 === 0 ? null : k % 6 === 0 ? Number.NaN : k / 3,
      calls: k % 8 === 0 ? null : k % 1000,
      ok: k % 3 === 0 ? null : k % 2 === 0,
    }
    // A row without some properties: read as nulls.
    if (k % 19 === 0) delete r.calls
    if (k % 23 === 0) delete r.id
    return r
  })
}

describe('rowsTable', () => {
  it('gives the bytes TableBuilder gives, for few rows, dictionary-sized columns and too many distinct values', () => {
    for (const [n, distinct] of [
      [0, 1],
      [1, 1],
      [37, 5],
      [DICTIONARY_MIN_ROWS + 3, 40],
      [DICTIONARY_MIN_ROWS * 2, DICTIONARY_MAX_VALUES * 4],
    ]) {
      const r = rows(n, distinct)
      expect(Buffer.from(tableToIPC(rowsTable(spec, r), 'stream')).equals(Buffer.from(reference(spec, r)))).toBe(true)
    }
  })

  it('reads rows of different shapes (the same columns in another order, extra properties) alike', () => {
    const r = rows(200, 9).map((row, k) =>
      k % 2 === 0 ? {extra: k, ...row} : Object.fromEntries(Object.entries(row).reverse()),
    )
    expect(Buffer.from(tableToIPC(rowsTable(spec, r), 'stream')).equals(Buffer.from(reference(spec, r)))).toBe(true)
    expect(rowsTable(spec, r).numRows).toBe(200)
  })
})

import {describe, expect, it} from 'vitest'
import {RecordBatcher, forEachRecord} from '../../../src/ingest/console/worker-protocol.js'

/** Records packed by a batcher of `batchBytes`, then read back batch by batch. */
function roundTrip(records: Uint8Array[], batchBytes: number) {
  const batches: Array<{records: ArrayBuffer; bytes: number}> = []
  const batcher = new RecordBatcher((buf, bytes) => batches.push({records: buf, bytes}), batchBytes)
  for (const r of records) batcher.push(r)
  batcher.flush()
  const back: number[][] = []
  for (const b of batches)
    forEachRecord(b.records, b.bytes, (buf, start, end) => back.push([...buf.subarray(start, end)]))
  return {batches, back}
}

const bytes = (...values: number[]) => Uint8Array.from(values)

describe('console records packed into batches for the parsing worker', () => {
  it('gives back every record, empty ones included, in order, across batches', () => {
    const records = [bytes(1, 2, 3), bytes(), bytes(4), bytes(5, 6, 7, 8, 9), bytes(10, 11)]
    const {batches, back} = roundTrip(records, 12)
    expect(back).toEqual(records.map((r) => [...r]))
    expect(batches.length).toBeGreaterThan(1)
    for (const b of batches) expect(b.bytes).toBeLessThanOrEqual(12)
  })

  it('gives a record bigger than a batch a batch of its own', () => {
    const big = Uint8Array.from({length: 40}, (_, i) => i)
    const {batches, back} = roundTrip([bytes(1), big, bytes(2)], 8)
    expect(back).toEqual([[1], [...big], [2]])
    expect(batches.map((b) => b.bytes)).toEqual([5, 44, 5])
  })

  it('posts nothing when it holds nothing, and each batch in a buffer of its own (it is transferred)', () => {
    const posted: ArrayBuffer[] = []
    const batcher = new RecordBatcher((buf) => posted.push(buf), 16)
    batcher.flush()
    expect(posted).toEqual([])
    batcher.push(bytes(1, 2))
    batcher.flush()
    batcher.push(bytes(3))
    batcher.flush()
    expect(posted).toHaveLength(2)
    expect(posted[0]).not.toBe(posted[1])
  })
})

import {join} from 'node:path'
import type {RecordBatch} from 'apache-arrow'
import {describe, expect, it} from 'vitest'
import {readRun} from '../../../src/readers/run/read-run.js'
import {FIXTURES, GRPO_RUN} from '../../helpers/fixtures.js'

const rowsOf = (batches: Iterable<RecordBatch>) =>
  [...batches].flatMap((b) =>
    b.toArray().map((r) => JSON.stringify(r.toJSON(), (_, v) => (typeof v === 'bigint' ? Number(v) : v))),
  )

describe('the history taken as it is read', () => {
  for (const [name, run] of [
    ['the GRPO sample', GRPO_RUN],
    ['a 4 MB run of the corpus', join(FIXTURES, 'corpus', 'banda__run-20250901_211942-5gken955')],
  ] as const)
    it(`onHistoryBatch gets record batches that, with the rows left in the table, are the whole history, in order (${name})`, () => {
      const whole = readRun(run, {tables: ['history']}).tables.history!
      const batches: RecordBatch[] = []
      const data = readRun(run, {tables: ['history'], onHistoryBatch: (b) => batches.push(b), historyBatchRows: 37})
      const rest = data.tables.history!
      expect(batches.length).toBe(Math.floor(whole.numRows / 37))
      for (const b of batches) expect(b.numRows).toBe(37)
      expect(rest.numRows).toBe(whole.numRows % 37)
      expect(data.overview.history_rows).toBe(readRun(run, {tables: []}).overview.history_rows)
      expect([...rowsOf(batches), ...rowsOf(rest.batches)]).toEqual(rowsOf(whole.batches))
    })
})

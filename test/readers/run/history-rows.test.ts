import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {readRun} from '../../../src/readers/run/read-run.js'
import {WandbWriter} from '../../support/wandb-writer.js'

const root = mkdtempSync(join(tmpdir(), 'runlog-history-rows-'))
afterAll(() => rmSync(root, {recursive: true, force: true}))

/** Records that differ in keys, in `_runtime`/`_timestamp` (present, absent) and in value kinds. */
function run(): string {
  const dir = join(root, 'offline-run-20240101_000000-rows0001')
  mkdirSync(dir)
  const w = WandbWriter.open(join(dir, 'run-rows0001.wandb'))
  w.header('0.19.0')
  w.run({runId: 'rows0001', project: 'p', startTime: 1_700_000_000})
  w.history(3, [
    {key: 'loss', valueJson: '0.5'},
    {key: 'note', valueJson: '"hi"'},
    {key: '_runtime', valueJson: '12.5'},
    {key: '_timestamp', valueJson: '1700000012.5'},
  ])
  w.history(4, [
    {key: 'ok', valueJson: 'true'},
    {key: 'loss', valueJson: 'NaN'},
  ])
  w.history(5, [
    {key: '_timestamp', valueJson: '1700000020'},
    {key: 'loss', valueJson: '0.25'},
    {key: 'loss', valueJson: '0.125'},
  ])
  w.exit(0, 20)
  w.close()
  return dir
}

describe('the history table', () => {
  it("has a row per item, each with its record's row, step, runtime and timestamp (none when the record has none)", () => {
    const table = readRun(run(), {tables: ['history']}).tables.history!
    const rows = table.toArray().map((r) => {
      const o = r.toJSON() as Record<string, unknown>
      return [o.run_id, Number(o.row), Number(o.step), o.key, o.value, o.value_json, o.runtime, o.timestamp]
    })
    expect(rows).toEqual([
      ['rows0001', 0, 3, 'loss', 0.5, '0.5', 12.5, 1700000012.5],
      ['rows0001', 0, 3, 'note', null, '"hi"', 12.5, 1700000012.5],
      ['rows0001', 0, 3, '_runtime', 12.5, '12.5', 12.5, 1700000012.5],
      ['rows0001', 0, 3, '_timestamp', 1700000012.5, '1700000012.5', 12.5, 1700000012.5],
      ['rows0001', 1, 4, 'ok', 1, 'true', null, null],
      ['rows0001', 1, 4, 'loss', Number.NaN, 'NaN', null, null],
      ['rows0001', 2, 5, '_timestamp', 1700000020, '1700000020', null, 1700000020],
      ['rows0001', 2, 5, 'loss', 0.25, '0.25', null, 1700000020],
      ['rows0001', 2, 5, 'loss', 0.125, '0.125', null, 1700000020],
    ])
  })
})

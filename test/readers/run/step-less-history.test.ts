import {mkdtempSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readRun} from '../../../src/readers/run/read-run.js'
import {dispatchRecord} from '../../../src/readers/wandb/record-decoder.js'
import {WandbWriter, encode} from '../../support/wandb-writer.js'
import {runlog} from '../../helpers/cli.js'

const ROWS = 40

/**
 * A run written the way a TensorBoard-synced run is: history records with no step number, each numbered only by its
 * `_step` item (0…ROWS-1), with the trainer's step in `global_step`.
 */
function tensorboardSyncedRun(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'runlog-stepless-')), 'offline-run-20240101_000000-tbsync01')
  mkdirSync(dir)
  const w = WandbWriter.open(join(dir, 'run-tbsync01.wandb'))
  w.header('0.16.6')
  w.run({runId: 'tbsync01', project: 'tb', startTime: 1_700_000_000})
  for (let i = 0; i < ROWS; i++)
    w.history(null, [
      {key: 'global_step', valueJson: String(10 * (i + 1))},
      {key: 'train/loss', valueJson: String(2 - i / 40)},
      {key: '_runtime', valueJson: String(i * 3.5)},
      {key: '_timestamp', valueJson: String(1_700_000_000 + i * 3.5)},
      {key: '_step', valueJson: String(i)},
    ])
  w.exit(0, ROWS * 3.5)
  w.close()
  return dir
}

describe('history records without a step number (TensorBoard-synced runs)', () => {
  it('the decoder places such a record at its _step; a record with a step number keeps it', () => {
    const steps: number[] = []
    const visit = (payload: Uint8Array) => dispatchRecord(payload, {history: (h) => steps.push(h.step)})
    visit(
      encode.history(null, [
        {key: 'a', valueJson: '1'},
        {key: '_step', valueJson: '7'},
      ]),
    )
    visit(
      encode.history(5, [
        {key: 'a', valueJson: '1'},
        {key: '_step', valueJson: '5'},
      ]),
    )
    visit(
      encode.history(0, [
        {key: 'a', valueJson: '1'},
        {key: '_step', valueJson: '0'},
      ]),
    )
    visit(encode.history(null, [{key: 'a', valueJson: '1'}]))
    const only: number[] = []
    for (const p of [
      encode.history(null, [{key: '_step', valueJson: '9'}]),
      encode.history(3, [{key: '_step', valueJson: '3'}]),
    ])
      dispatchRecord(p, {historyStep: (s) => only.push(s)})
    expect(steps).toEqual([7, 5, 0, 0])
    expect(only).toEqual([9, 3])
  })

  it('the run reader counts every step and puts each history value at its step', () => {
    const data = readRun(tensorboardSyncedRun(), {tables: ['history']})
    expect(data.overview.steps).toBe(ROWS)
    expect(data.overview.last_step).toBe(ROWS - 1)
    const h = data.tables.history!
    const steps = new Set<number>()
    for (let i = 0; i < h.numRows; i++) steps.add(Number(h.getChild('step')!.get(i)))
    expect(steps.size).toBe(ROWS)
  })

  it('ls and summarize report every step, and a metric’s first and last values differ', async () => {
    const dir = tensorboardSyncedRun()
    const [lsRun, r, humanRun] = await Promise.all([
      runlog(['ls', join(dir, '..'), '--json']),
      runlog(['summarize', dir, '--json']),
      runlog(['summarize', dir]),
    ])
    const ls = JSON.parse(lsRun.stdout)
    expect(ls[0]).toMatchObject({id: 'tbsync01', steps: ROWS, history_rows: ROWS})
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.run.steps).toBe(ROWS)
    const human = humanRun.stdout
    expect(human).toMatch(/— finished, exit 0, 40 steps/)
    expect(human).toMatch(/│ train\/loss\s+│ wandb\s+│\s+40 │\s+2 │\s+1\.025 │/)
  })
})

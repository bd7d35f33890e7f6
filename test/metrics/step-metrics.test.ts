import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {trainerLogHistory} from '../../src/history/trainer-log-history.js'
import {Analysis} from '../../src/analysis/analysis.js'

/** A verl log whose step 2 is printed twice (a restarted logger), the second time with another score. */
function verlLog(): string {
  const log = join(mkdtempSync(join(tmpdir(), 'runlog-step-metrics-')), 'verl.log')
  writeFileSync(
    log,
    [
      'step:1 - actor/pg_loss:0.500 - critic/score/mean:0.100',
      'step:2 - actor/pg_loss:0.400 - critic/score/mean:0.200',
      'step:2 - actor/pg_loss:0.400 - critic/score/mean:0.250',
      'step:3 - actor/pg_loss:0.300 - critic/score/mean:0.300 - val-core/gsm8k/reward/mean@1:0.700',
      '',
    ].join('\n'),
  )
  return log
}

describe('per-step metrics of a trainer log', () => {
  it('one row per key, a step counted once (its last printed value), validation and scores before losses', async () => {
    const a = await Analysis.open([{path: verlLog()}])
    try {
      const {metrics} = await a.summary()
      type Figures = [points: number, firstStep: number, lastStep: number, ...values: [number, number, number, number]]
      const m = (key: string, ...[points, first_step, last_step, first, last, min, max]: Figures) => ({
        key,
        origin: 'verl',
        points,
        first_step,
        last_step,
        first,
        last,
        min,
        max,
      })
      expect(metrics).toEqual([
        m('val-core/gsm8k/reward/mean@1', 1, 3, 3, 0.7, 0.7, 0.7, 0.7),
        m('critic/score/mean', 3, 1, 3, 0.1, 0.3, 0.1, 0.3),
        m('actor/pg_loss', 3, 1, 3, 0.5, 0.3, 0.3, 0.5),
      ])
    } finally {
      a.close()
    }
  })

  it('as history: one record per step, the last value printed at it', async () => {
    const records = await trainerLogHistory(verlLog())
    expect(records.map((r) => [r.step, Object.fromEntries(r.items.map((i) => [i.key, i.valueJson]))])).toEqual([
      [1, {'actor/pg_loss': '0.5', 'critic/score/mean': '0.1', _step: '1'}],
      [2, {'actor/pg_loss': '0.4', 'critic/score/mean': '0.25', _step: '2'}],
      [3, {'actor/pg_loss': '0.3', 'critic/score/mean': '0.3', 'val-core/gsm8k/reward/mean@1': '0.7', _step: '3'}],
    ])
  })
})

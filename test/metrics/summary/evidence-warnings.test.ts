import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {Analysis, type RunInput} from '../../../src/analysis/analysis.js'
import {createMetricViews} from '../../../src/metrics/metric-views.js'
import {FIXTURES, GRPO_RUN} from '../../helpers/fixtures.js'
import {hfWandbRun} from '../../helpers/hf-run.js'

const LOGS = join(FIXTURES, 'trainer-logs')

/**
 * The summary's warnings after `changes` (SQL run on the loaded raw events, to make a case the fixtures lack); the
 * metric views are made again after them, as some are materialized.
 */
async function warningsOf(inputs: RunInput[], ...changes: string[]): Promise<string[]> {
  const a = await Analysis.open(inputs)
  try {
    for (const sql of changes) await a.db.run(sql)
    if (changes.length > 0) await createMetricViews(a.db)
    return (await a.summary()).warnings
  } finally {
    a.close()
  }
}

describe('warnings about the evidence itself', () => {
  it('steps printed in stdout that the wandb history lacks', async () => {
    const w = await warningsOf([{path: GRPO_RUN, stdout: join(LOGS, 'training_p30.log')}])
    expect(w).toContain(
      '66 step(s) appear in stdout but not in the wandb history: 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, … (56 more)',
    )
  })

  it('an HF Trainer run: printed steps are compared with its train/global_step, not with wandb’s _step', async () => {
    expect((await warningsOf([{path: hfWandbRun()}])).filter((x) => x.includes('appear in stdout'))).toEqual([])
    expect((await warningsOf([{path: hfWandbRun({skip: 15})}])).filter((x) => x.includes('appear in stdout'))).toEqual([
      '1 step(s) appear in stdout but not in the wandb history: 15',
    ])
  })

  it('the samples of a step the log was cut off inside', async () => {
    const w = await warningsOf([{path: GRPO_RUN, stdout: join(LOGS, 'training_p28.log')}])
    expect(w).toContain(
      '5 sample(s) of step 3, which the log was cut off inside, are left out of the per-dataset and per-step figures',
    )
  })

  it('per-sample events that name no dataset', async () => {
    const w = await warningsOf(
      [{path: GRPO_RUN}],
      "UPDATE samples SET source = NULL WHERE step = 2 AND split = 'train'",
    )
    expect(w).toContain(
      '8 of 276 per-sample events name no dataset (failed executions print no source=): per-dataset counts come from the step tallies where printed; these events still count toward judge and cost',
    )
  })

  it('judge verdicts printed for fewer calls than the judge made', async () => {
    // verdicts kept for steps 1–20 only; the trainer's last printed counters say 248 calls
    const w = await warningsOf(
      [{path: GRPO_RUN}],
      'UPDATE samples SET judge_status = NULL WHERE step > 20',
      'DELETE FROM judge_events WHERE step > 20',
    )
    expect(w.filter((x) => x.startsWith('judge verdicts'))).toEqual([
      "judge verdicts are printed for only 175 of 248 judge calls: judge figures come from the trainer's printed counters",
    ])
  })

  it('the summaries of several runs at once are each run’s own summary', async () => {
    const inputs = [
      {path: GRPO_RUN},
      {path: join(LOGS, 'training_p30.log')},
      {path: GRPO_RUN, stdout: join(LOGS, 'training_p28.log')},
    ]
    const a = await Analysis.open(inputs)
    try {
      const all = await a.summaries()
      expect(all.map((s) => s.run.id)).toEqual(['ieqh524y', 'training_p30', 'ieqh524y'])
      expect(all).toEqual([await a.summary(0), await a.summary(1), await a.summary(2)])
      expect(all[2].warnings).toContain(
        '5 sample(s) of step 3, which the log was cut off inside, are left out of the per-dataset and per-step figures',
      )
      expect(all[0].warnings.some((x) => x.includes('cut off inside'))).toBe(false)
    } finally {
      a.close()
    }
  })
})

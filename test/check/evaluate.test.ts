import {describe, expect, it} from 'vitest'
import {checkRun, figureValue} from '../../src/check/evaluate.js'
import {parseRule} from '../../src/check/rules.js'
import type {Summary} from '../../src/metrics/types.js'
import {RUN_A} from '../charts/fixtures.js'

const s: Summary = {
  ...RUN_A.summary,
  datasets: [
    ...RUN_A.summary.datasets,
    {
      ...RUN_A.summary.datasets[0],
      split: 'val',
      source: 'openai/gsm8k',
      correct: null,
      count: null,
      accuracy: null,
      ci_low: null,
      ci_high: null,
    },
  ],
  checks: [{metric: 'dataset/math/accuracy', step: 3, logged: 50, recomputed: 25}],
  warnings: ['one', 'two'],
  diagnosis: [...RUN_A.summary.diagnosis, {...RUN_A.summary.diagnosis[0], kind: 'dataset_gap', severity: 'notice'}],
}

describe('figureValue', () => {
  it('reads every figure a rule can name from the summary', () => {
    expect(figureValue(s, 'judge.success_rate')).toBe(0.97)
    expect(figureValue(s, 'judge.parse_failure_rate')).toBe(0.018)
    expect(figureValue(s, 'judge.api_failure_rate')).toBe(0.012)
    expect(figureValue(s, 'cost.total_cost')).toBe(s.cost.total_cost)
    expect(figureValue(s, 'cost.avg_cost_per_sample')).toBe(s.cost.avg_cost_per_sample)
    expect(figureValue(s, 'checks.count')).toBe(1)
    expect(figureValue(s, 'warnings.count')).toBe(2)
    // notices are not alerts
    expect(figureValue(s, 'alerts.count')).toBe(1)
    expect(figureValue(s, 'train.accuracy')).toBe(s.splits.find((x) => x.split === 'train')!.accuracy)
    expect(figureValue(s, 'val.gsm8k.accuracy')).toBe(
      s.datasets.find((d) => d.split === 'val' && d.source === 'gsm8k')!.accuracy,
    )
  })

  it('is null for a figure the run does not have', () => {
    expect(figureValue(s, 'val.squad.accuracy')).toBeNull()
    expect(figureValue(s, 'val.openai/gsm8k.accuracy')).toBeNull()
    expect(figureValue({...s, splits: []}, 'val.accuracy')).toBeNull()
    expect(figureValue({...s, judge: {...s.judge, success_rate: null}}, 'judge.success_rate')).toBeNull()
  })
})

describe('checkRun', () => {
  const rules = ['judge.success_rate >= 0.9', 'alerts.count == 0', 'val.squad.accuracy > 1'].map((r) => parseRule(r))

  it('gives each rule a status; unknown fails the run unless allowed', () => {
    const r = checkRun(s, 'runs/a', rules, false)
    expect(r).toMatchObject({run: s.run.id, dir: 'runs/a', passed: false})
    expect(r.rules.map((x) => x.status)).toEqual(['pass', 'fail', 'unknown'])
    expect(r.rules[1]).toEqual({
      rule: 'alerts.count == 0',
      figure: 'alerts.count',
      op: '==',
      threshold: 0,
      value: 1,
      status: 'fail',
    })
    expect(checkRun({...s, diagnosis: []}, 'runs/a', rules, false).passed).toBe(false)
    expect(checkRun({...s, diagnosis: []}, 'runs/a', rules, true).passed).toBe(true)
    expect(checkRun(s, 'runs/a', rules, true).passed).toBe(false)
  })
})

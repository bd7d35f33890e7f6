import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {Analysis} from '../../src/analysis/analysis.js'
import {paretoFrontier} from '../../src/metrics/efficiency.js'
import {type ConstructedSample, grpoLog} from '../helpers/grpo-log.js'

const s = (source: string, correctness: number, executorCost: number, judgeCost: number): ConstructedSample => ({
  source,
  correctness,
  executorCost,
  judgeCost,
})

// Step costs and correct answers chosen so the answer is known: cost per correct = 0.004/1, 0.003/2, 0.002/2, 0.004/0, 0.001/1.
const STEPS: ConstructedSample[][] = [
  [s('gsm8k', 1, 0.001, 0.001), s('gsm8k', 0, 0.001, 0.001)],
  [s('math', 1, 0.001, 0.0005), s('math', 1, 0.001, 0.0005)],
  [s('gsm8k', 1, 0.0005, 0.0005), s('math', 1, 0.0005, 0.0005)],
  [s('math', 0, 0.001, 0.001), s('math', 0.7, 0.001, 0.001)],
  [s('gsm8k', 1, 0.0003, 0.0002), s('gsm8k', 0.2, 0.0003, 0.0002)],
]

function writeLog(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runlog-eff-'))
  const file = join(dir, 'constructed.log')
  writeFileSync(file, grpoLog(STEPS))
  return file
}

describe('efficiency on a run whose best step is known by construction', () => {
  it('finds the lowest cost per correct answer, excluding steps without a correct answer', async () => {
    const a = await Analysis.open([{path: writeLog()}])
    try {
      const e = await a.efficiency()
      expect(e.steps.map((x) => x.step)).toEqual([1, 2, 3, 4, 5])
      const expected = [0.004 / 1, 0.003 / 2, 0.002 / 2, null, 0.001 / 1]
      e.steps.forEach((x, i) => {
        if (expected[i] === null) expect(x.cost_per_correct).toBeNull()
        else expect(x.cost_per_correct).toBeCloseTo(expected[i], 12)
      })
      expect(e.steps.map((x) => x.correct)).toEqual([1, 2, 2, 0, 1])
      // steps 3 and 5 tie at $0.001 per correct answer: the earliest wins
      expect(e.best?.step).toBe(3)
      expect(e.best?.cost).toBeCloseTo(0.002, 12)
      // cumulative cost rises every step and step accuracy is 50, 100, 100, 0, 50 %: step 2 reaches 100 % for less
      // than step 3, so only steps 1 and 2 are not beaten
      expect(e.pareto.map((p) => p.step)).toEqual([1, 2])
      expect(e.pareto[1].cumulative_cost!).toBeCloseTo(0.007, 12)
    } finally {
      a.close()
    }
  })

  it('--window smooths over N steps (sums of cost over sums of correct)', async () => {
    const a = await Analysis.open([{path: writeLog()}])
    try {
      const e = await a.efficiency(0, 2)
      // step 4 over steps 3–4: (0.002 + 0.004) / (2 + 0) = 0.003; step 5 over 4–5: 0.005 / 1
      expect(e.steps[3].cost_per_correct!).toBeCloseTo(0.003, 12)
      expect(e.steps[4].cost_per_correct!).toBeCloseTo(0.005, 12)
      expect(e.best?.step).toBe(3)
      // step 3 over steps 2–3: (0.003 + 0.002) / (2 + 2)
      expect(e.best!.cost_per_correct).toBeCloseTo(0.005 / 4, 12)
    } finally {
      a.close()
    }
  })

  it('the Pareto frontier keeps steps that no other step beats on both axes', () => {
    const mk = (step: number, cumulative_cost: number, accuracy: number) => ({
      step,
      cost: 0,
      correct: 0,
      samples: 0,
      accuracy,
      cost_per_correct: null,
      cumulative_cost,
    })
    const front = paretoFrontier([mk(1, 1, 50), mk(2, 2, 40), mk(3, 3, 70), mk(4, 3, 70), mk(5, 4, 65)])
    expect(front.map((p) => p.step)).toEqual([1, 3, 4])
  })
})

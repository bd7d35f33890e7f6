import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {RunDatabase} from '../../src/engine/run-database.js'
import {metricSql} from '../../src/metrics/metric-sql.js'
import {splitStatements} from '../../src/metrics/metric-views.js'
import {wilsonPercent} from '../helpers/wilson.js'

// The diagnosis SQL (09_diagnosis.sql) on hand-made figures: the views it reads (step_judge, judge_figures,
// step_datasets, dataset_figures) are tables here, so each rule can be tested at its edges.

interface StepJudge {
  step: number
  calls: number
  success: number
  parse?: number
}
interface StepDataset {
  step: number
  split: 'train' | 'val'
  source: string
  correct: number
  count: number
}

let db: RunDatabase

beforeEach(async () => {
  db = await RunDatabase.open()
  await db.run(`CREATE TABLE step_judge (run_id VARCHAR, step BIGINT, calls BIGINT, success BIGINT,
                                         parse_failures BIGINT, api_failures BIGINT, success_rate DOUBLE)`)
  await db.run(`CREATE TABLE judge_figures (run_id VARCHAR, calls BIGINT, success BIGINT, parse_failures BIGINT,
                                            api_failures BIGINT, success_rate DOUBLE)`)
  await db.run(`CREATE TABLE step_datasets (run_id VARCHAR, step BIGINT, split VARCHAR, source VARCHAR,
                                            correct BIGINT, count BIGINT)`)
  await db.run(`CREATE TABLE dataset_figures (run_id VARCHAR, split VARCHAR, source VARCHAR, correct BIGINT,
                                              count BIGINT, accuracy DOUBLE, ci_low DOUBLE, ci_high DOUBLE)`)
  for (const file of ['00_wilson.sql', '09_diagnosis.sql'])
    for (const statement of splitStatements(metricSql(file))) await db.run(statement)
})
afterEach(() => db.close())

async function judge(steps: StepJudge[]): Promise<void> {
  for (const s of steps) {
    const parse = s.parse ?? 0
    const api = s.calls - s.success - parse
    const rate = s.success / s.calls
    await db.run(`INSERT INTO step_judge VALUES ('r', ${s.step}, ${s.calls}, ${s.success}, ${parse}, ${api}, ${rate})`)
  }
  const calls = steps.reduce((n, s) => n + s.calls, 0)
  const success = steps.reduce((n, s) => n + s.success, 0)
  const parse = steps.reduce((n, s) => n + (s.parse ?? 0), 0)
  const api = calls - success - parse
  await db.run(`INSERT INTO judge_figures VALUES ('r', ${calls}, ${success}, ${parse}, ${api}, ${success / calls})`)
}

async function datasets(rows: StepDataset[]): Promise<void> {
  for (const r of rows) {
    const values = `'r', ${r.step}, '${r.split}', '${r.source}', ${r.correct}, ${r.count}`
    await db.run(`INSERT INTO step_datasets VALUES (${values})`)
  }
  const totals = new Map<string, {split: string; source: string; correct: number; count: number}>()
  for (const r of rows) {
    const t = totals.get(`${r.split}/${r.source}`) ?? {split: r.split, source: r.source, correct: 0, count: 0}
    t.correct += r.correct
    t.count += r.count
    totals.set(`${r.split}/${r.source}`, t)
  }
  for (const t of totals.values()) {
    const {ci_low, ci_high} = wilsonPercent(t.correct, t.count)
    await db.run(`INSERT INTO dataset_figures VALUES ('r', '${t.split}', '${t.source}', ${t.correct}, ${t.count},
                  ${(100 * t.correct) / t.count}, ${ci_low}, ${ci_high})`)
  }
}

const diagnosis = (threshold = 0.8, window = 5) =>
  db.query(`SELECT kind, severity, split, source, from_step, to_step, value, threshold, message
            FROM diagnosis(${threshold}, ${window}) ORDER BY kind, split, source, from_step`)

const steps = (from: number, to: number) => Array.from({length: to - from + 1}, (_, i) => from + i)

describe('the corrected Wilson bound the judge_window test uses', () => {
  it('z_upper_tail is the normal quantile to 5e-4; wilson_high_z at z = 1.96 is wilson_high', async () => {
    const [r] = await db.query(`SELECT z_upper_tail(0.025) a, z_upper_tail(0.0005) b, z_upper_tail(0.5) c,
                                       wilson_high_z(7, 19, 1.959963984540054) - wilson_high(7, 19) d`)
    expect(Math.abs(Number(r.a) - 1.959964)).toBeLessThan(5e-4)
    expect(Math.abs(Number(r.b) - 3.290527)).toBeLessThan(5e-4)
    expect(Math.abs(Number(r.c))).toBeLessThan(5e-4)
    expect(Math.abs(Number(r.d))).toBeLessThan(1e-12)
  })
})

describe('judge_window', () => {
  it('finds an outage as one stretch, exactly, however the windows overlap it', async () => {
    await judge(steps(1, 40).map((step) => ({step, calls: 20, success: step >= 12 && step <= 19 ? 3 : 18})))
    const d = (await diagnosis()).filter((x) => x.kind === 'judge_window')
    expect(d).toHaveLength(1)
    expect(d[0]).toMatchObject({severity: 'alert', from_step: 12, to_step: 19, threshold: 0.8})
    expect(d[0].value).toBeCloseTo(0.15, 12)
    expect(d[0].message).toContain('mostly API failures (136 API, 0 parse)')
  })

  it('steps without judge calls neither count nor break a window', async () => {
    // the outage 10–16 has no judge calls at steps 12 and 13
    const withCalls = steps(1, 30).filter((s) => s !== 12 && s !== 13)
    await judge(withCalls.map((step) => ({step, calls: 20, success: step >= 10 && step <= 16 ? 2 : 18})))
    const d = (await diagnosis()).filter((x) => x.kind === 'judge_window')
    expect(d.map((x) => [x.from_step, x.to_step])).toEqual([[10, 16]])
  })

  it('two outages far apart are two alerts; the dominant failure kind is named', async () => {
    const outage = (step: number) => step <= 8 || step >= 50
    await judge(
      steps(1, 60).map((step) => ({
        step,
        calls: 20,
        success: outage(step) ? 4 : 19,
        parse: step >= 50 ? 14 : 0,
      })),
    )
    const d = (await diagnosis()).filter((x) => x.kind === 'judge_window')
    expect(d.map((x) => [x.from_step, x.to_step])).toEqual([
      [1, 8],
      [50, 60],
    ])
    expect(d[0].message).toContain('mostly API failures')
    expect(d[1].message).toContain('mostly parse failures (154 parse, 22 API)')
    const health = (await diagnosis()).filter((x) => x.kind === 'judge_health')
    expect(health).toHaveLength(1)
  })

  it('noise is not an outage: a healthy judge with a few bad steps, few calls in a window', async () => {
    // 88 % success, one step in 5 at 70 %: the windowed rates dip toward 80 %, never beyond chance
    await judge(steps(1, 50).map((step) => ({step, calls: 10, success: step % 5 === 0 ? 7 : 9})))
    expect(await diagnosis()).toEqual([])
    // a single failed call is not an outage either
    await db.run('DELETE FROM step_judge; DELETE FROM judge_figures')
    await judge(steps(1, 10).map((step) => ({step, calls: 1, success: step === 5 ? 0 : 1})))
    expect(await diagnosis()).toEqual([])
  })

  it('a single failed call at the very start of a run is not an outage (the first windows hold fewer calls)', async () => {
    await judge(steps(1, 50).map((step) => ({step, calls: 1, success: step === 1 ? 0 : 1})))
    expect(await diagnosis()).toEqual([])
  })

  it('a mild but long outage is one alert, though no single window is beyond chance', async () => {
    // 75 % from step 40 to 79 against a 0.8 threshold: a 5-step window (120 of 160) could be chance, 40 steps cannot
    await judge(steps(1, 100).map((step) => ({step, calls: 32, success: step >= 40 && step <= 79 ? 24 : 30})))
    const d = (await diagnosis()).filter((x) => x.kind === 'judge_window')
    expect(d.map((x) => [x.from_step, x.to_step])).toEqual([[40, 79]])
    expect(d[0].message).toContain('320 of 1280 calls failed')
  })

  it('chance among many windows is not an outage: 4 failures in 5 single-call steps of 300', async () => {
    // a 12 %-failing judge makes such a cluster somewhere in a long run; the test over a run's windows allows for it
    const failed = (step: number) => step % 9 === 0 || [100, 101, 103, 104].includes(step)
    await judge(steps(1, 300).map((step) => ({step, calls: 1, success: failed(step) ? 0 : 1})))
    expect((await diagnosis()).filter((x) => x.kind === 'judge_window')).toEqual([])
    // the same cluster, but 4 calls a step all failing, is an outage
    await db.run('DELETE FROM step_judge; DELETE FROM judge_figures')
    await judge(steps(1, 300).map((step) => ({step, calls: 4, success: [100, 101, 102].includes(step) ? 0 : 4})))
    const d = (await diagnosis()).filter((x) => x.kind === 'judge_window')
    expect(d.map((x) => [x.from_step, x.to_step])).toEqual([[100, 102]])
  })

  it('the threshold and the window are parameters', async () => {
    await judge(steps(1, 30).map((step) => ({step, calls: 40, success: step >= 10 && step <= 12 ? 26 : 38})))
    // 65 % for three steps: below 0.8 (and beyond chance over 3 steps, not over 10 mostly healthy ones)
    const windows = async (threshold: number, window: number) =>
      (await diagnosis(threshold, window)).filter((x) => x.kind === 'judge_window').map((x) => [x.from_step, x.to_step])
    expect(await windows(0.8, 3)).toEqual([[10, 12]])
    expect(await windows(0.8, 10)).toEqual([])
    expect(await windows(0.6, 3)).toEqual([])
  })
})

describe('dataset_gap', () => {
  it('names the weakest dataset of a split when its interval and the strongest one’s do not overlap', async () => {
    await datasets([
      {step: 1, split: 'train', source: 'math', correct: 40, count: 200},
      {step: 1, split: 'train', source: 'gsm8k', correct: 150, count: 200},
      {step: 1, split: 'train', source: 'mmlu', correct: 100, count: 200},
      // validation: 1 of 6 against 5 of 6 — within chance
      {step: 1, split: 'val', source: 'math', correct: 1, count: 6},
      {step: 1, split: 'val', source: 'gsm8k', correct: 5, count: 6},
    ])
    const d = (await diagnosis()).filter((x) => x.kind === 'dataset_gap')
    expect(d).toHaveLength(1)
    expect(d[0]).toMatchObject({severity: 'notice', split: 'train', source: 'math', threshold: null})
    expect(d[0].value).toBeCloseTo(55, 9)
    expect(d[0].message).toMatch(/^train: math is the weakest dataset, 55\.0 pp behind gsm8k /)
    expect(d[0].message).toContain('(20.0 % of 200 vs 75.0 % of 200;')
  })

  it('has nothing to say about a split with one dataset', async () => {
    await datasets([{step: 1, split: 'train', source: 'math', correct: 1, count: 200}])
    expect(await diagnosis()).toEqual([])
  })
})

describe('dataset_trend', () => {
  it('training: falling beyond chance is an alert, rising a notice, flat nothing', async () => {
    const rows: StepDataset[] = []
    for (const step of steps(1, 40)) {
      const late = step > 30
      const early = step <= 10
      rows.push({step, split: 'train', source: 'falls', correct: early ? 8 : late ? 3 : 6, count: 10})
      rows.push({step, split: 'train', source: 'rises', correct: early ? 3 : late ? 8 : 5, count: 10})
      rows.push({step, split: 'train', source: 'flat', correct: step % 2 === 0 ? 5 : 6, count: 10})
    }
    await datasets(rows)
    const d = (await diagnosis()).filter((x) => x.kind === 'dataset_trend')
    expect(d.map((x) => [x.source, x.severity, x.from_step, x.to_step])).toEqual([
      ['falls', 'alert', 1, 40],
      ['rises', 'notice', 1, 40],
    ])
    expect(d[0].value).toBeCloseTo(-50, 9)
    expect(d[0].message).toContain('train falls: accuracy fell from 80.0 % (80/100) in the first quarter of the steps')
    expect(d[0].message).toContain('to 30.0 % (30/100) in the last')
  })

  it('validation: the latest evaluation fell from the best beyond the intervals', async () => {
    const evals: Array<[number, number]> = [
      [10, 80],
      [20, 85],
      [30, 60],
      [40, 40],
    ]
    await datasets([
      ...evals.map(([step, correct]) => ({step, split: 'val' as const, source: 'gsm8k', correct, count: 100})),
      // a small dataset's drop is within chance
      ...evals.map(([step, correct]) => ({
        step,
        split: 'val' as const,
        source: 'mmlu',
        correct: Math.round(correct / 20),
        count: 5,
      })),
    ])
    const d = (await diagnosis()).filter((x) => x.kind === 'dataset_trend')
    expect(d).toHaveLength(1)
    expect(d[0]).toMatchObject({severity: 'alert', split: 'val', source: 'gsm8k', from_step: 20, to_step: 40})
    expect(d[0].value).toBeCloseTo(-45, 9)
    expect(d[0].message).toContain('at step 20, to 40.0 % (40/100) at step 40, the latest evaluation')
  })
})

import {describe, expect, it} from 'vitest'
import {RunDatabase} from '../../src/engine/run-database.js'
import {metricSql} from '../../src/metrics/metric-sql.js'
import {splitStatements} from '../../src/metrics/metric-views.js'
import {runlogInProcess} from '../helpers/in-process-cli.js'
import {GRPO_RUN} from '../helpers/fixtures.js'
import {wilsonInterval, wilsonPercent} from '../helpers/wilson.js'

const close = (got: number | null, want: number, what: string) => {
  expect(got, what).not.toBeNull()
  expect(Math.abs((got as number) - want), `${what}: got ${got}, want ${want}`).toBeLessThanOrEqual(1e-9)
}

describe('the test helper itself: textbook Wilson intervals', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I (method 3, Wilson score).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [5, 10, 0.2366, 0.7634],
  ])('%i of %i: %f–%f', (k, n, lo, hi) => {
    const [l, h] = wilsonInterval(k, n)
    expect(l).toBeCloseTo(lo, 4)
    expect(h).toBeCloseTo(hi, 4)
  })
})

describe('the SQL Wilson interval (00_wilson.sql)', () => {
  it('equals an independent implementation to 1e-9, is NULL without a count', async () => {
    const db = await RunDatabase.open()
    try {
      for (const s of splitStatements(metricSql('00_wilson.sql'))) await db.run(s)
      const rows = await db.query(
        `SELECT k, n, wilson_low(k, n) AS lo, wilson_high(k, n) AS hi
         FROM range(0, 61) a(n), range(0, 61) b(k) WHERE k <= n ORDER BY n, k`,
      )
      expect(rows.length).toBeGreaterThan(1800)
      for (const r of rows) {
        const k = Number(r.k)
        const n = Number(r.n)
        if (n === 0) {
          expect(r.lo).toBeNull()
          expect(r.hi).toBeNull()
          continue
        }
        const [lo, hi] = wilsonInterval(k, n)
        close(r.lo as number, lo, `low ${k}/${n}`)
        close(r.hi as number, hi, `high ${k}/${n}`)
      }
      const big = await db.query(
        'SELECT wilson_low(48213, 99871) AS lo, wilson_high(48213, 99871) AS hi, wilson_low(NULL, 10) AS unknown',
      )
      const [lo, hi] = wilsonInterval(48213, 99871)
      close(big[0].lo as number, lo, 'low of a large count')
      close(big[0].hi as number, hi, 'high of a large count')
      expect(big[0].unknown).toBeNull()
    } finally {
      db.close()
    }
  })
})

interface Figure {
  split: string
  source?: string
  correct: number | null
  count: number | null
  accuracy: number | null
  ci_low: number | null
  ci_high: number | null
}

describe.concurrent('summarize and compare report the interval of every accuracy', () => {
  const expectIntervals = (figures: Figure[]) => {
    expect(figures.length).toBeGreaterThan(0)
    for (const d of figures) {
      const {ci_low, ci_high} = wilsonPercent(d.correct!, d.count!)
      close(d.ci_low, ci_low, `${d.split} ${d.source ?? 'all'} ci_low`)
      close(d.ci_high, ci_high, `${d.split} ${d.source ?? 'all'} ci_high`)
      expect(d.ci_low!).toBeLessThanOrEqual(d.accuracy!)
      expect(d.ci_high!).toBeGreaterThanOrEqual(d.accuracy!)
    }
  }

  it('summarize --json: per dataset and split, and overall per split', async () => {
    const r = await runlogInProcess(['summarize', GRPO_RUN, '--json'])
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout) as {datasets: Figure[]; splits: Figure[]}
    expectIntervals(out.datasets)
    expectIntervals(out.splits)
    expect(out.splits.map((s) => [s.split, s.correct, s.count])).toEqual([
      ['train', 127, 240],
      ['val', 22, 36],
    ])
  })

  it('a figure without a count has no interval (verl logs only a reward per dataset)', async () => {
    const r = await runlogInProcess([
      'summarize',
      'test/fixtures/trainer-logs/verl-ppo__dstack-configs__verl_demo.log',
      '--json',
    ])
    const out = JSON.parse(r.stdout) as {datasets: Figure[]; splits: Figure[]}
    expect(out.datasets[0]).toMatchObject({count: null, accuracy: null, ci_low: null, ci_high: null})
    expect(out.splits).toEqual([])
  })

  it('the terminal shows the accuracy with its interval', async () => {
    const r = await runlogInProcess(['summarize', GRPO_RUN])
    expect(r.stdout).toContain('43.8 % (32.3–55.9)')
    expect(r.stdout).toMatch(/train │ +127 │ +240 │ 52\.9 % \(46\.6–59\.1\)/)
  })

  it('compare --json: intervals per run, significant only when the first and last intervals do not overlap', async () => {
    const r = await runlogInProcess(['compare', GRPO_RUN, 'test/fixtures/trainer-logs/training_p30.log', '--json'])
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout) as {
      datasets: Array<{
        split: string
        source: string
        accuracy: Array<number | null>
        count: Array<number | null>
        ci_low: Array<number | null>
        ci_high: Array<number | null>
        significant: boolean
      }>
      splits: Array<{
        split: string
        accuracy: Array<number | null>
        count: Array<number | null>
        ci_low: Array<number | null>
        ci_high: Array<number | null>
        significant: boolean
      }>
    }
    for (const d of [...out.datasets, ...out.splits]) {
      expect(typeof d.significant).toBe('boolean')
      const known = d.count.map((n, i) =>
        n === null ? null : wilsonPercent(Math.round((d.accuracy[i]! * n) / 100), n),
      )
      const what = `${d.split} ${'source' in d ? String(d.source) : '(split)'}`
      known.forEach((w, i) => {
        if (w === null) expect([d.ci_low[i], d.ci_high[i]]).toEqual([null, null])
        else {
          close(d.ci_low[i], w.ci_low, `${what} run ${i} ci_low`)
          close(d.ci_high[i], w.ci_high, `${what} run ${i} ci_high`)
        }
      })
      const [a, b] = [known[0], known[known.length - 1]]
      expect(d.significant).toBe(a !== null && b !== null && (a.ci_high < b.ci_low || b.ci_high < a.ci_low))
    }
    // train hotpotqa: 55.3 % of 38 against 43.4 % of 106 — an 11.9 pp gap, but within chance
    expect(out.datasets.find((d) => d.split === 'train' && d.source === 'hotpotqa')!.significant).toBe(false)
    expect(out.splits.map((s) => s.split)).toEqual(['train', 'val'])
    // training_p30 has no validation: no interval, nothing to call significant
    expect(out.splits[1]).toMatchObject({ci_low: [expect.any(Number), null], significant: false})
  })
})

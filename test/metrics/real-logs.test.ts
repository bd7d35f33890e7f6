import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {Analysis} from '../../src/analysis/analysis.js'
import type {Summary} from '../../src/metrics/types.js'
import {FIXTURES} from '../helpers/fixtures.js'

const LOGS = join(FIXTURES, 'trainer-logs')

/** Each log is read into DuckDB once for the file: its tests only query the analysis. */
const opened = new Map<string, Promise<{analysis: Analysis; summary: Summary}>>()
function analysisOf(name: string): Promise<{analysis: Analysis; summary: Summary}> {
  let got = opened.get(name)
  if (!got) {
    got = Analysis.open([{path: join(LOGS, name)}]).then(async (analysis) => ({
      analysis,
      summary: await analysis.summary(),
    }))
    opened.set(name, got)
  }
  return got
}
afterAll(async () => {
  for (const got of opened.values()) (await got.catch(() => null))?.analysis.close()
})

/**
 * The per-dataset tallies a log prints after `📈 子数据集准确率:` (train), summed per dataset, read here with a plain
 * regex independent of runlog's parser. Percentages are never averaged: correct and total are summed.
 */
function summedTallies(text: string): Map<string, {correct: number; total: number}> {
  const sums = new Map<string, {correct: number; total: number}>()
  let inTally = false
  for (const line of text.split('\n')) {
    if (line.includes('📈 子数据集准确率')) {
      inTally = true
      continue
    }
    const m = /^\s+(\w+)\s*:\s*(\d+)\/\s*(\d+)\s*=/.exec(line)
    if (inTally && m) {
      const s = sums.get(m[1]) ?? {correct: 0, total: 0}
      s.correct += Number(m[2])
      s.total += Number(m[3])
      sums.set(m[1], s)
    } else if (inTally && line.trim() !== '') inTally = false
  }
  return sums
}

describe.each(['training_p28.log', 'training_p29.log', 'training_p30.log'])('the real GRPO log %s', (name) => {
  const text = readFileSync(join(LOGS, name), 'utf8')

  it('per-dataset train accuracy is the summed step tallies', async () => {
    const {summary: s} = await analysisOf(name)
    const tallies = summedTallies(text)
    expect(tallies.size).toBeGreaterThan(0)
    const train = s.datasets.filter((d) => d.split === 'train')
    expect(train.map((d) => d.source).sort()).toEqual([...tallies.keys()].sort())
    for (const d of train) {
      const t = tallies.get(d.source)!
      expect([d.correct, d.count], d.source).toEqual([t.correct, t.total])
      expect(d.accuracy).toBeCloseTo((100 * t.correct) / t.total, 12)
    }
  })

  it('counts every API request, and says the costs are unknown because they are all 0', async () => {
    const {summary: s} = await analysisOf(name)
    const requests = (text.match(/HTTP Request: POST \S+ "HTTP\/1\.1 200 OK"/g) ?? []).length
    expect(requests).toBeGreaterThan(0)
    expect(s.cost.api_calls).toBe(requests)
    expect(s.cost.executor_calls! + s.cost.judge_calls!).toBe(requests)
    expect(s.cost.total_cost).toBeNull()
    expect(s.cost.avg_cost_per_sample).toBeNull()
    expect(s.warnings).toContain('every cost in this run is reported as 0: cost figures are unknown, not zero')
  })
})

it('p30: 2,403 API requests and 95 complete per-step tallies', async () => {
  const {analysis: a, summary: s} = await analysisOf('training_p30.log')
  expect(s.cost.api_calls).toBe(2403)
  const [row] = await a.db.query(
    `SELECT count(DISTINCT step)::INT AS n FROM step_tallies WHERE counted AND split = 'train'`,
  )
  expect(row.n).toBe(95)
  expect(s.warnings.some((w) => /ends inside step 96/.test(w))).toBe(true)
})

import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {parseTrainerLogFile, TrainerParser} from '../../../src/readers/trainer/trainer-parser.js'
import type {SampleRow, TrainerEvents} from '../../../src/readers/trainer/types.js'
import {samplesFromWandbTables} from '../../../src/readers/trainer/wandb-table-samples.js'
import {countMatching, groupBy, rawLines, readRun, RUN_DIR, RUN_FILE, SAMPLE} from './helpers.js'
import type {ExpectedDataset as PerSource} from '../../helpers/expected-run.js'

const expected = JSON.parse(readFileSync(join(SAMPLE, 'expected.json'), 'utf8')) as {
  train: Record<string, PerSource>
  val: Record<string, PerSource>
  judge: {
    calls: number
    success: number
    parse_failures: number
    api_failures: number
    correct: number
    incorrect: number
  }
  cost: {total_cost: number; samples: number; executor_calls: number; judge_calls: number}
  steps: Array<{step: number; samples: number; correct: number; cost: number}>
  last_step: number
}

/** Per-dataset figures the way specs/metrics.md defines them, from sample rows. */
function perSource(samples: SampleRow[], split: 'train' | 'val'): Record<string, PerSource> {
  const out: Record<string, PerSource> = {}
  for (const [src, rows] of groupBy(
    samples.filter((s) => s.split === split),
    (s) => String(s.source),
  )) {
    const correct = rows.filter((r) => r.correct).length
    out[src] = {
      correct,
      count: rows.length,
      accuracy: (100 * correct) / rows.length,
      avg_reward: rows.reduce((a, r) => a + r.reward!, 0) / rows.length,
      avg_cost: rows.reduce((a, r) => a + r.cost!, 0) / rows.length,
    }
  }
  return out
}

function expectPerSource(got: Record<string, PerSource>, want: Record<string, PerSource>): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort())
  for (const [src, w] of Object.entries(want)) {
    const g = got[src]
    expect({src, correct: g.correct, count: g.count}).toEqual({src, correct: w.correct, count: w.count})
    expect(g.accuracy).toBeCloseTo(w.accuracy, 9)
    expect(g.avg_reward).toBeCloseTo(w.avg_reward, 12)
    expect(g.avg_cost).toBeCloseTo(w.avg_cost, 12)
  }
}

describe('grpo-sample train.log', () => {
  let e: TrainerEvents
  let lines: string[]
  beforeAll(async () => {
    e = await parseTrainerLogFile(join(SAMPLE, 'train.log'))
    lines = rawLines(join(SAMPLE, 'train.log'))
  })

  it('finds every step, sample, judge evaluation and API call the log prints', () => {
    expect(e.lines).toBe(lines.length)
    expect(e.steps.map((s) => s.step)).toEqual(Array.from({length: expected.last_step}, (_, i) => i + 1))
    expect(e.steps.every((s) => s.complete && s.max_step === 30)).toBe(true)
    // one sample per result line: `正确性:` (judged) or `执行失败` (execution failed)
    const judged = countMatching(lines, /\] \S+ 正确性: /)
    const failed = countMatching(lines, /\] ❌ 执行失败 \| 奖励:/)
    expect(e.samples.length).toBe(judged + failed)
    expect(e.samples.filter((s) => s.exec_failed).length).toBe(failed)
    expect(e.samples.length).toBe(expected.cost.samples)
    expect(e.apiCalls.length).toBe(countMatching(lines, /^HTTP Request: POST /))
    expect(e.judgeEvents.length).toBe(countMatching(lines, /^  📋 使用数据集专属Prompt/))
  })

  it('reproduces the per-dataset train and val figures of expected.json', () => {
    expect(e.samples.every((s) => s.source !== null)).toBe(true)
    expectPerSource(perSource(e.samples, 'train'), expected.train)
    expectPerSource(perSource(e.samples, 'val'), expected.val)
  })

  it('attributes failed samples to their dataset through the other rollout of the same problem', () => {
    const failed = e.samples.filter((s) => s.exec_failed)
    expect(failed.length).toBe(16)
    for (const f of failed) {
      expect(f.source_from).toBe('sibling')
      const sib = e.samples.find((s) => s.step === f.step && s.group_id === f.group_id && s !== f)!
      expect(sib.source).toBe(f.source)
    }
  })

  it('reproduces the judge figures', () => {
    const by = (st: string) => e.judgeEvents.filter((j) => j.status === st).length
    expect(e.judgeEvents.length).toBe(expected.judge.calls)
    expect(by('success')).toBe(expected.judge.success)
    expect(by('parse_failure')).toBe(expected.judge.parse_failures)
    expect(by('api_failure')).toBe(expected.judge.api_failures)
    expect(by('parse_failure')).toBe(countMatching(lines, /无法解析LLM Judge响应/))
    expect(by('api_failure')).toBe(countMatching(lines, /LLM Judge调用失败/))
    expect(e.judgeEvents.filter((j) => j.verdict === 'correct').length).toBe(expected.judge.correct)
    expect(e.judgeEvents.filter((j) => j.verdict === 'incorrect').length).toBe(expected.judge.incorrect)
    expect(e.judgeEvents.filter((j) => j.status !== 'success').every((j) => j.verdict === null)).toBe(true)
  })

  it('reproduces the cost figures from the per-call Cost lines', () => {
    const total = e.apiCalls.reduce((a, c) => a + c.cost!, 0)
    expect(total).toBeCloseTo(expected.cost.total_cost, 12)
    expect(e.apiCalls.filter((c) => c.role === 'executor').length).toBe(expected.cost.executor_calls)
    expect(e.apiCalls.filter((c) => c.role === 'judge').length).toBe(expected.cost.judge_calls)
    expect(e.apiCalls.every((c) => c.total_tokens === c.input_tokens! + c.output_tokens!)).toBe(true)
    // every call is attributed to a sample: Σ sample cost = Σ call cost
    expect(e.samples.reduce((a, s) => a + s.cost!, 0)).toBeCloseTo(total, 12)
    expect(e.samples.every((s) => s.cost_from === 'api_calls')).toBe(true)
  })

  it('reproduces the per-step train samples, correct answers and cost', () => {
    for (const want of expected.steps) {
      const rows = e.samples.filter((s) => s.step === want.step && s.split === 'train')
      expect({step: want.step, samples: rows.length, correct: rows.filter((r) => r.correct).length}).toEqual({
        step: want.step,
        samples: want.samples,
        correct: want.correct,
      })
      expect(rows.reduce((a, r) => a + r.cost!, 0)).toBeCloseTo(want.cost, 12)
    }
  })

  it('counts each step tally once although the collector prints it again', () => {
    const tallyBlocks = countMatching(lines, /^📈 子数据集准确率:/)
    const summaryBlocks = countMatching(lines, /^📊 数据集统计摘要:/)
    expect(new Set(e.stepTallies.filter((t) => t.kind === 'step_tally').map((t) => t.step)).size).toBe(tallyBlocks)
    expect(
      new Set(e.stepTallies.filter((t) => t.kind === 'collector_summary').map((t) => `${t.step}|${t.split}`)).size,
    ).toBe(summaryBlocks)
    const counted = e.stepTallies.filter((t) => t.counted)
    // counted tallies sum to the samples of each split
    expect(counted.filter((t) => t.split === 'train').reduce((a, t) => a + t.total, 0)).toBe(240)
    expect(counted.filter((t) => t.split === 'val').reduce((a, t) => a + t.total, 0)).toBe(36)
    expect(e.stepTallies.filter((t) => t.kind === 'step_tally').every((t) => t.counted)).toBe(true)
    expect(e.warnings.filter((w) => w.kind === 'tally_mismatch')).toEqual([])
  })

  it('keeps the collectors’ own claims, including the cost summary that divides by API calls', () => {
    const judge = e.collectorSummaries.filter((c) => c.kind === 'judge')
    expect(new Set(judge.filter((c) => c.key === 'total_calls').map((c) => c.value))).toEqual(new Set([77, 163, 248]))
    const at10 = Object.fromEntries(judge.filter((c) => c.step === 10).map((c) => [c.key, c.value]))
    expect(at10).toMatchObject({
      total_calls: 77,
      success: 70,
      parse_failure: 3,
      api_failure: 4,
      correct: 32,
      incorrect: 38,
    })
    const cost10 = Object.fromEntries(
      e.collectorSummaries.filter((c) => c.kind === 'cost' && c.step === 10).map((c) => [c.key, c.value]),
    )
    expect(cost10).toEqual({
      total_cost: 0.0841,
      samples: 239,
      executor_calls: 162,
      judge_calls: 77,
      avg_cost_per_sample: 0.000352,
    })
    // the claim matches the raw events up to step 10
    const upTo10 = e.apiCalls.filter((c) => c.step! <= 10 && c.split === 'train')
    expect(upTo10.filter((c) => c.role === 'judge').length).toBe(77)
    expect(upTo10.filter((c) => c.role === 'executor').length).toBe(162)
    expect(e.collectorSummaries.filter((c) => c.kind === 'cost').length).toBe(5 * countMatching(lines, /^💰 成本统计:/))
  })

  it('records the validation accuracy at the step it ran', () => {
    const withVal = e.steps.filter((s) => s.val_total !== null)
    expect(withVal.map((s) => s.step)).toEqual([10, 20, 30])
    for (const s of withVal) {
      const rows = e.samples.filter((r) => r.step === s.step && r.split === 'val')
      expect(rows.length).toBe(s.val_total)
      expect(rows.filter((r) => r.correct).length).toBe(s.val_correct)
    }
  })
})

describe('grpo-sample wandb Tables', () => {
  const run = readRun(RUN_FILE)
  const {samples, warnings} = samplesFromWandbTables(run.tableRefs, join(RUN_DIR, 'files'))

  it('reads every table the history points to', () => {
    expect(run.tableRefs.length).toBe(33)
    expect(warnings).toEqual([])
    expect(samples.length).toBe(expected.cost.samples)
  })

  it('reproduces expected.json from the tables', () => {
    expectPerSource(perSource(samples, 'train'), expected.train)
    expectPerSource(perSource(samples, 'val'), expected.val)
    const st = (s: string) => samples.filter((r) => r.judge_status === s).length
    expect([st('success'), st('parse_failure'), st('api_failure')]).toEqual([
      expected.judge.success,
      expected.judge.parse_failures,
      expected.judge.api_failures,
    ])
    expect(samples.filter((r) => r.verdict === 'correct').length).toBe(expected.judge.correct)
    expect(samples.reduce((a, r) => a + r.cost!, 0)).toBeCloseTo(expected.cost.total_cost, 12)
    expect(samples.reduce((a, r) => a + r.executor_calls!, 0)).toBe(expected.cost.executor_calls)
    expect(samples.reduce((a, r) => a + r.judge_calls!, 0)).toBe(expected.cost.judge_calls)
  })

  it('agrees with train.log sample by sample', async () => {
    const e = await parseTrainerLogFile(join(SAMPLE, 'train.log'))
    const key = (s: SampleRow) => `${s.step}|${s.split}|${s.sample_id}`
    const fromLog = new Map(e.samples.map((s) => [key(s), s]))
    expect(fromLog.size).toBe(samples.length)
    for (const t of samples) {
      const s = fromLog.get(key(t))!
      expect(s, key(t)).toBeDefined()
      const pick = (r: SampleRow) => ({
        id: key(r),
        source: r.source,
        problem_type: r.problem_type,
        correctness: r.correctness,
        reward: r.reward,
        executor_calls: r.executor_calls,
        judge_calls: r.judge_calls,
        judge_status: r.judge_status,
        verdict: r.verdict,
      })
      expect(pick(s)).toEqual(pick(t))
      expect(s.cost!).toBeCloseTo(t.cost!, 12)
    }
  })
})

describe('grpo-sample console inside the .wandb', () => {
  it('gives the same events as train.log', async () => {
    const {stdout} = readRun(RUN_FILE)
    const p = new TrainerParser({origin: 'wandb_console'})
    for (const l of stdout) p.push(l)
    const fromRun = p.finish()
    const fromLog = await parseTrainerLogFile(join(SAMPLE, 'train.log'))
    expect(stdout.length).toBe(rawLines(join(SAMPLE, 'train.log')).length)
    expect(fromRun.samples.length).toBe(276)
    const {bytes: _b, ...a} = fromLog
    expect(fromRun).toEqual(a)
  })
})

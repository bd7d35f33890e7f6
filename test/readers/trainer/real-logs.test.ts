import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseTrainerLogFile} from '../../../src/readers/trainer/trainer-parser.js'
import {countMatching, groupBy, LOGS, rawLines} from './helpers.js'

/**
 * Counts established by reading the logs with grep/awk (see the report):
 *   grep -c '📍 Step' · grep -c '📊 评估输入' · grep -c '\] ❌ 执行失败 | 奖励' · grep -c 'HTTP Request: POST' ·
 *   awk: first HTTP request after each `📋 使用数据集专属Prompt` line = judge call · grep -c '📈 子数据集准确率' ·
 *   awk: judge verdict = `判决: True/False` when printed, else graded score ≥ 0.9.
 */
const KNOWN = {
  'training_p28.log': {
    lines: 1388,
    steps: 3,
    complete: 2,
    judged: 17,
    failed: 0,
    http: 86,
    judge: 17,
    tallyBlocks: 2,
    tallyRows: 5,
    correctVerdicts: 3,
    incorrectVerdicts: 14,
    tracebacks: 0,
    metrics: 0,
  },
  'training_p29.log': {
    lines: 1442,
    steps: 4,
    complete: 3,
    judged: 17,
    failed: 1,
    http: 66,
    judge: 17,
    tallyBlocks: 3,
    tallyRows: 9,
    correctVerdicts: 10,
    incorrectVerdicts: 7,
    tracebacks: 0,
    metrics: 0,
  },
  'training_p30.log': {
    lines: 39858,
    steps: 96,
    complete: 95,
    judged: 537,
    failed: 33,
    http: 2403,
    judge: 537,
    tallyBlocks: 95,
    tallyRows: 235,
    correctVerdicts: 244,
    incorrectVerdicts: 293,
    tracebacks: 7,
    metrics: 19,
  },
} as const

for (const [file, k] of Object.entries(KNOWN)) {
  describe(file, async () => {
    const path = join(LOGS, file)
    const lines = rawLines(path)
    const e = await parseTrainerLogFile(path)

    it('counts steps, samples, API calls as the log prints them', () => {
      expect(e.lines).toBe(k.lines)
      expect(e.lines).toBe(lines.length)
      expect(e.steps.length).toBe(k.steps)
      expect(e.steps.length).toBe(countMatching(lines, /📍 Step \d+\/\d+/))
      expect(e.steps.filter((s) => s.complete).length).toBe(k.complete)
      expect(e.steps[e.steps.length - 1].complete).toBe(false)
      expect(e.warnings.some((w) => w.kind === 'incomplete' && w.message.includes(`step ${k.steps}`))).toBe(true)
      expect(e.samples.length).toBe(k.judged + k.failed)
      expect(e.samples.filter((s) => !s.exec_failed).length).toBe(countMatching(lines, /📊 评估输入 \(/))
      expect(e.samples.filter((s) => s.exec_failed).length).toBe(countMatching(lines, /\] ❌ 执行失败 \| 奖励/))
      expect(e.apiCalls.length).toBe(k.http)
      expect(e.apiCalls.length).toBe(countMatching(lines, /HTTP Request: POST/))
      expect(e.apiCalls.filter((c) => c.role === 'judge').length).toBe(k.judge)
      expect(e.apiCalls.filter((c) => c.role === 'executor').length).toBe(k.http - k.judge)
    })

    it('reads judge evaluations and verdicts', () => {
      expect(e.judgeEvents.length).toBe(k.judged)
      expect(e.judgeEvents.every((j) => j.status === 'success')).toBe(true)
      expect(e.judgeEvents.filter((j) => j.verdict === 'correct').length).toBe(k.correctVerdicts)
      expect(e.judgeEvents.filter((j) => j.verdict === 'incorrect').length).toBe(k.incorrectVerdicts)
      expect(e.judgeEvents.filter((j) => j.judge_bool !== null).length).toBe(
        countMatching(lines, /判决: (True|False)\s*$/),
      )
    })

    it('reads the per-dataset tallies, and the samples of every complete step agree with them', () => {
      expect(new Set(e.stepTallies.map((t) => t.step)).size).toBe(k.tallyBlocks)
      expect(e.stepTallies.length).toBe(k.tallyRows)
      expect(e.stepTallies.every((t) => t.kind === 'step_tally' && t.counted && t.split === 'train')).toBe(true)
      const tallied = new Set(e.stepTallies.map((t) => t.step))
      for (const [step, rows] of groupBy(
        e.samples.filter((s) => tallied.has(s.step)),
        (s) => String(s.step),
      )) {
        const fromSamples = [...groupBy(rows, (s) => String(s.source))].map(
          ([src, r]) => `${src}:${r.filter((x) => x.correct).length}/${r.length}`,
        )
        const fromTally = e.stepTallies
          .filter((t) => String(t.step) === step)
          .map((t) => `${t.source}:${t.correct}/${t.total}`)
        expect(fromSamples.sort(), `step ${step}`).toEqual(fromTally.sort())
      }
    })

    it('reports executor cost as printed (always 0 here) and no per-call cost', () => {
      expect(
        e.samples.filter((s) => !s.exec_failed).every((s) => s.reported_cost === 0 && s.cost_from === 'reported'),
      ).toBe(true)
      expect(e.apiCalls.every((c) => c.cost === null && c.total_tokens === null)).toBe(true)
    })

    it('keeps tracebacks as warnings and reads the Metrics block', () => {
      expect(e.warnings.filter((w) => w.kind === 'traceback').length).toBe(k.tracebacks)
      expect(e.warnings.filter((w) => w.kind === 'traceback').length).toBe(
        countMatching(lines, /^Traceback \(most recent call last\)/),
      )
      expect(new Set(e.stepMetrics.map((m) => m.step)).size).toBe(k.metrics)
      expect(new Set(e.stepMetrics.map((m) => m.step)).size).toBe(countMatching(lines, /^📊 Metrics:/))
    })
  })
}

describe('training_p30.log specifics', async () => {
  const e = await parseTrainerLogFile(join(LOGS, 'training_p30.log'))
  it('reads the API call glued to stray output (`22.0HTTP Request: …`, line 5109)', () => {
    expect(e.apiCalls.some((c) => c.line === 5109)).toBe(true)
  })
  it('attributes every failed sample to a dataset (sibling rollout or the step tally)', () => {
    const failed = e.samples.filter((s) => s.exec_failed)
    expect(failed.every((s) => s.source !== null)).toBe(true)
    expect(failed.some((s) => s.source_from === 'step_tally')).toBe(true)
  })
  it('reads the Metrics block of step 95', () => {
    const m = Object.fromEntries(e.stepMetrics.filter((r) => r.step === 95).map((r) => [r.key, r.value]))
    expect(m).toMatchObject({num_samples: 6, num_correct: 0, num_total: 6, avg_correctness_score: 0.1333})
  })
})

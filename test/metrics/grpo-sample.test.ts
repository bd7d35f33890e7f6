import {cpSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {Analysis, type RunInput} from '../../src/analysis/analysis.js'
import type {Summary} from '../../src/metrics/types.js'
import type {ExpectedRun} from '../helpers/expected-run.js'
import {GRPO_RUN, GRPO_SAMPLE} from '../helpers/fixtures.js'

const expected = JSON.parse(readFileSync(join(GRPO_SAMPLE, 'expected.json'), 'utf8')) as ExpectedRun

function close(actual: number | null, want: number, label: string): void {
  expect(actual, label).not.toBeNull()
  const rel = Math.abs(actual! - want) / Math.max(Math.abs(want), 1e-300)
  expect(rel, `${label}: ${actual} vs ${want}`).toBeLessThanOrEqual(1e-9)
}

async function analyse(inputs: RunInput[]) {
  const a = await Analysis.open(inputs)
  try {
    return {summary: await a.summary(), efficiency: await a.efficiency()}
  } finally {
    a.close()
  }
}

function expectDatasets(summary: Summary, opts: {countsOnly?: boolean} = {}): void {
  for (const split of ['train', 'val'] as const) {
    const want = expected[split]
    const got = summary.datasets.filter((d) => d.split === split)
    expect(got.map((d) => d.source).sort(), split).toEqual(Object.keys(want).sort())
    for (const d of got) {
      const w = want[d.source]
      expect(d.correct, `${split} ${d.source} correct`).toBe(w.correct)
      expect(d.count, `${split} ${d.source} count`).toBe(w.count)
      close(d.accuracy, w.accuracy, `${split} ${d.source} accuracy`)
      if (!opts.countsOnly) {
        close(d.avg_reward, w.avg_reward, `${split} ${d.source} avg_reward`)
        close(d.avg_cost, w.avg_cost, `${split} ${d.source} avg_cost`)
      }
    }
  }
}

function expectJudgeAndCost(summary: Summary): void {
  for (const [k, v] of Object.entries(expected.judge))
    close(summary.judge[k as keyof Summary['judge']] as number, v, `judge.${k}`)
  for (const [k, v] of Object.entries(expected.cost))
    close(summary.cost[k as keyof Summary['cost']] as number, v, `cost.${k}`)
  expect(summary.cost.api_calls).toBe(expected.cost.executor_calls + expected.cost.judge_calls)
}

function expectEfficiency(e: Awaited<ReturnType<typeof analyse>>['efficiency']): void {
  expect(e.best?.step).toBe(expected.efficiency.best_step)
  close(e.best!.cost_per_correct, expected.efficiency.best_cost_per_correct, 'best cost per correct')
  expect(e.steps.map((s) => s.step)).toEqual(expected.steps.map((s) => s.step))
  for (const [i, w] of expected.steps.entries()) {
    const s = e.steps[i]
    expect([s.samples, s.correct], `step ${w.step}`).toEqual([w.samples, w.correct])
    close(s.cost, w.cost, `step ${w.step} cost`)
    close(s.cost_per_correct, w.cost_per_correct, `step ${w.step} cost per correct`)
  }
}

describe('the GRPO sample run with known answers (expected.json)', () => {
  it('from the run directory alone: every figure, the best step and every mismatch', async () => {
    const {summary, efficiency} = await analyse([{path: GRPO_RUN}])
    expect(summary.run).toMatchObject({id: 'ieqh524y', state: expected.state, exit_code: 0, steps: 30})
    expectDatasets(summary)
    expect(summary.datasets.every((d) => d.origin === 'samples')).toBe(true)
    expectJudgeAndCost(summary)
    expectEfficiency(efficiency)
    expect(summary.checks).toEqual(
      expected.mismatches.map((m) => ({metric: m.metric, step: m.step, logged: m.logged, recomputed: m.recomputed})),
    )
    expect(summary.warnings.some((w) => /count API calls, not samples/.test(w))).toBe(true)
  })

  it('with --stdout train.log: the same figures', async () => {
    const {summary, efficiency} = await analyse([{path: GRPO_RUN, stdout: join(GRPO_SAMPLE, 'train.log')}])
    expectDatasets(summary)
    expectJudgeAndCost(summary)
    expectEfficiency(efficiency)
    expect(summary.checks.map((c) => `${c.metric}@${c.step}`)).toEqual(
      expected.mismatches.map((m) => `${m.metric}@${m.step}`),
    )
    expect(summary.run.sources).toContain(join(GRPO_SAMPLE, 'train.log'))
  })

  it('after deleting the run’s tables: stdout-only evidence (the console in the .wandb) gives exact counts and accuracy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-grpo-'))
    const copy = join(dir, 'offline-run-20251124_010713-ieqh524y')
    cpSync(GRPO_RUN, copy, {recursive: true})
    rmSync(join(copy, 'files', 'media', 'table'), {recursive: true})
    const {summary, efficiency} = await analyse([{path: copy}])
    expectDatasets(summary, {countsOnly: true})
    expectJudgeAndCost(summary)
    expect(efficiency.best?.step).toBe(expected.efficiency.best_step)
    expect(summary.warnings.some((w) => /table/.test(w) && /missing|not found|cannot/.test(w))).toBe(true)
  })

  it('the trainer log alone gives the same figures as the run', async () => {
    const {summary, efficiency} = await analyse([{path: join(GRPO_SAMPLE, 'train.log')}])
    expectDatasets(summary)
    expectJudgeAndCost(summary)
    expectEfficiency(efficiency)
    // Its last step, 30 of 30, is complete: the log says the run finished.
    expect(summary.run.state).toBe('finished')
    expect(summary.checks).toEqual([])
  })
})

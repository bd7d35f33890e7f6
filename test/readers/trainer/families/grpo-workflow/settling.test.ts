import {describe, expect, it} from 'vitest'
import {ParseContext} from '../../../../../src/readers/trainer/context.js'
import {
  closedSampleRow,
  failedSampleRow,
} from '../../../../../src/readers/trainer/families/grpo-workflow/sample-rows.js'
import {
  attributeCalls,
  inferSources,
  markCountedTallies,
} from '../../../../../src/readers/trainer/families/grpo-workflow/settling.js'
import type {
  ApiCallRow,
  SampleRow,
  SettledBatch,
  StepTallyRow,
  WarningRow,
} from '../../../../../src/readers/trainer/types.js'

// The settling step on its own: rows made by hand, no log parsed.

function tally(kind: StepTallyRow['kind'], source: string, correct: number, total: number, line = 1): StepTallyRow {
  const accuracy_pct = (100 * correct) / total
  return {
    step: 1,
    split: 'train',
    source,
    correct,
    total,
    accuracy_pct,
    avg_score: null,
    kind,
    counted: true,
    origin: 'stdout',
    line,
  }
}

function sample(ctx: ParseContext, id: string, source: string | null): SampleRow {
  if (source === null) return failedSampleRow(ctx, id, -1)
  return closedSampleRow(
    ctx,
    {
      line: 0,
      problemType: 'math',
      source,
      reward: 1,
      reportedCost: 0.5,
      elapsed: 2,
      judgePrompt: false,
      judgeBool: null,
      failure: null,
      judge: null,
    },
    id,
    1,
  )
}

function call(role: ApiCallRow['role'], cost: number | null): ApiCallRow {
  return {
    step: 1,
    split: 'train',
    role,
    sample_id: null,
    source: null,
    method: 'POST',
    url: null,
    http_status: 200,
    input_tokens: null,
    output_tokens: null,
    total_tokens: null,
    cost,
    cost_input: null,
    cost_output: null,
    origin: 'stdout',
    line: 1,
  }
}

function batch(parts: Partial<SettledBatch>): SettledBatch {
  return {
    samples: [],
    judgeEvents: [],
    apiCalls: [],
    stepTallies: [],
    collectorSummaries: [],
    stepMetrics: [],
    ...parts,
  }
}

function stepOne(): ParseContext {
  const ctx = new ParseContext('stdout')
  ctx.step = 1
  return ctx
}

describe('markCountedTallies', () => {
  it('counts the step tally, not the collector summary that repeats it, without a warning', () => {
    const rows = [tally('step_tally', 'gsm8k', 3, 4), tally('collector_summary', 'gsm8k', 3, 4, 9)]
    const warnings: WarningRow[] = []
    markCountedTallies(rows, warnings)
    expect(rows.map((r) => r.counted)).toEqual([true, false])
    expect(warnings).toEqual([])
  })

  it('warns at the summary line when the two disagree, and still counts the step tally', () => {
    const rows = [tally('step_tally', 'gsm8k', 3, 4), tally('collector_summary', 'gsm8k', 2, 4, 9)]
    const warnings: WarningRow[] = []
    markCountedTallies(rows, warnings)
    expect(rows.map((r) => r.counted)).toEqual([true, false])
    expect(warnings).toEqual([expect.objectContaining({kind: 'tally_mismatch', step: 1, line: 9})])
    expect(warnings[0].message).toContain('the step tally is counted')
  })

  it('leaves a lone collector summary counted', () => {
    const rows = [tally('collector_summary', 'gsm8k', 2, 4)]
    markCountedTallies(rows, [])
    expect(rows[0].counted).toBe(true)
  })
})

describe('inferSources', () => {
  it("takes a failed rollout's source from another rollout of the same problem", () => {
    const ctx = stepOne()
    const rows = [sample(ctx, 'S1-1/2', 'gsm8k'), sample(ctx, 'S1-2/2', null)]
    inferSources(batch({samples: rows}))
    expect(rows[1]).toMatchObject({source: 'gsm8k', source_from: 'sibling', problem_type: 'math'})
  })

  it('keeps steps, splits and problems apart in a batch holding several, the last sibling with a source winning', () => {
    const ctx = stepOne()
    const at = (step: number | null, split: 'train' | 'val', row: SampleRow) => Object.assign(row, {step, split})
    const rows = [
      at(1, 'train', sample(ctx, 'S1-1/3', 'gsm8k')),
      at(2, 'train', sample(ctx, 'S1-1/2', 'math500')),
      at(1, 'val', sample(ctx, 'S1-1/2', 'mmlu')),
      at(1, 'train', sample(ctx, 'S1-2/3', 'hotpotqa')),
      at(null, 'train', sample(ctx, 'S1-1/2', 'drop')),
      at(1, 'train', sample(ctx, 'S1-3/3', null)),
      at(2, 'train', sample(ctx, 'S1-2/2', null)),
      at(1, 'val', sample(ctx, 'S1-2/2', null)),
      at(null, 'train', sample(ctx, 'S1-2/2', null)),
      at(3, 'train', sample(ctx, 'S1-1/1', null)),
    ]
    inferSources(batch({samples: rows}))
    expect(rows.slice(5).map((s) => s.source)).toEqual(['hotpotqa', 'math500', 'mmlu', 'drop', null])
  })

  it('takes it from the counted tally when that leaves exactly one dataset for the unattributed samples', () => {
    const ctx = stepOne()
    const rows = [sample(ctx, 'S1-1/1', 'gsm8k'), sample(ctx, 'S2-1/1', null), sample(ctx, 'S3-1/1', null)]
    const tallies = [tally('step_tally', 'gsm8k', 1, 1), tally('step_tally', 'math500', 0, 2)]
    inferSources(batch({samples: rows, stepTallies: tallies}))
    expect(rows.slice(1).map((s) => [s.source, s.source_from])).toEqual([
      ['math500', 'step_tally'],
      ['math500', 'step_tally'],
    ])
  })

  it("takes each step's tally for its own unattributed samples only", () => {
    const ctx = stepOne()
    const rows = [sample(ctx, 'S1-1/1', 'gsm8k'), sample(ctx, 'S2-1/1', null), sample(ctx, 'S3-1/1', null)]
    rows[2].step = 2
    const tallies = [
      tally('step_tally', 'gsm8k', 1, 1),
      tally('step_tally', 'math500', 0, 1),
      {...tally('step_tally', 'mmlu', 0, 1), step: 2},
      {...tally('step_tally', 'drop', 0, 1), split: 'val' as const},
    ]
    inferSources(batch({samples: rows, stepTallies: tallies}))
    expect(rows.slice(1).map((s) => s.source)).toEqual(['math500', 'mmlu'])
  })

  it('guesses nothing when the tally leaves two datasets', () => {
    const ctx = stepOne()
    const rows = [sample(ctx, 'S2-1/1', null), sample(ctx, 'S3-1/1', null)]
    const tallies = [tally('step_tally', 'gsm8k', 1, 1), tally('step_tally', 'math500', 0, 1)]
    inferSources(batch({samples: rows, stepTallies: tallies}))
    expect(rows.map((s) => s.source)).toEqual([null, null])
  })
})

describe('attributeCalls', () => {
  it('gives each sample its call counts and summed cost; a sample without priced calls keeps its reported cost', () => {
    const ctx = stepOne()
    const [a, b] = [sample(ctx, 'S1-1/1', 'gsm8k'), sample(ctx, 'S2-1/1', 'math500')]
    const calls = [call('executor', 0.1), call('executor', 0.2), call('judge', null)]
    for (const c of calls) ctx.callOwner.set(c, a)
    attributeCalls(ctx, batch({samples: [a, b], apiCalls: calls}), false)
    expect(a).toMatchObject({executor_calls: 2, judge_calls: 1, cost: 0.3, cost_from: 'api_calls'})
    expect(b).toMatchObject({executor_calls: 0, judge_calls: 0, cost: 0.5, cost_from: 'reported'})
    expect(calls.map((c) => [c.sample_id, c.source])).toEqual(Array(3).fill(['S1-1/1', 'gsm8k']))
    // Settled calls are let go of unless this is the last batch.
    expect(ctx.callOwner.size).toBe(0)
  })

  it('keeps the call owners on the last batch', () => {
    const ctx = stepOne()
    const a = sample(ctx, 'S1-1/1', 'gsm8k')
    const c = call('executor', 0.1)
    ctx.callOwner.set(c, a)
    attributeCalls(ctx, batch({samples: [a], apiCalls: [c]}), true)
    expect(ctx.callOwner.size).toBe(1)
    expect(a.cost).toBe(0.1)
  })
})

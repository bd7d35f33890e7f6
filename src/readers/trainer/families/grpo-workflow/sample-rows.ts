import type {ParseContext} from '../../context.js'
import {CORRECT_THRESHOLD, type JudgeEventRow, type JudgeStatus, type SampleRow, type Split} from '../../types.js'

/** A sample's evaluation block, from `📊 评估输入` until its result line. */
export interface OpenSample {
  line: number
  problemType: string | null
  source: string | null
  reward: number | null
  reportedCost: number | null
  elapsed: number | null
  judgePrompt: boolean
  judgeBool: boolean | null
  failure: {status: JudgeStatus; message: string | null} | null
  judge: JudgeEventRow | null
}

export function openSample(line: number, problemType: string | null, source: string): OpenSample {
  return {
    line,
    problemType,
    source,
    reward: null,
    reportedCost: null,
    elapsed: null,
    judgePrompt: false,
    judgeBool: null,
    failure: null,
    judge: null,
  }
}

/** The judge's outcome for an open sample: a failure, a True/False verdict, or a score against the threshold. */
export function judgeEventOf(
  ctx: ParseContext,
  o: OpenSample,
  score: number | null,
  label: string | null,
): JudgeEventRow {
  const status: JudgeStatus | null = o.failure
    ? o.failure.status
    : score !== null || o.judgeBool !== null
      ? 'success'
      : null
  let verdict: JudgeEventRow['verdict'] = null
  if (status === 'success') {
    if (o.judgeBool !== null) verdict = o.judgeBool ? 'correct' : 'incorrect'
    else if (score !== null) verdict = score >= CORRECT_THRESHOLD ? 'correct' : 'incorrect'
  }
  return {
    step: ctx.step,
    split: ctx.split,
    sample_id: null,
    source: o.source,
    status,
    verdict,
    judge_bool: o.judgeBool,
    score,
    label,
    message: o.failure ? o.failure.message : null,
    origin: 'stdout',
    line: ctx.lineNo,
  }
}

/** A sample's row from its result line (`[id] … 正确性: x`) and its block, when one was open. */
export function closedSampleRow(ctx: ParseContext, o: OpenSample | null, id: string, correctness: number): SampleRow {
  return {
    step: ctx.step,
    split: sampleSplit(ctx, id),
    sample_id: id,
    group_id: groupOf(id),
    source: o ? o.source : null,
    source_from: o && o.source !== null ? 'stdout' : null,
    problem_type: o ? o.problemType : null,
    correctness,
    correct: correctness >= CORRECT_THRESHOLD,
    reward: o ? o.reward : null,
    cost: null,
    cost_from: null,
    reported_cost: o ? o.reportedCost : null,
    elapsed_s: o ? o.elapsed : null,
    exec_failed: false,
    executor_calls: null,
    judge_calls: null,
    judge_status: o && o.judge ? o.judge.status : null,
    verdict: o && o.judge ? o.judge.verdict : null,
    origin: 'stdout',
    line: ctx.lineNo,
  }
}

/** A sample whose execution failed (`[id] … 执行失败 | 奖励: r`): no block, no source, correctness 0. */
export function failedSampleRow(ctx: ParseContext, id: string, reward: number): SampleRow {
  return {
    step: ctx.step,
    split: sampleSplit(ctx, id),
    sample_id: id,
    group_id: groupOf(id),
    source: null,
    source_from: null,
    problem_type: null,
    correctness: 0,
    correct: false,
    reward,
    cost: null,
    cost_from: null,
    reported_cost: null,
    elapsed_s: null,
    exec_failed: true,
    executor_calls: null,
    judge_calls: null,
    judge_status: null,
    verdict: null,
    origin: 'stdout',
    line: ctx.lineNo,
  }
}

/** Validation sample ids start with `V`; outside a validation section every other sample is training. */
function sampleSplit(ctx: ParseContext, id: string): Split {
  return ctx.split === 'val' || id.charCodeAt(0) === 86 /* V */ ? 'val' : 'train'
}

/** The problem a rollout belongs to: `S1` of `S1-2/2` (training ids only). */
export function groupOf(id: string): string | null {
  const dash = id.indexOf('-')
  return dash > 0 && id.charCodeAt(0) === 83 /* S */ ? id.slice(0, dash) : null
}

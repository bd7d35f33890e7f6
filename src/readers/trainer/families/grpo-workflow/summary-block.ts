import {type ParseContext, pyNumber} from '../../context.js'
import type {StepTallyRow} from '../../types.js'
import {pushSummary} from './collector-summary.js'
import {
  COST_KEYS,
  COST_LINE,
  COUNT_PCT,
  GRPO_FAMILY,
  JUDGE_KEYS,
  METRIC_LINE,
  TALLY,
  VAL_ACC,
  VERDICT_ACC,
} from './patterns.js'

export const enum Mode {
  None,
  Tally,
  Summary,
  JudgeStats,
  CostStats,
  Metrics,
  ValResult,
}

/**
 * The multi-line block a heading opened (a step tally, a collector summary, the judge or cost statistics, validation
 * results, `📊 Metrics:`): it takes the lines that follow until a blank line or one it cannot read.
 */
export class SummaryBlock {
  mode = Mode.None
  private line = 0
  /** The `step:` line of a `📊 Metrics:` block, which may differ from the current step. */
  private step: number | null = null
  /** Lines parsed in the block. */
  private rows = 0

  start(mode: Mode, ctx: ParseContext): void {
    this.mode = mode
    this.line = ctx.lineNo
    this.step = null
    this.rows = 0
  }

  /** A line inside the block; false ends the block (the line is then parsed normally). */
  take(line: string, ctx: ParseContext): boolean {
    if (this.parsed(line, ctx)) {
      this.rows++
      return true
    }
    this.mode = Mode.None
    return false
  }

  /** End of input: a heading with nothing under it means the log was cut there. */
  finish(ctx: ParseContext): void {
    if (this.mode !== Mode.None && this.rows === 0) {
      ctx.warn('incomplete', 'the log ends right after a summary heading', this.line)
    }
    this.mode = Mode.None
  }

  private parsed(line: string, ctx: ParseContext): boolean {
    if (line.trim().length === 0) {
      this.mode = Mode.None
      return true
    }
    switch (this.mode) {
      case Mode.Tally:
      case Mode.Summary:
        return this.tallyLine(line, ctx)
      case Mode.JudgeStats:
        return judgeStatsLine(line, ctx)
      case Mode.CostStats: {
        const m = COST_LINE.exec(line)
        if (!m) return false
        pushSummary(ctx, 'cost', null, COST_KEYS[m[1]], Number(m[2]), null)
        return true
      }
      case Mode.Metrics:
        return this.metricLine(line, ctx)
      case Mode.ValResult:
        return valResultLine(line, ctx)
    }
    return false
  }

  private tallyLine(line: string, ctx: ParseContext): boolean {
    if (line.indexOf('/') === -1) return false
    const m = TALLY.exec(line)
    if (!m) return false
    const kind = this.mode === Mode.Tally ? 'step_tally' : 'collector_summary'
    const row: StepTallyRow = {
      step: ctx.step,
      split: ctx.split,
      source: m[1],
      correct: Number(m[2]),
      total: Number(m[3]),
      accuracy_pct: Number(m[4]),
      avg_score: m[5] === undefined ? null : Number(m[5]),
      kind,
      counted: true,
      origin: 'stdout',
      line: ctx.lineNo,
    }
    ctx.stepTallies.push(row)
    if (kind === 'collector_summary') {
      pushSummary(ctx, 'dataset', row.source, 'correct', row.correct, ctx.split)
      pushSummary(ctx, 'dataset', row.source, 'total', row.total, ctx.split)
      pushSummary(ctx, 'dataset', row.source, 'accuracy_pct', row.accuracy_pct!, ctx.split)
    }
    return true
  }

  private metricLine(line: string, ctx: ParseContext): boolean {
    const m = METRIC_LINE.exec(line)
    if (!m) return false
    const v = pyNumber(m[2])
    if (v === null) return true
    if (m[1] === 'step') {
      this.step = v
      return true
    }
    const step = this.step ?? ctx.step
    if (step !== null) {
      ctx.stepMetrics.push({step, key: m[1], value: v, family: GRPO_FAMILY, origin: 'stdout', line: ctx.lineNo})
    }
    return true
  }
}

function judgeStatsLine(line: string, ctx: ParseContext): boolean {
  let m = COUNT_PCT.exec(line)
  if (m) {
    const [countKey, pctKey] = JUDGE_KEYS[m[1]]
    pushSummary(ctx, 'judge', null, countKey, Number(m[2]), null)
    pushSummary(ctx, 'judge', null, pctKey, Number(m[3]), null)
    return true
  }
  m = VERDICT_ACC.exec(line)
  if (!m) return false
  pushSummary(ctx, 'judge', null, 'verdict_accuracy_pct', Number(m[1]), null)
  pushSummary(ctx, 'judge', null, 'correct', Number(m[2]), null)
  pushSummary(ctx, 'judge', null, 'incorrect', Number(m[3]), null)
  return true
}

function valResultLine(line: string, ctx: ParseContext): boolean {
  const m = VAL_ACC.exec(line)
  if (!m) return false
  const correct = Number(m[1])
  const total = Number(m[2])
  if (ctx.step !== null) {
    const s = ctx.stepRow(ctx.step, GRPO_FAMILY)
    s.val_correct = correct
    s.val_total = total
  }
  pushSummary(ctx, 'accuracy', null, 'correct', correct, 'val')
  pushSummary(ctx, 'accuracy', null, 'total', total, 'val')
  if (m[3] !== undefined) pushSummary(ctx, 'accuracy', null, 'accuracy_pct', Number(m[3]), 'val')
  return true
}

import type {ParseContext} from '../../context.js'
import type {JudgeEventRow, JudgeStatus, SampleRow, SettledBatch} from '../../types.js'
import {
  CLOSE,
  EVAL_INPUT,
  EXEC,
  FAILED,
  JUDGE_API_FAILURE,
  JUDGE_BOOL,
  JUDGE_PROMPT,
  JUDGE_SCORE,
  REWARD,
} from './patterns.js'
import {type OpenSample, closedSampleRow, failedSampleRow, judgeEventOf, openSample} from './sample-rows.js'

/**
 * Per-sample evaluation blocks: `📊 评估输入` opens one, reward, cost and judge lines fill it, the `[id] … 正确性:` line
 * closes it into a sample row (with its judge event); a failed execution is a sample without a block.
 */
export class SampleBlocks {
  private open: OpenSample | null = null
  /** Each judge event's sample, whose source may still be inferred when the step is settled. */
  private readonly judgeOwner = new Map<JudgeEventRow, SampleRow>()

  /** A line of a sample's evaluation block; null when `marker` is not one of theirs. */
  marker(marker: string, line: string, ctx: ParseContext): boolean | null {
    switch (marker) {
      case '判决':
        return this.verdict(line, ctx)
      case '执行失败': {
        const m = FAILED.exec(line)
        return m ? this.failedSample(ctx, m[1], Number(m[2])) : false
      }
      case '奖励:': {
        const m = REWARD.exec(line)
        if (!m) return false
        if (this.open) this.open.reward = Number(m[1])
        return true
      }
      case '🧪': {
        const m = EXEC.exec(line)
        if (!m) return false
        if (this.open) {
          this.open.reportedCost = Number(m[2])
          this.open.elapsed = Number(m[3])
        }
        return true
      }
      case '正确性:': {
        const m = CLOSE.exec(line)
        return m ? this.closeSample(ctx, m[1], Number(m[2])) : false
      }
      case '📊 评估输入': {
        const m = EVAL_INPUT.exec(line)
        if (!m) return false
        this.abandon(ctx, 'a new sample block began before this one printed its result')
        this.open = openSample(ctx.lineNo, m[1] ? m[1].trim() : null, m[2])
        return true
      }
      case '📋 使用数据集专属Prompt': {
        const m = JUDGE_PROMPT.exec(line)
        ctx.judgePending = true
        if (this.open) {
          this.open.judgePrompt = true
          if (this.open.source === null && m) this.open.source = m[1]
        }
        return true
      }
      case '无法解析LLM Judge响应':
        return this.judgeFailure(ctx, 'parse_failure', null)
      case 'LLM Judge调用失败': {
        const m = JUDGE_API_FAILURE.exec(line)
        return this.judgeFailure(ctx, 'api_failure', m && m[1] ? m[1].trim() : null)
      }
      default:
        return null
    }
  }

  private verdict(line: string, ctx: ParseContext): boolean {
    const scored = JUDGE_SCORE.exec(line)
    if (scored) return this.judgeScore(ctx, scored[2], Number(scored[3]))
    const bool = JUDGE_BOOL.exec(line)
    if (!bool) return false
    if (this.open) this.open.judgeBool = bool[1] === 'True'
    else ctx.warn('orphan_line', 'judge verdict outside a sample block')
    return true
  }

  private judgeFailure(ctx: ParseContext, status: JudgeStatus, message: string | null): boolean {
    if (this.open) {
      this.open.failure = {status, message}
    } else {
      ctx.judgeEvents.push({
        step: ctx.step,
        split: ctx.split,
        sample_id: null,
        source: null,
        status,
        verdict: null,
        judge_bool: null,
        score: null,
        label: null,
        message,
        origin: 'stdout',
        line: ctx.lineNo,
      })
    }
    return true
  }

  private judgeScore(ctx: ParseContext, label: string, score: number): boolean {
    const o = this.open
    if (!o) {
      ctx.warn('orphan_line', 'graded judge verdict outside a sample block')
      return true
    }
    if (o.judge) {
      ctx.warn('orphan_line', 'a second graded judge verdict in one sample block')
      return true
    }
    o.judge = this.judgeEvent(ctx, o, score, label)
    return true
  }

  private judgeEvent(ctx: ParseContext, o: OpenSample, score: number | null, label: string | null): JudgeEventRow {
    const row = judgeEventOf(ctx, o, score, label)
    ctx.judgeEvents.push(row)
    return row
  }

  private closeSample(ctx: ParseContext, id: string, correctness: number): boolean {
    const o = this.open
    this.open = null
    if (!o) ctx.warn('orphan_line', `sample ${id}: result line without its evaluation block`)
    if (o && !o.judge && (o.judgePrompt || o.failure || o.judgeBool !== null)) {
      o.judge = this.judgeEvent(ctx, o, null, null)
      if (o.judge.status === null) ctx.warn('orphan_line', `sample ${id}: judge prompt without a verdict`)
    }
    const row = closedSampleRow(ctx, o, id, correctness)
    if (o && o.judge) {
      o.judge.sample_id = id
      o.judge.split = row.split
      this.judgeOwner.set(o.judge, row)
    }
    ctx.samples.push(row)
    ctx.takeCalls(row)
    ctx.judgePending = false
    return true
  }

  private failedSample(ctx: ParseContext, id: string, reward: number): boolean {
    this.abandon(ctx, `execution of ${id} failed inside another sample's block`)
    const row = failedSampleRow(ctx, id, reward)
    ctx.samples.push(row)
    ctx.takeCalls(row)
    return true
  }

  /** The open block, if any, will never print its result. */
  abandon(ctx: ParseContext, why: string): void {
    const o = this.open
    if (o === null) return
    this.open = null
    ctx.warn('incomplete', `sample block (source=${o.source ?? '?'}) never printed its result: ${why}`, o.line)
  }

  /** Each settled judge event takes its sample's source (inferred sources included). */
  settle(batch: SettledBatch, last: boolean): void {
    if (last) {
      for (const [ev, sample] of this.judgeOwner) ev.source = sample.source
      return
    }
    // The taken events' entries are let go (deleting is slower than reading the whole map once, so not at the end).
    for (const ev of batch.judgeEvents) {
      const sample = this.judgeOwner.get(ev)
      if (sample === undefined) continue
      ev.source = sample.source
      this.judgeOwner.delete(ev)
    }
  }
}

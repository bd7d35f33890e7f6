import type {ParseContext} from '../../context.js'
import type {JudgeEventRow, JudgeStatus, SampleRow, SettledBatch, WarningRow} from '../../types.js'
import type {LineFamily} from '../family.js'
import {pushSummary} from './collector-summary.js'
import {
  ACCURACY,
  BATCH,
  CLOSE,
  DISPATCH,
  EVAL_INPUT,
  EXEC,
  FAILED,
  GRPO_FAMILY,
  JUDGE_API_FAILURE,
  JUDGE_BOOL,
  JUDGE_PROMPT,
  JUDGE_SCORE,
  JUDGE_STATS,
  MARKER,
  MARKERS,
  REWARD,
  STEP,
} from './patterns.js'
import {type OpenSample, closedSampleRow, failedSampleRow, judgeEventOf, openSample} from './sample-rows.js'
import {attributeCalls, inferSources, markCountedTallies} from './settling.js'
import {Mode, SummaryBlock} from './summary-block.js'

/**
 * The GRPO workflow trainer (Chinese with emoji markers): step banners, per-sample evaluation blocks with judge
 * verdicts, per-step tallies, the trainer's metric-collector summaries (dataset, LLM judge, cost), validation and the
 * `📊 Metrics:` block.
 */
export class GrpoWorkflowFamily implements LineFamily {
  readonly name = GRPO_FAMILY
  readonly markers = MARKERS
  private readonly block = new SummaryBlock()
  private open: OpenSample | null = null
  private readonly judgeOwner = new Map<JudgeEventRow, SampleRow>()

  greedy(): boolean {
    return this.block.mode !== Mode.None
  }

  parse(line: string, ctx: ParseContext): boolean {
    if (this.block.mode !== Mode.None && this.block.take(line, ctx)) return true
    if (!MARKER.test(line)) return false
    // One scan finds the markers the line holds; each is tried in order until one parses.
    DISPATCH.lastIndex = 0
    for (let d = DISPATCH.exec(line); d; d = DISPATCH.exec(line)) {
      if (this.sampleMarker(d[0], line, ctx)) return true
    }
    return false
  }

  /** Lines of a sample's evaluation block; the other markers go on to `sectionMarker`. */
  private sampleMarker(marker: string, line: string, ctx: ParseContext): boolean {
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
        if (this.open) this.abandonSample(ctx, 'a new sample block began before this one printed its result')
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
        return this.sectionMarker(marker, line, ctx)
    }
  }

  /** Step banners, tallies and the headings of summary blocks. */
  private sectionMarker(marker: string, line: string, ctx: ParseContext): boolean {
    switch (marker) {
      case '🤖 LLM Judge统计': {
        const m = JUDGE_STATS.exec(line)
        if (!m) return false
        this.block.start(Mode.JudgeStats, ctx)
        pushSummary(ctx, 'judge', null, 'total_calls', Number(m[1]), null)
        return true
      }
      case '🤖 LLM Judge结果':
        return true
      case '📍 Step ': {
        const m = STEP.exec(line)
        return m ? this.newStep(ctx, Number(m[1]), m[2] === undefined ? null : Number(m[2])) : false
      }
      case '📦 Batch ': {
        const m = BATCH.exec(line)
        if (!m || ctx.step === null) return false
        ctx.stepRow(ctx.step, GRPO_FAMILY).batch_problems = Number(m[1])
        return true
      }
      case '🎯 准确率统计':
        return this.trainAccuracy(line, ctx)
      case '📈 子数据集准确率':
        this.closeSection(ctx)
        if (ctx.step !== null) ctx.stepRow(ctx.step, GRPO_FAMILY).complete = true
        this.block.start(Mode.Tally, ctx)
        return true
      case '📊 数据集统计摘要':
        this.closeSection(ctx)
        this.block.start(Mode.Summary, ctx)
        return true
      case '💰 成本统计':
        this.block.start(Mode.CostStats, ctx)
        return true
      case '🔍 验证集评估':
        this.closeSection(ctx)
        ctx.split = 'val'
        return true
      case '📊 验证集结果':
        this.closeSection(ctx)
        ctx.split = 'val'
        this.block.start(Mode.ValResult, ctx)
        return true
      case '📊 Metrics:':
        this.block.start(Mode.Metrics, ctx)
        return true
    }
    return false
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

  private trainAccuracy(line: string, ctx: ParseContext): boolean {
    const m = ACCURACY.exec(line)
    if (!m) return false
    this.closeSection(ctx)
    const correct = Number(m[1])
    const total = Number(m[2])
    if (ctx.step !== null) {
      const s = ctx.stepRow(ctx.step, GRPO_FAMILY)
      s.train_correct = correct
      s.train_total = total
      s.avg_correctness_score = m[4] === undefined ? null : Number(m[4])
      s.complete = true
    }
    pushSummary(ctx, 'accuracy', null, 'correct', correct, 'train')
    pushSummary(ctx, 'accuracy', null, 'total', total, 'train')
    pushSummary(ctx, 'accuracy', null, 'accuracy_pct', Number(m[3]), 'train')
    if (m[4] !== undefined) pushSummary(ctx, 'accuracy', null, 'avg_correctness_score', Number(m[4]), 'train')
    return true
  }

  private newStep(ctx: ParseContext, step: number, maxStep: number | null): boolean {
    if (this.open) this.abandonSample(ctx, 'the next step began before this sample printed its result')
    if (ctx.step !== null) {
      const prev = ctx.existingStep(ctx.step, GRPO_FAMILY)
      if (prev) prev.complete = true
    }
    ctx.dropPendingCalls()
    ctx.step = step
    ctx.split = 'train'
    ctx.stepRow(step, GRPO_FAMILY, maxStep)
    return true
  }

  /** Tallies and section changes: calls made so far and not attributed stay unattributed. */
  private closeSection(ctx: ParseContext): void {
    if (this.open) this.abandonSample(ctx, 'the step summary began before this sample printed its result')
    ctx.dropPendingCalls()
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
    if (this.open) this.abandonSample(ctx, `execution of ${id} failed inside another sample's block`)
    const row = failedSampleRow(ctx, id, reward)
    ctx.samples.push(row)
    ctx.takeCalls(row)
    return true
  }

  private abandonSample(ctx: ParseContext, why: string): void {
    const o = this.open!
    this.open = null
    ctx.warn('incomplete', `sample block (source=${o.source ?? '?'}) never printed its result: ${why}`, o.line)
  }

  finish(ctx: ParseContext): void {
    if (this.open) this.abandonSample(ctx, 'the log ends inside it')
    this.block.finish(ctx)
    const grpoSteps = ctx.steps.filter((s) => s.family === GRPO_FAMILY)
    const last = grpoSteps[grpoSteps.length - 1]
    if (last && !last.complete) {
      ctx.warn('incomplete', `the log ends inside step ${last.step} (no step summary printed)`, last.line)
    }
  }

  /** Which tallies count, the sources of failed samples, each sample's calls and cost, each verdict's dataset. */
  settle(ctx: ParseContext, batch: SettledBatch, warnings: WarningRow[], last: boolean): void {
    markCountedTallies(batch.stepTallies, warnings)
    inferSources(batch)
    attributeCalls(ctx, batch, last)
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

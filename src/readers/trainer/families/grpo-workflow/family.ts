import type {ParseContext} from '../../context.js'
import type {SettledBatch, WarningRow} from '../../types.js'
import type {LineFamily} from '../family.js'
import {pushSummary} from './collector-summary.js'
import {ACCURACY, BATCH, DISPATCH, GRPO_FAMILY, JUDGE_STATS, MARKER, MARKERS, STEP} from './patterns.js'
import {SampleBlocks} from './sample-blocks.js'
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
  private readonly samples = new SampleBlocks()

  greedy(): boolean {
    return this.block.mode !== Mode.None
  }

  parse(line: string, ctx: ParseContext): boolean {
    if (this.block.mode !== Mode.None && this.block.take(line, ctx)) return true
    if (!MARKER.test(line)) return false
    // One scan finds the markers the line holds; each is tried in order until one parses.
    DISPATCH.lastIndex = 0
    for (let d = DISPATCH.exec(line); d; d = DISPATCH.exec(line)) {
      const taken = this.samples.marker(d[0], line, ctx)
      if (taken ?? this.sectionMarker(d[0], line, ctx)) return true
    }
    return false
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
    this.samples.abandon(ctx, 'the next step began before this sample printed its result')
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
    this.samples.abandon(ctx, 'the step summary began before this sample printed its result')
    ctx.dropPendingCalls()
  }

  finish(ctx: ParseContext): void {
    this.samples.abandon(ctx, 'the log ends inside it')
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
    this.samples.settle(batch, last)
  }
}

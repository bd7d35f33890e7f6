import {type ParseContext, pyNumber} from '../context.js'
import {CORRECT_THRESHOLD, type JudgeEventRow, type JudgeStatus, type SampleRow, type SettledBatch, type StepTallyRow, type WarningRow} from '../types.js'
import type {LineFamily} from './family.js'

export const GRPO_FAMILY = 'grpo-workflow'

/** Every structured line of this trainer holds a CJK character or an emoji (a UTF-16 surrogate): one cheap test first. */
const MARKER = /[\u4e00-\u9fff\ud83c-\ud83e\u26a0]/

/** The markers, longest first where one is a prefix of another; `parse` dispatches on the one found. */
const MARKERS = [
  '判决',
  '执行失败',
  '奖励:',
  '🧪',
  '正确性:',
  '📊 评估输入',
  '📋 使用数据集专属Prompt',
  '无法解析LLM Judge响应',
  'LLM Judge调用失败',
  '🤖 LLM Judge统计',
  '🤖 LLM Judge结果',
  '📍 Step ',
  '📦 Batch ',
  '🎯 准确率统计',
  '📈 子数据集准确率',
  '📊 数据集统计摘要',
  '💰 成本统计',
  '🔍 验证集评估',
  '📊 验证集结果',
  '📊 Metrics:',
] as const
const DISPATCH = new RegExp(MARKERS.join('|'), 'g')
const STEP = /📍 Step (\d+)(?:\s*\/\s*(\d+))?/
const BATCH = /📦 Batch \d+:\s*(\d+)\s*样本/
const EVAL_INPUT = /📊 评估输入 \((?:([^,()]*?),\s*)?source=([^)\s]+)\s*\)/
const JUDGE_PROMPT = /📋 使用数据集专属Prompt: source=(\S+)/
const JUDGE_BOOL = /(?:^|\s)判决:\s*(True|False)\s*$/
const JUDGE_SCORE = /(?:^|\s)判决:\s*(\S+)\s+(\S+)\s*\((-?\d+(?:\.\d+)?)\)\s*$/
const JUDGE_API_FAILURE = /LLM Judge调用失败:?\s*(.*)$/
const REWARD = /(?:^|\s)奖励:\s*(-?\d+(?:\.\d+)?)\s*$/
const EXEC = /🧪\s*(\S+)\s*\|\s*cost:\s*\$?(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*\|\s*用时:\s*(\d+(?:\.\d+)?)s/
const CLOSE = /\[([^\]\s]+)\]\s*(?:\S+\s+)?正确性:\s*(-?\d+(?:\.\d+)?)/
const FAILED = /\[([^\]\s]+)\]\s*(?:\S+\s+)?执行失败\s*\|\s*奖励:\s*(-?\d+(?:\.\d+)?)/
const ACCURACY = /🎯 准确率统计:\s*(\d+)\s*\/\s*(\d+)\s*=\s*(-?[\d.]+)%(?:.*?平均正确性评分:\s*(-?[\d.]+))?/
const JUDGE_STATS = /🤖 LLM Judge统计 \(总计:\s*(\d+)\s*次\)/
const TALLY = /^\s*([^\s:][^:]*?)\s*:\s*(\d+)\s*\/\s*(\d+)\s*=\s*(-?[\d.]+)%(?:\s*\|\s*平均分:\s*(-?[\d.]+))?\s*$/
const COUNT_PCT = /^\s*(成功|解析失败|API失败):\s*(\d+)\s*\((-?[\d.]+)%\)/
const VERDICT_ACC = /^\s*判决准确率:\s*(-?[\d.]+)%\s*\(正确:\s*(\d+),\s*错误:\s*(\d+)\)/
const COST_LINE = /^\s*(总成本|样本数|Executor调用|Judge调用|平均成本\/样本):\s*\$?(-?[\d.]+(?:[eE][-+]?\d+)?)\s*$/
const METRIC_LINE = /^\s+([A-Za-z_][\w/.@-]*):\s*(\S+)\s*$/
const VAL_ACC = /^\s*准确率:\s*(\d+)\s*\/\s*(\d+)(?:\s*=\s*(-?[\d.]+)%)?/

const enum Mode {
  None,
  Tally,
  Summary,
  JudgeStats,
  CostStats,
  Metrics,
  ValResult,
}

const JUDGE_KEYS: Record<string, [string, string]> = {
  成功: ['success', 'success_pct'],
  解析失败: ['parse_failure', 'parse_failure_pct'],
  API失败: ['api_failure', 'api_failure_pct'],
}
const COST_KEYS: Record<string, string> = {
  总成本: 'total_cost',
  样本数: 'samples',
  Executor调用: 'executor_calls',
  Judge调用: 'judge_calls',
  '平均成本/样本': 'avg_cost_per_sample',
}

interface OpenSample {
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

/**
 * The GRPO workflow trainer (Chinese with emoji markers): step banners, per-sample evaluation blocks with judge verdicts,
 * per-step tallies, the trainer's metric-collector summaries (dataset, LLM judge, cost), validation and the `📊 Metrics:` block.
 */
export class GrpoWorkflowFamily implements LineFamily {
  readonly name = GRPO_FAMILY
  readonly markers = MARKERS
  private mode = Mode.None
  private blockLine = 0
  private blockStep: number | null = null
  /** Lines parsed in the current block. */
  private blockRows = 0
  private open: OpenSample | null = null
  private readonly judgeOwner = new Map<JudgeEventRow, SampleRow>()

  greedy(): boolean {
    return this.mode !== Mode.None
  }

  parse(line: string, ctx: ParseContext): boolean {
    if (this.mode !== Mode.None) {
      if (this.blockLineParsed(line, ctx)) {
        this.blockRows++
        return true
      }
      this.mode = Mode.None
    }
    if (!MARKER.test(line)) return false
    // One scan finds the markers the line holds; each is tried in order until one parses.
    DISPATCH.lastIndex = 0
    for (let d = DISPATCH.exec(line); d; d = DISPATCH.exec(line)) {
      if (this.marker(d[0], line, ctx)) return true
    }
    return false
  }

  private marker(marker: string, line: string, ctx: ParseContext): boolean {
    switch (marker) {
      case '判决': {
        let m = JUDGE_SCORE.exec(line)
        if (m) return this.judgeScore(ctx, m[1], m[2], Number(m[3]))
        m = JUDGE_BOOL.exec(line)
        if (m) {
          if (this.open) this.open.judgeBool = m[1] === 'True'
          else ctx.warn('orphan_line', 'judge verdict outside a sample block')
          return true
        }
        return false
      }
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
        this.open = {
          line: ctx.lineNo,
          problemType: m[1] ? m[1].trim() : null,
          source: m[2],
          reward: null,
          reportedCost: null,
          elapsed: null,
          judgePrompt: false,
          judgeBool: null,
          failure: null,
          judge: null,
        }
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
      case '🤖 LLM Judge统计': {
        const m = JUDGE_STATS.exec(line)
        if (!m) return false
        this.startBlock(Mode.JudgeStats, ctx)
        this.summary(ctx, 'judge', null, 'total_calls', Number(m[1]), null)
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
      case '🎯 准确率统计': {
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
        this.summary(ctx, 'accuracy', null, 'correct', correct, 'train')
        this.summary(ctx, 'accuracy', null, 'total', total, 'train')
        this.summary(ctx, 'accuracy', null, 'accuracy_pct', Number(m[3]), 'train')
        if (m[4] !== undefined) this.summary(ctx, 'accuracy', null, 'avg_correctness_score', Number(m[4]), 'train')
        return true
      }
      case '📈 子数据集准确率':
        this.closeSection(ctx)
        if (ctx.step !== null) ctx.stepRow(ctx.step, GRPO_FAMILY).complete = true
        this.startBlock(Mode.Tally, ctx)
        return true
      case '📊 数据集统计摘要':
        this.closeSection(ctx)
        this.startBlock(Mode.Summary, ctx)
        return true
      case '💰 成本统计':
        this.startBlock(Mode.CostStats, ctx)
        return true
      case '🔍 验证集评估':
        this.closeSection(ctx)
        ctx.split = 'val'
        return true
      case '📊 验证集结果':
        this.closeSection(ctx)
        ctx.split = 'val'
        this.startBlock(Mode.ValResult, ctx)
        return true
      case '📊 Metrics:':
        this.startBlock(Mode.Metrics, ctx)
        return true
    }
    return false
  }

  /** A line inside a summary block; false ends the block (the line is then parsed normally). */
  private blockLineParsed(line: string, ctx: ParseContext): boolean {
    if (line.trim().length === 0) {
      this.mode = Mode.None
      return true
    }
    switch (this.mode) {
      case Mode.Tally:
      case Mode.Summary: {
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
          this.summary(ctx, 'dataset', row.source, 'correct', row.correct, ctx.split)
          this.summary(ctx, 'dataset', row.source, 'total', row.total, ctx.split)
          this.summary(ctx, 'dataset', row.source, 'accuracy_pct', row.accuracy_pct!, ctx.split)
        }
        return true
      }
      case Mode.JudgeStats: {
        let m = COUNT_PCT.exec(line)
        if (m) {
          const [countKey, pctKey] = JUDGE_KEYS[m[1]]
          this.summary(ctx, 'judge', null, countKey, Number(m[2]), null)
          this.summary(ctx, 'judge', null, pctKey, Number(m[3]), null)
          return true
        }
        m = VERDICT_ACC.exec(line)
        if (m) {
          this.summary(ctx, 'judge', null, 'verdict_accuracy_pct', Number(m[1]), null)
          this.summary(ctx, 'judge', null, 'correct', Number(m[2]), null)
          this.summary(ctx, 'judge', null, 'incorrect', Number(m[3]), null)
          return true
        }
        return false
      }
      case Mode.CostStats: {
        const m = COST_LINE.exec(line)
        if (!m) return false
        this.summary(ctx, 'cost', null, COST_KEYS[m[1]], Number(m[2]), null)
        return true
      }
      case Mode.Metrics: {
        const m = METRIC_LINE.exec(line)
        if (!m) return false
        const v = pyNumber(m[2])
        if (v === null) return true
        if (m[1] === 'step') {
          this.blockStep = v
          return true
        }
        const step = this.blockStep ?? ctx.step
        if (step !== null) {
          ctx.stepMetrics.push({step, key: m[1], value: v, family: GRPO_FAMILY, origin: 'stdout', line: ctx.lineNo})
        }
        return true
      }
      case Mode.ValResult: {
        const m = VAL_ACC.exec(line)
        if (!m) return false
        const correct = Number(m[1])
        const total = Number(m[2])
        if (ctx.step !== null) {
          const s = ctx.stepRow(ctx.step, GRPO_FAMILY)
          s.val_correct = correct
          s.val_total = total
        }
        this.summary(ctx, 'accuracy', null, 'correct', correct, 'val')
        this.summary(ctx, 'accuracy', null, 'total', total, 'val')
        if (m[3] !== undefined) this.summary(ctx, 'accuracy', null, 'accuracy_pct', Number(m[3]), 'val')
        return true
      }
    }
    return false
  }

  private startBlock(mode: Mode, ctx: ParseContext): void {
    this.mode = mode
    this.blockLine = ctx.lineNo
    this.blockStep = null
    this.blockRows = 0
  }

  private summary(
    ctx: ParseContext,
    kind: string,
    source: string | null,
    key: string,
    value: number,
    split: 'train' | 'val' | null,
  ): void {
    ctx.collectorSummaries.push({step: ctx.step, split, kind, source, key, value, origin: 'stdout', line: ctx.lineNo})
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

  private judgeScore(ctx: ParseContext, _emoji: string, label: string, score: number): boolean {
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
    const status: JudgeStatus | null = o.failure ? o.failure.status : score !== null || o.judgeBool !== null ? 'success' : null
    let verdict: JudgeEventRow['verdict'] = null
    if (status === 'success') {
      if (o.judgeBool !== null) verdict = o.judgeBool ? 'correct' : 'incorrect'
      else if (score !== null) verdict = score >= CORRECT_THRESHOLD ? 'correct' : 'incorrect'
    }
    const row: JudgeEventRow = {
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
    const split = ctx.split === 'val' || id.charCodeAt(0) === 86 /* V */ ? 'val' : 'train'
    const row: SampleRow = {
      step: ctx.step,
      split,
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
    if (o && o.judge) {
      o.judge.sample_id = id
      o.judge.split = split
      this.judgeOwner.set(o.judge, row)
    }
    ctx.samples.push(row)
    ctx.takeCalls(row)
    ctx.judgePending = false
    return true
  }

  private failedSample(ctx: ParseContext, id: string, reward: number): boolean {
    if (this.open) this.abandonSample(ctx, `execution of ${id} failed inside another sample's block`)
    const row: SampleRow = {
      step: ctx.step,
      split: ctx.split === 'val' || id.charCodeAt(0) === 86 ? 'val' : 'train',
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
    if (this.mode !== Mode.None && this.blockRows === 0) {
      ctx.warn('incomplete', 'the log ends right after a summary heading', this.blockLine)
    }
    this.mode = Mode.None
    const grpoSteps = ctx.steps.filter((s) => s.family === GRPO_FAMILY)
    const last = grpoSteps[grpoSteps.length - 1]
    if (last && !last.complete) ctx.warn('incomplete', `the log ends inside step ${last.step} (no step summary printed)`, last.line)
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

function groupOf(id: string): string | null {
  const dash = id.indexOf('-')
  return dash > 0 && id.charCodeAt(0) === 83 /* S */ ? id.slice(0, dash) : null
}

/** One tally block per (step, split) is counted: the step tally when the collector printed the same figures again. */
function markCountedTallies(stepTallies: StepTallyRow[], warnings: WarningRow[]): void {
  const byKey = new Map<string, StepTallyRow[]>()
  for (const r of stepTallies) {
    const k = `${r.step}|${r.split}`
    let list = byKey.get(k)
    if (!list) byKey.set(k, (list = []))
    list.push(r)
  }
  for (const rows of byKey.values()) {
    const tally = rows.filter((r) => r.kind === 'step_tally')
    const summary = rows.filter((r) => r.kind === 'collector_summary')
    if (tally.length === 0 || summary.length === 0) continue
    for (const r of summary) r.counted = false
    const a = new Map(tally.map((r) => [r.source, `${r.correct}/${r.total}`]))
    const b = new Map(summary.map((r) => [r.source, `${r.correct}/${r.total}`]))
    const same = a.size === b.size && [...a].every(([k, v]) => b.get(k) === v)
    if (!same) {
      warnings.push({
        step: tally[0].step,
        kind: 'tally_mismatch',
        message: `step ${tally[0].step} (${tally[0].split}): the dataset summary disagrees with the step tally; the step tally is counted`,
        origin: 'stdout',
        line: summary[0].line,
      })
    }
  }
}

/**
 * Samples whose execution failed print no `source=`: take it from another rollout of the same problem (`S1-1/2` and
 * `S1-2/2`), else from the step's counted tally when it leaves exactly one dataset for the unattributed samples.
 */
function inferSources(batch: SettledBatch): void {
  const unknown = batch.samples.filter((s) => s.source === null && s.origin === 'stdout')
  if (unknown.length === 0) return
  const groupSource = new Map<string, SampleRow>()
  for (const s of batch.samples) {
    if (s.source !== null && s.group_id !== null) groupSource.set(`${s.step}|${s.split}|${s.group_id}`, s)
  }
  for (const s of unknown) {
    if (s.group_id === null) continue
    const sib = groupSource.get(`${s.step}|${s.split}|${s.group_id}`)
    if (sib !== undefined) {
      s.source = sib.source
      s.source_from = 'sibling'
      if (s.problem_type === null) s.problem_type = sib.problem_type
    }
  }
  const left = unknown.filter((s) => s.source === null)
  if (left.length === 0) return
  const byStep = new Map<string, SampleRow[]>()
  for (const s of batch.samples) {
    const k = `${s.step}|${s.split}`
    let list = byStep.get(k)
    if (!list) byStep.set(k, (list = []))
    list.push(s)
  }
  const tallies = new Map<string, Map<string, number>>()
  for (const t of batch.stepTallies) {
    if (!t.counted) continue
    const k = `${t.step}|${t.split}`
    let m = tallies.get(k)
    if (!m) tallies.set(k, (m = new Map()))
    m.set(t.source, (m.get(t.source) ?? 0) + t.total)
  }
  for (const [k, rows] of byStep) {
    const missing = rows.filter((s) => s.source === null)
    const tally = tallies.get(k)
    if (missing.length === 0 || !tally) continue
    const residual = new Map(tally)
    for (const s of rows) if (s.source !== null) residual.set(s.source, (residual.get(s.source) ?? 0) - 1)
    let total = 0
    let only: string | null = null
    let positive = 0
    let negative = false
    for (const [src, n] of residual) {
      if (n < 0) negative = true
      if (n > 0) {
        positive++
        only = src
        total += n
      }
    }
    if (negative || positive !== 1 || total !== missing.length || only === null) continue
    for (const s of missing) {
      s.source = only
      s.source_from = 'step_tally'
    }
  }
}

/** Per-sample call counts and cost from the calls attributed to each sample; the calls learn their sample. */
function attributeCalls(ctx: ParseContext, batch: SettledBatch, last: boolean): void {
  const acc = new Map<SampleRow, {exec: number; judge: number; cost: number; costs: number}>()
  for (const call of batch.apiCalls) {
    const owner = ctx.callOwner.get(call)
    if (!owner) continue
    if (!last) ctx.callOwner.delete(call)
    call.sample_id = owner.sample_id
    call.source = owner.source
    let a = acc.get(owner)
    if (!a) acc.set(owner, (a = {exec: 0, judge: 0, cost: 0, costs: 0}))
    if (call.role === 'judge') a.judge++
    else a.exec++
    if (call.cost !== null) {
      a.cost += call.cost
      a.costs++
    }
  }
  for (const s of batch.samples) {
    if (s.origin !== 'stdout') continue
    const a = acc.get(s)
    s.executor_calls = a ? a.exec : 0
    s.judge_calls = a ? a.judge : 0
    if (a && a.costs > 0) {
      s.cost = Math.round(a.cost * 1e12) / 1e12
      s.cost_from = 'api_calls'
    } else if (s.reported_cost !== null) {
      s.cost = s.reported_cost
      s.cost_from = 'reported'
    }
  }
}

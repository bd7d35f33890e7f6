import {type ParseContext, pyNumber} from '../context.js'
import {stripPrefixes} from '../line-prefix.js'
import {barUpdates, mayBeTrainingBar} from '../progress-bar.js'
import type {StepMetricRow} from '../types.js'
import type {LineFamily} from './family.js'
import {CHECKPOINT_FAMILY, CHECKPOINT_MARKER, readCheckpointLine} from './lightning-checkpoint.js'

export const POSTFIX_FAMILY = 'progress-postfix'

const POSTFIX_PAIR = /([A-Za-z_][\w./@-]*)=(-?[\d.]+(?:e[+-]?\d+)?|nan|inf)/g
/** Lightning's `Epoch 3:` bar counts the batches of one epoch (from 0); `Epoch 2/5` counts from 1. */
const EPOCH_LABEL = /^Epoch (\d+)(\/\d+)?\b/
/** Points held back while no other family has given a metric (a bar's postfix is the last resort). */
const MAX_HELD = 100_000
/** Keys of a bar's postfix that are not metrics: Lightning's logger version. */
const NOT_METRICS = new Set(['v_num'])

/**
 * Metrics in a training bar's tqdm postfix: PyTorch Lightning (`Epoch 3: 40%|…| 40/100 [00:10<00:15, 4.0it/s, v_num=0,
 * train_loss=0.31]`) and OpenRLHF (`Train epoch [1/1]: …| 4/8 [… , policy_loss=0.1, reward=0.5]`). Each position of a
 * bar is one point (a bar redrawn at the same position replaces its values); the step is the bar's position, after the
 * batches of the earlier epochs for `Epoch N` bars. Data-preparation bars are skipped. A postfix is the last resort: a
 * bar counts batches, not always optimizer steps, so when the log prints its metrics with their steps otherwise (a
 * dict, a `step=` line) the postfix points are dropped. Lightning's checkpoint lines (`Epoch 0, global step 1:
 * 'val_loss' reached …`, see `lightning-checkpoint.ts`) are read here too.
 */
export class ProgressPostfixFamily implements LineFamily {
  readonly name = POSTFIX_FAMILY
  readonly markers = ['%|', CHECKPOINT_MARKER]
  /** The last point of each bar, by label: replaced while the bar is redrawn at the same step. */
  private readonly last = new Map<string, {step: number; rows: number}>()
  /** Points not handed over yet, by bar label (see MAX_HELD); null once they are handed over as they come. */
  private held: Map<string, StepMetricRow[]> | null = new Map()
  private heldRows = 0

  parse(line: string, ctx: ParseContext): boolean {
    if (line.indexOf('%|') === -1) return readCheckpointLine(line, ctx)
    if (line.indexOf('=') === -1) return false
    let consumed = false
    for (const bar of barUpdates(line)) {
      if (bar.postfix.indexOf('=') === -1 || !mayBeTrainingBar(bar, line)) continue
      const values: Array<[string, number]> = []
      POSTFIX_PAIR.lastIndex = 0
      for (let m = POSTFIX_PAIR.exec(bar.postfix); m; m = POSTFIX_PAIR.exec(bar.postfix)) {
        const v = pyNumber(m[2])
        if (v !== null && !NOT_METRICS.has(m[1])) values.push([m[1], v])
      }
      if (values.length === 0) continue
      const label = stripPrefixes(bar.label)
      const epoch = EPOCH_LABEL.exec(label)
      const done = epoch ? Number(epoch[1]) - (epoch[2] ? 1 : 0) : 0
      const step = done * bar.total + bar.position
      const key = epoch ? 'Epoch' : label
      const prev = this.last.get(key)
      const rows = this.held ? this.heldOf(key) : ctx.stepMetrics
      const tail = rows[rows.length - 1]
      const redrawn = prev !== undefined && prev.step === step && rows.length >= prev.rows
      if (redrawn && tail?.family === POSTFIX_FAMILY && tail.step === step) {
        // Redrawn at the same step: its newest values replace the previous ones.
        rows.splice(rows.length - prev.rows, prev.rows)
      }
      for (const [k, value] of values) {
        rows.push({step, key: k, value, family: POSTFIX_FAMILY, origin: 'stdout', line: ctx.lineNo})
      }
      this.last.set(key, {step, rows: values.length})
      if (this.held === null) this.record(step, ctx)
      else if ((this.heldRows += values.length) > MAX_HELD) this.handOver(ctx)
      consumed = true
    }
    return consumed
  }

  private record(step: number, ctx: ParseContext): void {
    ctx.stepRow(step, POSTFIX_FAMILY).complete = true
    ctx.step = step
  }

  private heldOf(label: string): StepMetricRow[] {
    let rows = this.held!.get(label)
    if (!rows) this.held!.set(label, (rows = []))
    return rows
  }

  /**
   * Hands the held points over: those of the bar with the most steps (OpenRLHF's `Episode` bar counts the steps, its
   * inner `Train epoch` bar the minibatches of one), and from then on every point as it comes.
   */
  private handOver(ctx: ParseContext): void {
    if (this.held === null) return
    let best: StepMetricRow[] = []
    let bestSteps = -1
    for (const rows of this.held.values()) {
      const steps = new Set(rows.map((r) => r.step)).size
      if (steps > bestSteps) [best, bestSteps] = [rows, steps]
    }
    for (const r of best) ctx.stepMetrics.push(r)
    for (const step of new Set(best.map((r) => r.step))) this.record(step, ctx)
    this.held = null
  }

  finish(ctx: ParseContext): void {
    if (this.held === null) return
    // Lightning's checkpoint lines give the monitored metric only, at the same steps: the bar's metrics are kept.
    const others = ctx.steps.some((s) => s.family !== POSTFIX_FAMILY && s.family !== CHECKPOINT_FAMILY)
    if (others) this.held = null
    else this.handOver(ctx)
  }
}

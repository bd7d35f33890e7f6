import type {ParseContext} from '../context.js'
import {stripPrefixes} from '../line-prefix.js'
import {barUpdates, mayBeTrainingBar} from '../progress-bar.js'
import type {LineFamily} from './family.js'
import {type Dict, readDict} from './printed-dict.js'

export const TRL_FAMILY = 'trl-dict'

/** The HF Trainer's `Total optimization steps = 1,875`; Unsloth's one-line banner `… | Total steps = 216`. */
const TOTAL_STEPS = /Total (?:optimization )?steps = ([\d,]+)/
const NUM_EPOCHS = /Num Epochs = ([\d,]+)/
/** Lines of the Trainer's banner read after `Num Epochs` (`Total optimization steps` is 4–6 lines below it). */
const BANNER_LINES = 12
const MAX_STEPS = /\bmax_steps['"]?\s*[=:]\s*(\d+)/
/** A metrics dict names one of these (a config dict printed at start names none). */
const DICT_KEYS = ["'epoch'", "'train_runtime'", "'global_step'", "'step'"]
/** Labels of bars that count optimizer steps (the HF Trainer's bar has none). */
const TRAINING_LABEL = /^(?:$|train|training|epoch|episode|step|global step|iteration)/i

interface Pending {
  dict: Dict
  line: number
  evalOnly: boolean
}

/**
 * Hugging Face Trainer / TRL logs: one Python dict per logging step, `{'loss': 0.0, 'learning_rate': 1e-06, …, 'epoch':
 * 0.01}` (values printed as floats, or as strings by recent transformers), eval dicts (`eval_loss`, …), and the final
 * `{'train_runtime': …}` summary. The step is, in order: the dict's own `step`/`global_step`; else its `epoch` times
 * the steps per epoch (known from a dict that carried both, or the Trainer's banner: total optimization steps / epochs)
 * when the printed epoch is precise to the step; else the training bar's position when it lies within that epoch's
 * range (bars and dicts arrive out of order through buffered stdout); else the previous step + 1. Bars of data
 * preparation (`Map:`, `Filter:`, `Tokenizing`, downloads) are never taken, and no step goes past the run's total.
 */
export class TrlDictFamily implements LineFamily {
  readonly name = TRL_FAMILY
  // `Total optimization steps` follows `Num Epochs` in the Trainer's banner: read while greedy, not searched for.
  readonly markers = ['%|', "{'", 'Num Epochs']
  private lastStep = 0
  private lastEpoch: number | null = null
  /** The training bar's position since the last dict, and its total. */
  private progress: number | null = null
  private barTotal: number | null = null
  private bannerTotal: number | null = null
  private epochs: number | null = null
  /** Steps per epoch learnt from a dict that printed both its step and its epoch. */
  private learntPerEpoch: number | null = null
  /** Lines of the Trainer's banner still to read after `Num Epochs`. */
  private bannerLines = 0
  /** Dicts since the last bar update, not yet given a step (see `flush`). */
  private readonly pending: Pending[] = []

  greedy(): boolean {
    return this.bannerLines > 0
  }

  parse(line: string, ctx: ParseContext): boolean {
    if (this.bannerLines > 0) this.bannerLines--
    let consumed = false
    if (line.indexOf('%|') !== -1) consumed = this.bars(line, ctx)
    if (line.indexOf('Total optimization steps') !== -1 || line.indexOf('Num Epochs') !== -1) return this.banner(line)
    if (line.indexOf('Training completed') !== -1) {
      ctx.finishedLine = ctx.lineNo
      return true
    }
    const open = line.indexOf("{'")
    if (open === -1) return consumed
    const close = line.lastIndexOf('}')
    if (close < open || !DICT_KEYS.some((k) => line.indexOf(k, open) !== -1)) return consumed
    const dict = readDict(line.slice(open, close + 1))
    if (dict.values.length === 0) return consumed
    if (dict.total !== null) this.bannerTotal ??= dict.total
    const keys = dict.values.map(([k]) => k)
    const final = keys.includes('train_runtime')
    const evalOnly = !final && keys.every((k) => k.startsWith('eval_') || k === 'epoch' || k === 'step')
    const entry: Pending = {dict, line: ctx.lineNo, evalOnly}
    if (final) {
      this.flush(ctx)
      // The summary comes at the last step. With no step seen and no total known, that step is unknown: placing it at
      // step 1 would claim a step the run never printed (a wandb console holding only this dict).
      const at = this.lastStep > 0 ? this.lastStep : this.total()
      if (at !== null) this.emit(entry, at, ctx)
      ctx.finishedLine = ctx.lineNo
    } else if (dict.step !== null || this.perEpoch() !== null) {
      this.flush(ctx)
      this.emit(entry, dict.step ?? this.stepOf(dict, evalOnly), ctx)
      if (dict.step !== null && dict.epoch !== null && dict.epoch > 0) this.learntPerEpoch = dict.step / dict.epoch
    } else {
      // Placed once the next bar update (or the end) shows how many dicts this bar position stands for.
      this.pending.push(entry)
    }
    return true
  }

  private emit(entry: Pending, at: number, ctx: ParseContext): void {
    const total = this.total()
    const step = total !== null && at > total ? total : at
    this.progress = null
    this.lastStep = Math.max(this.lastStep, step)
    this.lastEpoch = entry.dict.epoch ?? this.lastEpoch
    for (const [key, value] of entry.dict.values) {
      ctx.stepMetrics.push({step, key, value, family: TRL_FAMILY, origin: 'stdout', line: entry.line})
    }
    ctx.stepRow(step, TRL_FAMILY, total).complete = true
    ctx.step = step
  }

  /**
   * Places the dicts printed since the last bar update. Buffered stdout prints a bar at position p and then the k dicts
   * of the logging steps up to p: when k divides the steps since the previous one, they are spread evenly, the last at
   * p (one dict after each bar update is simply at p); else the first is at p and the others follow it one by one, as
   * they do the previous step when no bar position is past it.
   */
  private flush(ctx: ParseContext): void {
    if (this.pending.length === 0) return
    const p = this.progress
    const before = this.lastStep
    const k = this.pending.filter((e) => !e.evalOnly).length
    let first = before + 1
    let every = 1
    if (p !== null && p > before && k > 0) {
      if ((p - before) % k === 0) {
        // Evenly spaced up to p: the logging interval is (p - previous step) / k.
        every = (p - before) / k
        first = before + every
      } else {
        // Not an even split: the first at the bar's position, the rest after it.
        first = p
      }
    }
    let step = before
    for (const e of this.pending.splice(0)) {
      if (!e.evalOnly) step = step === before ? first : step + every
      this.emit(e, Math.max(step, 1), ctx)
    }
  }

  finish(ctx: ParseContext): void {
    this.flush(ctx)
  }

  /** The run's total steps: the banner's or a dict's, else the training bar's total. */
  private total(): number | null {
    return this.bannerTotal ?? this.barTotal
  }

  private perEpoch(): number | null {
    if (this.learntPerEpoch !== null) return this.learntPerEpoch
    const total = this.total()
    if (total === null || this.epochs === null || this.epochs <= 0) return null
    // With `max_steps`, the banner's epochs are rounded up and total / epochs is not the steps of an epoch: when it is
    // not a whole number, it is not trusted.
    const perEpoch = total / this.epochs
    return Number.isInteger(perEpoch) ? perEpoch : null
  }

  private stepOf(dict: Dict, evalOnly: boolean): number {
    const perEpoch = this.perEpoch()
    const floor = evalOnly ? this.lastStep : this.lastStep + 1
    if (evalOnly && dict.epoch !== null && dict.epoch === this.lastEpoch) return Math.max(this.lastStep, 1)
    if (perEpoch !== null && dict.epoch !== null) {
      const exact = dict.epoch * perEpoch
      const spread = dict.epochHalfUnit * perEpoch
      if (spread < 0.5) return Math.max(1, Math.round(exact))
      const lo = Math.ceil(exact - spread)
      const hi = Math.floor(exact + spread)
      const p = this.progress
      if (p !== null && p >= lo && p <= hi && p >= floor) return p
      return Math.max(floor, Math.min(hi, Math.max(lo, floor)))
    }
    if (this.progress !== null && this.progress >= floor && this.progress > 0) return this.progress
    return Math.max(floor, 1)
  }

  /** Follows the training bar (its lines stay offered to other families: a dict may be glued after a bar). */
  private bars(line: string, ctx: ParseContext): boolean {
    for (const bar of barUpdates(line)) {
      const label = stripPrefixes(bar.label)
      if (!TRAINING_LABEL.test(label) || !mayBeTrainingBar(bar, line)) continue
      // The first training bar's total is the run's; a later bar of another total is an evaluation bar.
      const total = this.total()
      if (total !== null && bar.total !== total) continue
      this.barTotal ??= bar.total
      if (bar.position !== this.progress) this.flush(ctx)
      this.progress = bar.position
      if (bar.position === bar.total && bar.total > 0) ctx.finishedLine = ctx.lineNo
    }
    return false
  }

  private banner(line: string): boolean {
    const t = TOTAL_STEPS.exec(line)
    if (t) this.bannerTotal = Number(t[1].replaceAll(',', ''))
    const e = NUM_EPOCHS.exec(line)
    if (e) {
      this.epochs = Number(e[1].replaceAll(',', ''))
      this.bannerLines = BANNER_LINES
    }
    const m = MAX_STEPS.exec(line)
    if (m && Number(m[1]) > 0) this.bannerTotal ??= Number(m[1])
    return t !== null || e !== null
  }
}

import type {ParseContext} from '../context.js'
import type {StepMetricRow} from '../types.js'
import type {LineFamily} from './family.js'

export const ROLL_FAMILY = 'roll-json'

const STEP_KEYS = ['system/step', 'global_step', 'step', '_step', 'train/step']
const FINISHED = /pipeline step (\d+) finished/

/**
 * ROLL's pipelines log the step's metrics as one JSON object (`logger.info(json.dumps(metrics))`), usually behind a
 * logging prefix, then `pipeline step N finished`. Metric keys are namespaced (`actor/pg_loss`, `critic/score/mean`,
 * `val/score/mean`). The step is a step key of the object when present, else the `pipeline step N finished` line that
 * follows.
 */
export class RollJsonFamily implements LineFamily {
  readonly name = ROLL_FAMILY
  readonly markers = ['pipeline step ', '{"']
  private pending: StepMetricRow[] = []
  private pendingLine = 0
  private lastStep = -1

  parse(line: string, ctx: ParseContext): boolean {
    if (line.indexOf('pipeline step ') !== -1) {
      const m = FINISHED.exec(line)
      if (m) {
        this.flush(ctx, Number(m[1]))
        return true
      }
    }
    const open = line.indexOf('{"')
    if (open === -1 || line.charCodeAt(line.length - 1) !== 125 /* } */) return false
    let obj: unknown
    try {
      obj = JSON.parse(line.slice(open))
    } catch {
      return false
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return false
    const entries: Array<[string, number]> = []
    let namespaced = 0
    let step: number | null = null
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      if (typeof v !== 'number') continue
      if (STEP_KEYS.includes(k) && step === null && Number.isInteger(v)) step = v
      entries.push([k, v])
      if (k.includes('/')) namespaced++
    }
    // Only metric dictionaries: mostly numbers with namespaced keys.
    if (entries.length < 2 || namespaced * 2 < entries.length) return false
    if (this.pending.length > 0) {
      this.flush(ctx, this.lastStep + 1, 'a metrics line without `pipeline step N finished` after it')
    }
    for (const [key, value] of entries) {
      this.pending.push({step: step ?? -1, key, value, family: ROLL_FAMILY, origin: 'stdout', line: ctx.lineNo})
    }
    this.pendingLine = ctx.lineNo
    if (step !== null) this.flush(ctx, step)
    return true
  }

  private flush(ctx: ParseContext, step: number, warning?: string): void {
    if (this.pending.length === 0) return
    if (warning) ctx.warn('roll_step_guessed', `${warning}: assigned to step ${step}`, this.pendingLine)
    for (const r of this.pending) {
      r.step = step
      ctx.stepMetrics.push(r)
    }
    this.pending = []
    this.lastStep = step
    ctx.stepRow(step, ROLL_FAMILY).complete = true
    ctx.step = step
  }

  finish(ctx: ParseContext): void {
    this.flush(ctx, this.lastStep + 1, 'the log ends after a metrics line without `pipeline step N finished`')
  }
}

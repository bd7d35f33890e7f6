import {type ParseContext, pyNumber} from '../context.js'
import type {LineFamily} from './family.js'

export const TRL_FAMILY = 'trl-dict'

const PAIR = /'([^']+)':\s*(?:np\.float\d*\()?(-?[\w.+-]+)\)?/g
const PROGRESS = /(\d+)\/(\d+) \[/g

/**
 * Hugging Face Trainer / TRL logs: one Python dict per logging step, `{'loss': 0.0, 'learning_rate': 1e-06, …, 'epoch': 0.0}`.
 * The dict holds no step: the step is the tqdm position (`12/2374 [`) printed since the previous dict when there is one,
 * else the previous step + 1. The final `{'train_runtime': …}` summary belongs to the last step.
 */
export class TrlDictFamily implements LineFamily {
  readonly name = TRL_FAMILY
  readonly markers = ['%|', "{'"]
  private lastStep = 0
  private progress: number | null = null

  parse(line: string, ctx: ParseContext): boolean {
    if (line.indexOf('%|') !== -1) {
      let last: number | null = null
      PROGRESS.lastIndex = 0
      for (let m = PROGRESS.exec(line); m; m = PROGRESS.exec(line)) last = Number(m[1])
      if (last !== null) this.progress = last
    }
    const open = line.indexOf("{'")
    if (open === -1) return false
    const close = line.lastIndexOf('}')
    if (close < open || line.indexOf("'epoch'", open) === -1 && line.indexOf("'train_runtime'", open) === -1) return false
    const body = line.slice(open, close + 1)
    const values: Array<[string, number]> = []
    PAIR.lastIndex = 0
    for (let m = PAIR.exec(body); m; m = PAIR.exec(body)) {
      const v = pyNumber(m[2])
      if (v !== null) values.push([m[1], v])
    }
    if (values.length === 0) return false
    let step: number
    if (values.some(([k]) => k === 'train_runtime')) step = Math.max(this.lastStep, 1)
    else if (this.progress !== null && this.progress > this.lastStep) step = this.progress
    else step = this.lastStep + 1
    this.progress = null
    this.lastStep = step
    for (const [key, value] of values) {
      ctx.stepMetrics.push({step, key, value, family: TRL_FAMILY, origin: 'stdout', line: ctx.lineNo})
    }
    ctx.stepRow(step, TRL_FAMILY).complete = true
    ctx.step = step
    return true
  }
}

import {type ParseContext, pyNumber} from '../context.js'
import {stripPrefixes} from '../line-prefix.js'
import type {LineFamily} from './family.js'

export const PLAIN_FAMILY = 'plain'

/** `key=value`, `key: value` or `key value`, the value a number (a trailing `%` allowed), between separators. */
const PAIR =
  /(?:^|[\s,|;])([A-Za-z_][\w./@()-]*)(?:\s*=\s*|:\s+|\s+)(-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf)%?(?:\s*\/\s*(\d+))?(?=$|[\s,|;])/g
const STEP_KEY = /^(?:global_step|step|iter|iteration)$/i
/** Pairs must make most of the line: a sentence that happens to hold `step 100` is not a metrics line. */
const MIN_COVERAGE = 0.8

/**
 * The fallback for logs of hand-written training loops: one line per step of numbers by name, `step=100 loss=0.31
 * lr=1e-5`, `step: 100 | loss: 0.31`, `epoch 1  step 10  loss 5.59` (timestamps and log levels in front are skipped;
 * a line must hold `step=`, `step:`, `iter=` or `epoch `). A
 * line counts only when it names its step (`step`, `global_step`, `iter`; `step 5/100` also gives the total), holds
 * another number by name, and its pairs make nearly all of it, so that prose does not give false metrics.
 */
export class PlainKeyValueFamily implements LineFamily {
  readonly name = PLAIN_FAMILY
  // Few and cheap: each marker is searched in every line of a log (`step:` is verl's too); `epoch ` finds the
  // `epoch 1  step 10  loss …` form.
  readonly markers = ['step=', 'step:', 'iter=', 'epoch ']
  private total: number | null = null

  parse(line: string, ctx: ParseContext): boolean {
    // Lines come here for other families' markers too: only its own are worth a regex.
    if (line.indexOf('step') === -1 && line.indexOf('iter=') === -1) return false
    const text = stripPrefixes(line).trim()
    if (text.length === 0 || text.length > 2000) return false
    let step: number | null = null
    let covered = 0
    const values: Array<[string, number]> = []
    PAIR.lastIndex = 0
    for (let m = PAIR.exec(text); m; m = PAIR.exec(text)) {
      covered += m[0].trim().length
      const key = m[1]
      const v = pyNumber(m[2])
      if (v === null) return false
      if (STEP_KEY.test(key)) {
        if (step !== null || !Number.isInteger(v)) return false
        step = v
        if (m[3] !== undefined) this.total = Number(m[3])
      } else if (m[3] === undefined) {
        values.push([key, v])
      }
    }
    if (step === null || values.length === 0 || covered < MIN_COVERAGE * text.replace(/\s+/g, '').length) return false
    if (this.total !== null && step > this.total) step = this.total
    for (const [key, value] of values) {
      ctx.stepMetrics.push({step, key, value, family: PLAIN_FAMILY, origin: 'stdout', line: ctx.lineNo})
    }
    ctx.stepRow(step, PLAIN_FAMILY, this.total).complete = true
    ctx.step = step
    return true
  }
}

import {type ParseContext, pyNumber} from '../context.js'
import type {LineFamily} from './family.js'

export const VERL_FAMILY = 'verl'

const STEP_LINE = /(?:^|[\s)\]])step:(\d+) - (.+)$/

/**
 * verl's console logger: one line per training step, `step:N - key:value - key:value …`, often behind a Ray prefix
 * (`(TaskRunner pid=…) `). Keys may hold `/`, `@` and `:`; the value is after the last `:`.
 * Per-dataset validation keys look like `val-core/openai/gsm8k/reward/mean@1`.
 */
export class VerlFamily implements LineFamily {
  readonly name = VERL_FAMILY
  readonly markers = ['step:']

  parse(line: string, ctx: ParseContext): boolean {
    const i = line.indexOf('step:')
    if (i === -1 || line.indexOf(' - ', i) === -1) return false
    const m = STEP_LINE.exec(i === 0 ? line : line.slice(i > 0 ? i - 1 : 0))
    if (!m) return false
    const step = Number(m[1])
    const parts = m[2].split(' - ')
    let n = 0
    for (const part of parts) {
      const colon = part.lastIndexOf(':')
      if (colon <= 0) continue
      const value = pyNumber(part.slice(colon + 1))
      if (value === null) continue
      const key = part.slice(0, colon).trim()
      ctx.stepMetrics.push({step, key, value, family: VERL_FAMILY, origin: 'stdout', line: ctx.lineNo})
      n++
    }
    if (n === 0) return false
    const row = ctx.stepRow(step, VERL_FAMILY)
    row.complete = true
    ctx.step = step
    return true
  }
}

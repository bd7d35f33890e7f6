import type {ParseContext} from './context.js'
import type {RunEnd} from './types.js'

/** How the log ends (see `RunEnd`): an exception after the last trainer output failed the run. */
export function runEnd(ctx: ParseContext): RunEnd {
  const error = ctx.lastError
  if (error && error.line >= ctx.lastEventLine && error.line >= (ctx.finishedLine ?? 0)) return {state: 'failed', error}
  // A trainer that numbers its steps `N/M` finished when its step M is complete.
  const last = ctx.steps.length > 0 ? ctx.steps[ctx.steps.length - 1] : null
  const lastOfAll = last !== null && last.max_step !== null && last.step >= last.max_step && last.complete
  return {state: ctx.finishedLine !== null || lastOfAll ? 'finished' : null, error: null}
}

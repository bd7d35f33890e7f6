import type {ParseContext} from '../context.js'
import type {LineFamily} from './family.js'

/** Model API calls are POSTs: the HEAD and GET requests of a model download (`huggingface.co/…`) are not. */
const HTTP = /HTTP Request: (POST) (\S+) "HTTP\/[\d.]+ (\d{3})/
const TOKENS = /Token usage: (\d+) input \+ (\d+) output = (\d+) total/
const COST = /Cost: \$([\d.eE+-]+)(?: \(\$([\d.eE+-]+) for input, \$([\d.eE+-]+) for output\))?/

/**
 * OpenAI-client API calls as the httpx logger prints them (`HTTP Request: POST …/chat/completions "HTTP/1.1 200 OK"`),
 * with the per-call `Token usage: a input + b output = c total` and `Cost: $x ($i for input, $o for output)` lines that
 * follow. Stray text glued to the front of the line (`22.0HTTP Request: …`) is ignored. The first call after a judge
 * prompt line is the judge's; all others are the executor's.
 */
export class ApiCallFamily implements LineFamily {
  readonly name = 'api-calls'
  readonly markers = ['HTTP Request: ', 'Token usage: ', 'Cost: $']
  /** The last call's method and URL, interned: a run calls the same URL over and over (no lookup for a repeat). */
  private lastMethod = ''
  private lastUrl = ''

  parse(line: string, ctx: ParseContext): boolean {
    let i = line.indexOf('HTTP Request: ')
    if (i !== -1) {
      const m = HTTP.exec(i === 0 ? line : line.slice(i))
      if (!m) return false
      const role = ctx.judgePending ? 'judge' : 'executor'
      ctx.judgePending = false
      ctx.addCall({
        step: ctx.step,
        split: ctx.step === null && ctx.split === 'train' ? null : ctx.split,
        role,
        sample_id: null,
        source: null,
        method: m[1] === this.lastMethod ? this.lastMethod : (this.lastMethod = ctx.intern(m[1])),
        url: m[2] === this.lastUrl ? this.lastUrl : (this.lastUrl = ctx.intern(m[2])),
        http_status: Number(m[3]),
        input_tokens: null,
        output_tokens: null,
        total_tokens: null,
        cost: null,
        cost_input: null,
        cost_output: null,
        origin: 'stdout',
        line: ctx.lineNo,
      })
      return true
    }
    i = line.indexOf('Token usage: ')
    if (i !== -1) {
      const m = TOKENS.exec(line)
      if (!m) return false
      const call = ctx.lastCall
      if (call && call.total_tokens === null && call.cost === null) {
        call.input_tokens = Number(m[1])
        call.output_tokens = Number(m[2])
        call.total_tokens = Number(m[3])
      } else {
        ctx.warn('orphan_line', 'token usage line with no API call before it')
      }
      return true
    }
    i = line.indexOf('Cost: $')
    if (i !== -1) {
      const m = COST.exec(line)
      // Away from the start of a line, only the full client form counts (model output may say "Cost: $5").
      if (!m || (i !== 0 && m[2] === undefined)) return false
      const call = ctx.lastCall
      if (call && call.cost === null) {
        call.cost = Number(m[1])
        call.cost_input = m[2] === undefined ? null : Number(m[2])
        call.cost_output = m[3] === undefined ? null : Number(m[3])
      } else {
        ctx.warn('orphan_line', 'cost line with no API call before it')
      }
      return true
    }
    return false
  }
}

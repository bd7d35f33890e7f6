import type {ParseContext} from '../context.js'
import {launcherOf, stripPrefixes} from '../line-prefix.js'
import type {LineFamily} from './family.js'

const DROPPED_STEP = /Tried to log to step (\d+) that is less than the current step (\d+)/
const WANDB_LEVEL = /wandb: (ERROR|WARNING) (.*)$/
/** `ValueError: …`, `torch.OutOfMemoryError: …`, Ray's `ray.exceptions.RayTaskError(TypeError): …`. */
const EXCEPTION_LINE =
  /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Fault)|KeyboardInterrupt|StopIteration)(?:\(([A-Za-z_][\w.]*)\))?(?::\s*(.*))?$/

/** The exception type and message of an exception line, Ray's wrapper unwrapped; null when it is not one. */
export function exceptionOf(line: string): {type: string; message: string; wrapped: boolean} | null {
  const m = EXCEPTION_LINE.exec(line)
  if (!m) return null
  return {type: m[2] ?? m[1], message: (m[3] ?? '').trim(), wrapped: m[2] !== undefined}
}

/** Tracebacks followed at once (one per worker printing one). */
const MAX_OPEN_TRACEBACKS = 1024

/** Lines after Ray's wrapper within which the wrapped exception's own line is looked for. */
const RAY_INNER_LINES = 400

export class NoiseFamily implements LineFamily {
  readonly name = 'noise'
  readonly markers = ['Traceback (most recent call last)', 'wandb:', 'Tried to log to step']
  /** Open tracebacks by the process printing them (`launcherOf`): their first line. */
  private readonly tracebacks = new Map<string, number>()
  /** After Ray's `RayTaskError(X)`: the remote traceback follows, ending in X's own line with its message. */
  private rayInner: {type: string; until: number} | null = null

  greedy(): boolean {
    return this.tracebacks.size > 0 || this.rayInner !== null
  }

  /** Ray's wrapped exception `X` was printed: look for X's own line (its message) in the lines that follow. */
  awaitInner(type: string, ctx: ParseContext): void {
    this.rayInner = {type, until: ctx.lineNo + RAY_INNER_LINES}
  }

  /** X's own exception line after `RayTaskError(X)`: the message and line of the error are X's. */
  private inner(line: string, ctx: ParseContext): boolean {
    const inner = this.rayInner!
    if (ctx.lineNo > inner.until) {
      this.rayInner = null
      return false
    }
    const text = stripPrefixes(line).trim()
    const short = inner.type.slice(inner.type.lastIndexOf('.') + 1)
    if (!text.startsWith(short) && !text.startsWith(inner.type)) return false
    const e = exceptionOf(text)
    if (!e || ctx.lastError === null) return false
    this.rayInner = null
    ctx.lastError = {type: ctx.lastError.type, message: e.message, line: ctx.lineNo}
    return true
  }

  parse(raw: string, ctx: ParseContext): boolean {
    if (this.tracebacks.size > 0) {
      // Worker tracebacks come behind Ray's or torchrun's prefix on every line, interleaved with other workers' lines.
      const who = launcherOf(raw)
      const start = this.tracebacks.get(who)
      if (start !== undefined) {
        const line = stripPrefixes(raw)
        if (line.length === 0) return false
        const c = line.charCodeAt(0)
        if (c === 32 || c === 9) return true // frames and source lines of the traceback
        if (line.startsWith('During handling') || line.startsWith('The above exception')) return true
        if (line.startsWith('Traceback (most recent call last)')) return true
        const text = line.trim()
        const e = exceptionOf(text)
        ctx.warn('traceback', e ? text : 'traceback without exception line', start)
        this.tracebacks.delete(who)
        if (e) {
          ctx.lastError = {type: e.type, message: e.message, line: ctx.lineNo}
          if (e.wrapped) this.awaitInner(e.type, ctx)
          return true
        }
      }
    }
    if (this.rayInner !== null && this.inner(raw, ctx)) return true
    const line = raw
    if (line.startsWith('Traceback (most recent call last)') || line.endsWith('Traceback (most recent call last):')) {
      if (this.tracebacks.size < MAX_OPEN_TRACEBACKS) this.tracebacks.set(launcherOf(line), ctx.lineNo)
      return true
    }
    const w = line.indexOf('wandb:')
    if (w !== -1) {
      if (line.includes('Tried to log to step')) {
        const m = DROPPED_STEP.exec(line)
        ctx.warn(
          'wandb_dropped_step',
          m ? `wandb dropped data logged to step ${m[1]} (current step ${m[2]})` : line.slice(w).trim(),
        )
        return true
      }
      const m = WANDB_LEVEL.exec(line)
      if (m) {
        ctx.warn('wandb', `${m[1]}: ${m[2]}`)
        return true
      }
      // wandb's other messages (Tracking run…, run summary lines) carry no trainer events.
      return w <= 40
    }
    if (line.includes('Tried to log to step')) {
      const m = DROPPED_STEP.exec(line)
      if (m) {
        ctx.warn('wandb_dropped_step', `wandb dropped data logged to step ${m[1]} (current step ${m[2]})`)
        return true
      }
    }
    return false
  }

  finish(ctx: ParseContext): void {
    for (const start of this.tracebacks.values()) {
      ctx.warn('traceback', 'log ends inside a traceback', start)
      ctx.lastError ??= {type: 'Traceback', message: 'the log ends inside a traceback', line: start}
    }
    this.tracebacks.clear()
  }
}

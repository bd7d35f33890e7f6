import type {ParseContext} from '../context.js'
import type {LineFamily} from './family.js'

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g

/** Removes ANSI colour / cursor codes (`\x1b[36m`, OSC titles). */
export function stripAnsi(line: string): string {
  return line.indexOf('\x1b') === -1 ? line : line.replace(ANSI, '')
}

/**
 * Splits a raw console line into the pieces the parser looks at: ANSI codes removed, and each `\r`-separated
 * piece of a progress bar taken separately (a structured line may follow a bar that was redrawn with `\r`).
 * Empty pieces are dropped, except that an empty line stays one empty piece (it ends blocks).
 */
export function cleanPieces(raw: string): string[] {
  let line = raw
  if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1)
  line = stripAnsi(line)
  if (line.indexOf('\r') === -1) return [line]
  const pieces = line.split('\r').filter((p) => p.length > 0)
  return pieces.length > 0 ? pieces : ['']
}

const DROPPED_STEP = /Tried to log to step (\d+) that is less than the current step (\d+)/
const WANDB_LEVEL = /wandb: (ERROR|WARNING) (.*)$/
const EXCEPTION_LINE = /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Fault)|KeyboardInterrupt|StopIteration)(?::\s*(.*))?$/

/**
 * Noise worth keeping as warnings: wandb's own warnings (a step that wandb dropped), and Python tracebacks
 * (one warning per traceback, with its exception line). Everything else that is noise (TensorFlow/CUDA, progress bars,
 * model output) is simply not consumed by any family.
 */
export class NoiseFamily implements LineFamily {
  readonly name = 'noise'
  readonly markers = ['Traceback (most recent call last)', 'wandb:', 'Tried to log to step']
  private tracebackLine: number | null = null

  greedy(): boolean {
    return this.tracebackLine !== null
  }

  parse(line: string, ctx: ParseContext): boolean {
    if (this.tracebackLine !== null) {
      if (line.length === 0) return false
      const c = line.charCodeAt(0)
      if (c === 32 || c === 9) return true // frames and source lines of the traceback
      if (line.startsWith('During handling') || line.startsWith('The above exception')) return true
      if (line.startsWith('Traceback (most recent call last)')) return true
      const m = EXCEPTION_LINE.exec(line.trim())
      ctx.warn('traceback', m ? line.trim() : 'traceback without exception line', this.tracebackLine)
      this.tracebackLine = null
      if (m) return true
    }
    if (line.startsWith('Traceback (most recent call last)') || line.endsWith('Traceback (most recent call last):')) {
      this.tracebackLine = ctx.lineNo
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
    if (this.tracebackLine !== null) ctx.warn('traceback', 'log ends inside a traceback', this.tracebackLine)
    this.tracebackLine = null
  }
}

import type {ParseContext} from '../context.js'
import {stripPrefixes} from '../line-prefix.js'
import type {LineFamily} from './family.js'
import {type NoiseFamily, exceptionOf} from './noise.js'

const HYDRA_ERROR = 'Error executing job'
const RUN_END = /RayTaskError|Killed|Error executing job|succeeded|Trainer\.fit/
/** The shell's or the OOM killer's word on a killed process: `Killed`, `/bin/bash: line 1: 4242 Killed  python …`. */
const KILLED = /^(?:Killed\b|.*\bline \d+: +\d+ Killed\b)/
/** A Ray job's or Lightning's word that training ended: `Job 'raysubmit_…' succeeded`, "`Trainer.fit` stopped". */
const FINISHED = /^(?:Job '[^']+' succeeded|`Trainer\.fit` stopped)/
/** Hydra without HYDRA_FULL_ERROR prints the exception's repr a line or two below: `TypeError("… 'model_type'")`. */
const EXCEPTION_REPR = /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt))\((.*)\)$/
/** Lines after Hydra's `Error executing job` within which its short form of the exception is looked for. */
const HYDRA_DETAIL_LINES = 6

/**
 * Lines that end a run outside a traceback: the shell's `Killed`, Hydra's `Error executing job` (the traceback after it
 * names the exception), Ray's `RayTaskError(X)` re-raised in the driver, a Ray job's `Job '…' succeeded`, Lightning's
 * "`Trainer.fit` stopped". Last of the families: only lines no other family took reach it, so its one scan costs the
 * many lines of a long log nothing (Ray's lines pass the gate for the `Traceback` marker near them, or for another
 * family's; Hydra's is a marker: without HYDRA_FULL_ERROR it prints no traceback, only the exception's repr).
 */
export class RunEndFamily implements LineFamily {
  readonly name = 'run-end'
  // `executing job`, not `Error executing job`: a marker opening with a letter no other marker opens with slows the
  // one scan every line of a log gets.
  readonly markers = ['Killed', 'succeeded', 'Trainer.fit', 'executing job']
  /** After Hydra's `Error executing job`: the last line where its short form of the exception may come. */
  private hydraUntil = 0

  /** `noise` looks for the wrapped exception's own line after Ray's wrapper. */
  constructor(private readonly noise: NoiseFamily) {}

  greedy(): boolean {
    return this.hydraUntil > 0
  }

  parse(line: string, ctx: ParseContext): boolean {
    if (this.hydraUntil > 0 && this.hydraDetail(line, ctx)) return true
    const m = RUN_END.exec(line)
    if (m === null) return false
    const text = stripPrefixes(line)
    switch (m[0]) {
      case 'RayTaskError': {
        const e = exceptionOf(text.trim())
        if (!e) return false
        ctx.lastError = {type: e.type, message: e.message, line: ctx.lineNo}
        if (e.wrapped) this.noise.awaitInner(e.type, ctx)
        return true
      }
      case 'Killed':
        if (!KILLED.test(text)) return false
        ctx.lastError = {type: 'Killed', message: text.trim(), line: ctx.lineNo}
        return true
      case HYDRA_ERROR:
        if (!text.startsWith(HYDRA_ERROR)) return false
        ctx.lastError = {type: 'HydraError', message: HYDRA_ERROR, line: ctx.lineNo}
        this.hydraUntil = ctx.lineNo + HYDRA_DETAIL_LINES
        return true
      default:
        if (!FINISHED.test(text)) return false
        ctx.finishedLine = ctx.lineNo
        return true
    }
  }

  /** Hydra's short form of the exception (a traceback, when printed, names it through `noise` instead). */
  private hydraDetail(line: string, ctx: ParseContext): boolean {
    if (ctx.lineNo > this.hydraUntil || ctx.lastError?.type !== 'HydraError') {
      this.hydraUntil = 0
      return false
    }
    const m = EXCEPTION_REPR.exec(stripPrefixes(line).trim())
    if (m === null) return false
    this.hydraUntil = 0
    ctx.lastError = {type: m[1], message: unquote(m[2]), line: ctx.lineNo}
    return true
  }
}

/** The text of a Python string literal as printed by `repr` (`"…"` or `'…'`); other arguments as printed. */
function unquote(arg: string): string {
  const q = arg[0]
  return (q === '"' || q === "'") && arg.endsWith(q) && arg.length >= 2 ? arg.slice(1, -1) : arg
}

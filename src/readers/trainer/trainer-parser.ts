import {createReadStream} from 'node:fs'
import {open, stat} from 'node:fs/promises'
import {StringDecoder} from 'node:string_decoder'
import {InputError} from '../wandb/errors.js'
import {ParseContext} from './context.js'
import {ApiCallFamily} from './families/api-calls.js'
import type {LineFamily} from './families/family.js'
import {GrpoWorkflowFamily} from './families/grpo-workflow.js'
import {cleanPieces, NoiseFamily} from './families/noise.js'
import {RollJsonFamily} from './families/roll-json.js'
import {TrlDictFamily} from './families/trl-dict.js'
import {VerlFamily} from './families/verl.js'
import type {TrainerEvents} from './types.js'

export type * from './types.js'

/** The families a parser tries, in order. A new trainer format is one more family here. */
export function defaultFamilies(): LineFamily[] {
  return [new NoiseFamily(), new ApiCallFamily(), new GrpoWorkflowFamily(), new VerlFamily(), new TrlDictFamily(), new RollJsonFamily()]
}

/**
 * Turns trainer console lines into raw events. Feed it lines one at a time (split on `\n`; `\r` progress-bar overwrites
 * and ANSI codes are handled here), then call `finish()` once.
 */
export class TrainerParser {
  private readonly ctx: ParseContext
  private readonly families: LineFamily[]
  private finished: TrainerEvents | null = null

  constructor(opts?: {origin?: string; families?: LineFamily[]}) {
    this.ctx = new ParseContext(opts?.origin ?? 'stdout')
    this.families = opts?.families ?? defaultFamilies()
  }

  push(line: string): void {
    if (this.finished) throw new Error('TrainerParser.push after finish()')
    const ctx = this.ctx
    ctx.lineNo++
    const pieces = line.indexOf('\x1b') === -1 && line.indexOf('\r') === -1 ? null : cleanPieces(line)
    if (pieces === null) {
      this.offer(line)
    } else {
      for (const p of pieces) this.offer(p)
    }
  }

  private offer(line: string): void {
    const fams = this.families
    for (let i = 0; i < fams.length; i++) if (fams[i].parse(line, this.ctx)) return
  }

  finish(): TrainerEvents {
    if (this.finished) return this.finished
    const ctx = this.ctx
    for (const f of this.families) f.finish?.(ctx)
    this.finished = {
      steps: ctx.steps,
      samples: ctx.samples,
      judgeEvents: ctx.judgeEvents,
      apiCalls: ctx.apiCalls,
      stepTallies: ctx.stepTallies,
      collectorSummaries: ctx.collectorSummaries,
      stepMetrics: ctx.stepMetrics,
      warnings: ctx.warnings,
      lines: ctx.lineNo,
    }
    return this.finished
  }
}

/** Bytes looked at to tell a binary file from a text log. */
const SNIFF_BYTES = 8192

/**
 * Parses a trainer stdout log file, streaming: the file is read in chunks and split on `\n`, never held in memory whole.
 * Throws InputError for a missing, unreadable, non-regular or binary file.
 */
export async function parseTrainerLogFile(path: string): Promise<TrainerEvents> {
  let size: number
  try {
    const st = await stat(path)
    if (st.isDirectory()) throw new InputError(path, 'is a directory, not a trainer log (pass the log file, e.g. train.log)')
    if (!st.isFile()) throw new InputError(path, 'is not a regular file')
    size = st.size
  } catch (error) {
    if (error instanceof InputError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError(path, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(error)})`)
  }
  await sniffText(path, size)

  const parser = new TrainerParser({origin: 'stdout'})
  const decoder = new StringDecoder('utf8')
  let tail = ''
  let bytes = 0
  const feed = (text: string): void => {
    let start = 0
    for (;;) {
      const nl = text.indexOf('\n', start)
      if (nl === -1) break
      if (tail.length > 0) {
        parser.push(tail + text.slice(start, nl))
        tail = ''
      } else {
        parser.push(text.slice(start, nl))
      }
      start = nl + 1
    }
    if (start < text.length) tail += start === 0 ? text : text.slice(start)
  }
  try {
    const stream = createReadStream(path, {highWaterMark: 1 << 20})
    for await (const chunk of stream) {
      const buf = chunk as Buffer
      bytes += buf.length
      feed(decoder.write(buf))
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError(path, `cannot read (${code ?? String(error)})`)
  }
  feed(decoder.end())
  if (tail.length > 0) parser.push(tail)
  const events = parser.finish()
  events.bytes = bytes
  return events
}

async function sniffText(path: string, size: number): Promise<void> {
  let head: Buffer
  try {
    const fh = await open(path, 'r')
    try {
      head = Buffer.alloc(Math.min(SNIFF_BYTES, size))
      const {bytesRead} = await fh.read(head, 0, head.length, 0)
      head = head.subarray(0, bytesRead)
    } finally {
      await fh.close()
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError(path, `cannot read (${code ?? String(error)})`)
  }
  if (head.length >= 3 && head[0] === 0x3a && head[1] === 0x57 && head[2] === 0x26) {
    throw new InputError(path, "is a wandb run file (.wandb), not a stdout log: read the run directory instead of passing it as --stdout")
  }
  let control = 0
  for (let i = 0; i < head.length; i++) {
    const b = head[i]
    if (b === 0) throw new InputError(path, 'is a binary file, not a text log (it contains NUL bytes)')
    if (b < 8 || (b > 13 && b < 27 && b !== 27)) control++
  }
  if (head.length > 0 && control / head.length > 0.1) throw new InputError(path, 'is a binary file, not a text log')
}

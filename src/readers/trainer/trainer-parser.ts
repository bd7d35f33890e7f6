import {type FileHandle, open, stat} from 'node:fs/promises'
import {InputError} from '../../errors.js'
import {ParseContext} from './context.js'
import {ApiCallFamily} from './families/api-calls.js'
import type {LineFamily} from './families/family.js'
import {GrpoWorkflowFamily} from './families/grpo-workflow.js'
import {cleanPieces, NoiseFamily, stripAnsi} from './families/noise.js'
import {PlainKeyValueFamily} from './families/plain-kv.js'
import {ProgressPostfixFamily} from './families/progress-postfix.js'
import {RollJsonFamily} from './families/roll-json.js'
import {RunEndFamily} from './families/run-end.js'
import {TrlDictFamily} from './families/trl-dict.js'
import {VerlFamily} from './families/verl.js'
import type {RunEnd, SettledBatch, TrainerEvents, WarningRow} from './types.js'
import {byteCount, maxLineBytes} from '../limits.js'
import type {ReadProgress} from '../read-progress.js'

export type * from './types.js'

/** The families a parser tries, in order. A new trainer format is one more family here. */
export function defaultFamilies(): LineFamily[] {
  const noise = new NoiseFamily()
  return [
    noise,
    new ApiCallFamily(),
    new GrpoWorkflowFamily(),
    new VerlFamily(),
    new TrlDictFamily(),
    new RollJsonFamily(),
    new ProgressPostfixFamily(),
    new PlainKeyValueFamily(),
    new RunEndFamily(noise),
  ]
}

/** A regex source matching any of `markers` literally; `latin1`: as their UTF-8 bytes read as Latin-1 characters. */
function markerSource(markers: Iterable<string>, latin1: boolean): string {
  const parts: string[] = []
  for (const m of markers) {
    const text = latin1 ? Buffer.from(m, 'utf8').toString('latin1') : m
    let src = ''
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      // escape everything but letters, digits, space and non-ASCII (\xNN / \uNNNN keep the pattern plain ASCII)
      if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 32) src += text[i]
      else if (c < 256) src += '\\x' + c.toString(16).padStart(2, '0')
      else src += '\\u' + c.toString(16).padStart(4, '0')
    }
    parts.push(src)
  }
  return parts.join('|')
}

/**
 * Turns trainer console lines into raw events. Feed it lines one at a time (split on `\n`; `\r` progress-bar overwrites
 * and ANSI codes are handled here), then call `finish()` once.
 *
 * Speed: most lines (model output, noise) hold none of the families' markers. One regex scan over the line tests all the
 * markers (and `\x1b`, `\r`) at once; a line without any is only counted, unless a family is `greedy()` (inside a block).
 */
export class TrainerParser {
  private readonly ctx: ParseContext
  private readonly families: LineFamily[]
  private readonly greedyFamilies: LineFamily[]
  /** Any family's marker, `\x1b` or `\r`; null when a family declares no markers (every line is then offered). */
  private readonly gate: RegExp | null
  /** The same on a line decoded as Latin-1 (its UTF-8 bytes one character each), for `parseTrainerLogFile`. */
  private readonly gateLatin1: RegExp | null
  /**
   * Any family's marker or `\x1b`, but not `\r`, on Latin-1 text, global: searched over a whole slab of a log, it
   * tells which `\r` pieces hold no marker without looking at each (`LogLineSplitter`). Null as `gate`.
   * @internal
   */
  readonly pieceGate: RegExp | null
  /** Some family is greedy: every line is offered. */
  private greedy = false
  /** The noise family's place in `families` (its lines are not trainer output). */
  private readonly noiseIndex: number
  private finished: TrainerEvents | null = null
  /** What settling the batches taken so far found wrong: joins the warnings at the end, where it would have been found. */
  private readonly settledWarnings: WarningRow[] = []

  constructor(opts?: {origin?: string; families?: LineFamily[]}) {
    this.ctx = new ParseContext(opts?.origin ?? 'stdout')
    this.families = opts?.families ?? defaultFamilies()
    this.greedyFamilies = this.families.filter((f) => typeof f.greedy === 'function')
    this.noiseIndex = this.families.findIndex((f) => f.name === 'noise')
    const markers = new Set<string>(['\x1b', '\r'])
    let all = true
    for (const f of this.families) {
      if (!f.markers) all = false
      else for (const m of f.markers) if (m.length > 0) markers.add(m)
    }
    this.gate = all ? new RegExp(markerSource(markers, false)) : null
    this.gateLatin1 = all ? new RegExp(markerSource(markers, true)) : null
    markers.delete('\r')
    this.pieceGate = all ? new RegExp(markerSource(markers, true), 'g') : null
  }

  /** Every line or piece is offered to the families (one is in a block, or there is no gate). @internal */
  get offersAll(): boolean {
    return this.greedy || this.gateLatin1 === null
  }

  /**
   * A piece `pushPiece` would not offer (no marker, no `\x1b`, and `offersAll` false), given only by whether it is
   * empty: the line's bookkeeping without the piece's text. @internal
   */
  skipPiece(first: boolean, empty: boolean): void {
    if (this.finished) throw new Error('TrainerParser.push after finish()')
    if (first) {
      this.ctx.lineNo++
      this.pieceSeen = false
    }
    if (!empty) this.pieceSeen = true
  }

  push(line: string): void {
    if (this.finished) throw new Error('TrainerParser.push after finish()')
    this.ctx.lineNo++
    if (!this.greedy && this.gate !== null && !this.gate.test(line)) return
    this.process(line)
  }

  /**
   * One line given as bytes `buf[start, end)` (no `\n`) and as `latin1`, those bytes read as Latin-1: the markers are
   * searched in it and the line is decoded as UTF-8 only when it holds one (`buf` null: decoded from `latin1`). For
   * `parseTrainerLogFile` and the console of a `.wandb` (`RawConsoleLines`).
   * @internal
   */
  pushBytes(latin1: string, buf: Buffer | null, start: number, end: number): void {
    if (this.finished) throw new Error('TrainerParser.push after finish()')
    this.ctx.lineNo++
    if (!this.greedy && this.gateLatin1 !== null && !this.gateLatin1.test(latin1)) return
    this.process(buf ? (buf as RawBuffer).utf8Slice(start, end) : Buffer.from(latin1, 'latin1').toString('utf8'))
  }

  /** A piece of the current line was not empty (`pushPiece`). */
  private pieceSeen = false

  /**
   * One piece of a line split on `\r` as well as `\n` (a tqdm bar redrawn with `\r` for hundreds of MB holds no
   * `\n`): `first` starts a new line (counted once, so line numbers stay those of `\n`). Pieces are offered one by
   * one, ANSI codes removed and empty ones skipped, as `cleanPieces` does for a whole line; `endLine` closes the line.
   * Arguments as `pushBytes`.
   * @internal
   */
  pushPiece(latin1: string, buf: Buffer | null, start: number, end: number, first: boolean): void {
    if (this.finished) throw new Error('TrainerParser.push after finish()')
    if (first) {
      this.ctx.lineNo++
      this.pieceSeen = false
    }
    if (!this.greedy && this.gateLatin1 !== null && !this.gateLatin1.test(latin1)) {
      // Not offered (no marker, and no `\x1b`: so it is empty only if it has no characters).
      if (latin1.length > 0) this.pieceSeen = true
      return
    }
    const text = buf ? (buf as RawBuffer).utf8Slice(start, end) : Buffer.from(latin1, 'latin1').toString('utf8')
    const piece = stripAnsi(text)
    if (piece.length === 0) return
    this.pieceSeen = true
    this.offer(piece)
    this.updateGreedy()
  }

  /** Ends a line given as pieces: a line of empty pieces is one empty line (it ends blocks), as with `cleanPieces`. */
  endLine(): void {
    if (this.pieceSeen) return
    this.offer('')
    this.updateGreedy()
  }

  /**
   * The current line of `where` (a file, or a run's console) held more than `limit` bytes without a break: `skipped`
   * bytes past the limit were not read.
   */
  lineCut(limit: number, skipped: number, where: string): void {
    this.ctx.warn(
      'long_line',
      `${where}: line ${this.ctx.lineNo} holds more than ${byteCount(limit)} bytes without a line break: ` +
        `${byteCount(skipped)} byte(s) past that limit were skipped (RUNLOG_MAX_LINE_BYTES sets it)`,
    )
  }

  private process(line: string): void {
    if (line.indexOf('\x1b') === -1 && line.indexOf('\r') === -1) {
      this.offer(line)
    } else {
      for (const p of cleanPieces(line)) this.offer(p)
    }
    this.updateGreedy()
  }

  private updateGreedy(): void {
    const g = this.greedyFamilies
    let greedy = false
    for (let i = 0; i < g.length; i++) {
      if (g[i].greedy!()) {
        greedy = true
        break
      }
    }
    this.greedy = greedy
  }

  private offer(line: string): void {
    const fams = this.families
    for (let i = 0; i < fams.length; i++) {
      if (fams[i].parse(line, this.ctx)) {
        // Trainer output after an exception means the exception did not end the run.
        if (i !== this.noiseIndex) this.ctx.lastEventLine = this.ctx.lineNo
        return
      }
    }
  }

  /**
   * Takes out the samples, judge events, API calls, step tallies, collector summaries and step metrics of the steps
   * before the previous one, settled (see `LineFamily.settle`), so that a long log's events need not all stay in memory
   * until `finish`. Those steps are over: a step's calls go to its own samples (pending calls are dropped when a step
   * begins), and its tallies and sources are worked out within the step. Rows are taken in log order, as a prefix of
   * each list, so the batches and then `finish`'s rows are every row in the order `finish` alone would give, settled
   * the same way — as long as the step number never goes back: a step seen again after it was taken is settled apart
   * from its first rows. The last API call (a `Token usage` or `Cost` line may still complete it) and calls not yet
   * attributed stay. Null when there is nothing to take, or while the parser holds fewer than `minRows` rows of these
   * tables (a caller taking batches only once they are worth it).
   */
  takeSettled(minRows = 0): SettledBatch | null {
    if (this.finished) throw new Error('TrainerParser.takeSettled after finish()')
    const ctx = this.ctx
    if (ctx.step === null || rowsOf(ctx) < minRows) return null
    const before = ctx.step - 1
    const calls = Math.min(settledPrefix(ctx.apiCalls, before), ctx.apiCalls.length - Math.max(ctx.pendingCalls.length, ctx.lastCall ? 1 : 0))
    const batch: SettledBatch = {
      samples: ctx.samples.splice(0, settledPrefix(ctx.samples, before)),
      judgeEvents: ctx.judgeEvents.splice(0, settledPrefix(ctx.judgeEvents, before)),
      apiCalls: ctx.apiCalls.splice(0, Math.max(0, calls)),
      stepTallies: ctx.stepTallies.splice(0, settledPrefix(ctx.stepTallies, before)),
      collectorSummaries: ctx.collectorSummaries.splice(0, settledPrefix(ctx.collectorSummaries, before)),
      stepMetrics: ctx.stepMetrics.splice(0, settledPrefix(ctx.stepMetrics, before)),
    }
    if (rowsOf(batch) === 0) return null
    for (const f of this.families) f.settle?.(ctx, batch, this.settledWarnings, false)
    return batch
  }

  finish(): TrainerEvents {
    if (this.finished) return this.finished
    const ctx = this.ctx
    const rest: SettledBatch = ctx
    for (const f of this.families) {
      f.finish?.(ctx)
      if (f.settle) {
        ctx.warnings.push(...this.settledWarnings.splice(0))
        f.settle(ctx, rest, ctx.warnings, true)
      }
    }
    this.finished = {
      steps: ctx.steps,
      samples: ctx.samples,
      judgeEvents: ctx.judgeEvents,
      apiCalls: ctx.apiCalls,
      stepTallies: ctx.stepTallies,
      collectorSummaries: ctx.collectorSummaries,
      stepMetrics: ctx.stepMetrics,
      warnings: ctx.warnings,
      end: runEnd(ctx),
      lines: ctx.lineNo,
    }
    return this.finished
  }
}

/** How the log ends (see `RunEnd`): an exception after the last trainer output failed the run. */
function runEnd(ctx: ParseContext): RunEnd {
  const error = ctx.lastError
  if (error && error.line >= ctx.lastEventLine && error.line >= (ctx.finishedLine ?? 0)) return {state: 'failed', error}
  // A trainer that numbers its steps `N/M` finished when its step M is complete.
  const last = ctx.steps.length > 0 ? ctx.steps[ctx.steps.length - 1] : null
  const lastOfAll = last !== null && last.max_step !== null && last.step >= last.max_step && last.complete
  return {state: ctx.finishedLine !== null || lastOfAll ? 'finished' : null, error: null}
}

function rowsOf(b: SettledBatch): number {
  return b.samples.length + b.judgeEvents.length + b.apiCalls.length + b.stepTallies.length + b.collectorSummaries.length + b.stepMetrics.length
}

/** How many rows at the start of `rows` belong to steps before `step` (or to no step: lines before the first step). */
function settledPrefix(rows: ReadonlyArray<{step: number | null}>, step: number): number {
  let n = 0
  while (n < rows.length) {
    const s = rows[n].step
    if (s !== null && s >= step) break
    n++
  }
  return n
}

/** Node's own decoders behind `buf.toString(enc, start, end)`, without its argument checks (they cost ~100 ns a line). */
type RawBuffer = Buffer & {utf8Slice(start: number, end: number): string; latin1Slice(start: number, end: number): string}

/** Bytes read at a time. */
const CHUNK_BYTES = 1 << 20

/** Bytes looked at to tell a binary file from a text log. */
const SNIFF_BYTES = 8192

/**
 * Parses a trainer stdout log file, streaming: the file is read in chunks and split on `\n`, never held in memory whole.
 * With `opts.settled`, the events of finished steps go to `onBatch` (see `TrainerParser.takeSettled`) whenever the parser
 * holds `rows` rows (a promise it returns is awaited before reading on), and the events returned are the rest. Throws
 * InputError for a missing, unreadable, non-regular or binary file.
 */
export async function parseTrainerLogFile(
  path: string,
  opts: {
    settled?: {rows: number; onBatch: (batch: SettledBatch) => void | Promise<void>}
    /** Called after each MiB read, with the bytes read so far and the file's size (a progress bar). */
    onProgress?: ReadProgress
    /** The rows' `origin` (default `stdout`; a followed run's spooled console: `wandb_console`). */
    origin?: string
    /** Refuse a file that looks binary (default); off for a file runlog wrote itself from a run's console. */
    sniff?: boolean
  } = {},
): Promise<TrainerEvents> {
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
  if (opts.sniff !== false) await sniffText(path, size)

  const parser = new TrainerParser({origin: opts.origin ?? 'stdout'})
  const {settled, onProgress} = opts
  const lines = new LogLineSplitter(parser, maxLineBytes(), path)
  let bytes = 0
  let fh: FileHandle | null = null
  try {
    fh = await open(path, 'r')
    for (;;) {
      const {bytesRead} = await fh.read(lines.buffer, lines.have, CHUNK_BYTES, null)
      bytes += bytesRead
      if (bytesRead === 0) {
        lines.end()
        break
      }
      lines.take(bytesRead)
      const batch = settled && parser.takeSettled(settled.rows)
      if (batch) await settled.onBatch(batch)
      onProgress?.(bytes, size)
    }
  } catch (error) {
    if (error instanceof InputError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError(path, `cannot read (${code ?? String(error)})`)
  } finally {
    await fh?.close()
  }
  const events = parser.finish()
  events.bytes = bytes
  return events
}

/**
 * Splits a log's bytes into lines for a parser, in a buffer of bounded size. Lines end at `\n`; a line holding `\r`
 * (progress bars redrawn in place) goes to the parser one `\r`-separated piece at a time, so a bar redrawn for
 * hundreds of MB without a `\n` never has to be held whole. A piece longer than `maxLine` bytes is cut: its first
 * `maxLine` bytes are parsed, the rest up to the next `\r` or `\n` is skipped and counted (a `long_line` warning).
 */
export class LogLineSplitter {
  /** Read up to `CHUNK_BYTES` into `buffer[have, …)` (there is always room), then call `take` with the bytes read. */
  readonly buffer: Buffer
  have = 0
  /** The current line was given as pieces (it held a `\r`, or was cut). */
  private inPieces = false
  /** Bytes being skipped: the current piece went past the limit. */
  private cutting = false
  private skipped = 0

  constructor(
    private readonly parser: TrainerParser,
    private readonly maxLine: number,
    /** The log's name, for warnings. */
    private readonly file: string,
  ) {
    this.buffer = Buffer.allocUnsafe(maxLine + CHUNK_BYTES)
  }

  /** `n` new bytes were read into the buffer after `have`. */
  take(n: number): void {
    const buf = this.buffer
    const end = this.have + n
    // One character per byte: character offsets are byte offsets. Only lines holding a marker are decoded as UTF-8.
    const text = (buf as RawBuffer).latin1Slice(0, end)
    this.slab++
    let pos = 0
    let nl = text.indexOf('\n')
    let cr = text.indexOf('\r')
    while (nl !== -1 || cr !== -1) {
      if (cr !== -1 && (nl === -1 || cr < nl)) {
        this.piece(text, pos, cr, false)
        pos = cr + 1
        cr = text.indexOf('\r', pos)
      } else {
        if (this.plain(nl - pos)) this.parser.pushBytes(text.slice(pos, nl), buf, pos, nl)
        else this.piece(text, pos, nl, true)
        pos = nl + 1
        nl = text.indexOf('\n', pos)
      }
    }
    if (this.cutting) {
      this.skipped += end - pos
      pos = end
    } else if (end - pos > this.maxLine) {
      // A piece with no break in sight: its first bytes are parsed, the rest is skipped up to the next break.
      this.emitPiece(text, pos, pos + this.maxLine)
      this.cutting = true
      this.skipped += end - pos - this.maxLine
      pos = end
    }
    buf.copyWithin(0, pos, end)
    this.have = end - pos
  }

  /** The end of the file: the last line, if it has no `\n`. */
  end(): void {
    if (this.have === 0 && !this.inPieces && !this.cutting) return
    const text = (this.buffer as RawBuffer).latin1Slice(0, this.have)
    this.slab++
    if (this.plain(this.have)) this.parser.pushBytes(text, this.buffer, 0, this.have)
    else this.piece(text, 0, this.have, true)
    this.have = 0
  }

  /** A whole line of `length` bytes goes to the parser as it is (no piece of it went, and it is within the limit). */
  private plain(length: number): boolean {
    return !this.inPieces && !this.cutting && length <= this.maxLine
  }

  /** The piece `text[start, stop)`, ended by a `\r` or (`lineEnd`) by the end of its line. */
  private piece(text: string, start: number, stop: number, lineEnd: boolean): void {
    if (this.cutting) {
      this.skipped += stop - start
      this.cutting = false
    } else if (stop - start > this.maxLine) {
      this.emitPiece(text, start, start + this.maxLine)
      this.skipped += stop - start - this.maxLine
    } else this.emitPiece(text, start, stop)
    if (!lineEnd) return
    this.parser.endLine()
    if (this.skipped > 0) this.parser.lineCut(this.maxLine, this.skipped, this.file)
    this.inPieces = false
    this.skipped = 0
  }

  private emitPiece(text: string, start: number, stop: number): void {
    const first = !this.inPieces
    this.inPieces = true
    const parser = this.parser
    const markerless = !parser.offersAll && parser.pieceGate !== null && this.markAtOrAfter(text, start) >= stop
    if (markerless) parser.skipPiece(first, stop === start)
    else parser.pushPiece(text.slice(start, stop), this.buffer, start, stop, first)
  }

  /** Slabs of text taken so far; the slab searched for markers; its first marker at or after `markFrom` (-1: none). */
  private slab = 0
  private markSlab = -1
  private markFrom = 0
  private mark = -1

  /**
   * Where the next marker at or after `pos` starts in `text` (-1: none; markers hold no `\r` or `\n`, so one that
   * starts in a piece ends in it). One search serves the many marker-less pieces of a redrawn bar.
   */
  private markAtOrAfter(text: string, pos: number): number {
    if (this.markSlab !== this.slab || pos < this.markFrom || (this.mark !== -1 && this.mark < pos)) {
      const gate = this.parser.pieceGate!
      gate.lastIndex = pos
      const m = gate.exec(text)
      this.markSlab = this.slab
      this.markFrom = pos
      this.mark = m ? m.index : -1
    }
    return this.mark === -1 ? Infinity : this.mark
  }
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

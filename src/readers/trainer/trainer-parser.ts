import {type FileHandle, open, stat} from 'node:fs/promises'
import {InputError} from '../../errors.js'
import {maxLineBytes} from '../../settings.js'
import {byteCount} from '../byte-count.js'
import type {RawBuffer} from '../raw-buffer.js'
import type {ReadProgress} from '../read-progress.js'
import {cleanPieces, stripAnsi} from './clean-line.js'
import {ParseContext} from './context.js'
import {defaultFamilies} from './default-families.js'
import type {LineFamily} from './families/family.js'
import {CHUNK_BYTES, LogLineSplitter} from './log-line-splitter.js'
import {gateMarkers, latin1Gate, markerSource} from './marker-source.js'
import {runEnd} from './run-ending.js'
import {finishedPrefix, rowsOf, settledPrefix} from './settled-rows.js'
import {sniffText} from './sniff-text.js'
import type {SettledBatch, TrainerEvents, WarningRow} from './types.js'

export type * from './types.js'
export {defaultFamilies} from './default-families.js'
export {LogLineSplitter} from './log-line-splitter.js'

/**
 * Turns trainer console lines into raw events. Feed it lines one at a time (split on `\n`; `\r` progress-bar overwrites
 * and ANSI codes are handled here), then call `finish()` once.
 *
 * Most lines (model output, noise) hold none of the families' markers: one regex scan over the line tests all the
 * markers (and `\x1b`, `\r`) at once; a line without any is only counted, unless a family is `greedy()` (in a block).
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
  /** What settling the batches taken so far found wrong: joins the warnings at the end, where `finish` finds it. */
  private readonly settledWarnings: WarningRow[] = []

  constructor(opts?: {origin?: string; families?: LineFamily[]}) {
    this.ctx = new ParseContext(opts?.origin ?? 'stdout')
    this.families = opts?.families ?? defaultFamilies()
    this.greedyFamilies = this.families.filter((f) => typeof f.greedy === 'function')
    this.noiseIndex = this.families.findIndex((f) => f.name === 'noise')
    const markers = gateMarkers(this.families)
    this.gate = markers && new RegExp(markerSource(markers, false))
    this.gateLatin1 = latin1Gate(this.families)
    markers?.delete('\r')
    this.pieceGate = markers && new RegExp(markerSource(markers, true), 'g')
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

  /**
   * One line as `pushBytes`, its gate already tested on another thread (`latin1Gate` of the same families): `marked`
   * says whether the line holds a marker. An unmarked line is only counted, unless a family is greedy (no string is
   * made for it).
   * @internal
   */
  pushMarked(marked: boolean, buf: Buffer, start: number, end: number): void {
    if (this.finished) throw new Error('TrainerParser.push after finish()')
    this.ctx.lineNo++
    if (!marked && !this.greedy && this.gateLatin1 !== null) return
    this.process((buf as RawBuffer).utf8Slice(start, end))
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
   * from its first rows. Collector summaries and step metrics (settling neither reads nor changes them) are taken up
   * to the trailing rows of the previous and current steps, so a log whose step number goes back still sheds those.
   * The last API call (a `Token usage` or `Cost` line may still complete it) and calls not yet attributed stay. Null
   * when there is nothing to take, or while the parser holds fewer than `minRows` rows of these tables, or when less
   * than a quarter of `minRows` could be taken (a caller taking batches only once they are worth it).
   */
  takeSettled(minRows = 0): SettledBatch | null {
    if (this.finished) throw new Error('TrainerParser.takeSettled after finish()')
    const ctx = this.ctx
    if (ctx.step === null || rowsOf(ctx) < minRows) return null
    const before = ctx.step - 1
    const open = Math.max(ctx.pendingCalls.length, ctx.lastCall ? 1 : 0)
    const calls = Math.max(0, Math.min(settledPrefix(ctx.apiCalls, before), ctx.apiCalls.length - open))
    const n = {
      samples: settledPrefix(ctx.samples, before),
      judgeEvents: settledPrefix(ctx.judgeEvents, before),
      stepTallies: settledPrefix(ctx.stepTallies, before),
      collectorSummaries: finishedPrefix(ctx.collectorSummaries, before),
      stepMetrics: finishedPrefix(ctx.stepMetrics, before),
    }
    const taken = calls + n.samples + n.judgeEvents + n.stepTallies + n.collectorSummaries + n.stepMetrics
    // After the step number went back the held rows stay many: take only batches worth a part.
    if (taken === 0 || taken < minRows / 4) return null
    const batch: SettledBatch = {
      samples: ctx.samples.splice(0, n.samples),
      judgeEvents: ctx.judgeEvents.splice(0, n.judgeEvents),
      apiCalls: ctx.apiCalls.splice(0, calls),
      stepTallies: ctx.stepTallies.splice(0, n.stepTallies),
      collectorSummaries: ctx.collectorSummaries.splice(0, n.collectorSummaries),
      stepMetrics: ctx.stepMetrics.splice(0, n.stepMetrics),
    }
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

/**
 * Parses a trainer stdout log file, streaming: the file is read in chunks and split on `\n`, never held whole. With
 * `opts.settled`, the events of finished steps go to `onBatch` (see `TrainerParser.takeSettled`) whenever the parser
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
    if (st.isDirectory()) {
      throw new InputError(path, 'is a directory, not a trainer log (pass the log file, e.g. train.log)')
    }
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

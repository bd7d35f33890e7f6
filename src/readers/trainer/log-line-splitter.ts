import type {RawBuffer} from '../raw-buffer.js'

/** Bytes read at a time. */
export const CHUNK_BYTES = 1 << 20

/** What the splitter hands lines and pieces to: the `TrainerParser` (see its methods of the same names). */
export interface LineSink {
  readonly offersAll: boolean
  readonly pieceGate: RegExp | null
  pushBytes(latin1: string, buf: Buffer | null, start: number, end: number): void
  pushPiece(latin1: string, buf: Buffer | null, start: number, end: number, first: boolean): void
  skipPiece(first: boolean, empty: boolean): void
  endLine(): void
  lineCut(limit: number, skipped: number, where: string): void
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
    private readonly parser: LineSink,
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

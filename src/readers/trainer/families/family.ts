import type {ParseContext} from '../context.js'

/**
 * A named family of line patterns (one trainer's output format, or one kind of noise).
 * The parser offers each cleaned line to the families in order until one consumes it.
 * To support another trainer, write one file exporting a LineFamily and add it to `defaultFamilies()`.
 */
export interface LineFamily {
  readonly name: string
  /**
   * Substrings that every line this family can use contains at least one of (e.g. `HTTP Request: `, an emoji heading).
   * The parser finds them for all families in one scan and does not offer a line holding none of them to any family
   * (unless one is `greedy()`): `parse` must return false, with no side effect, on such a line. Omitted: every line is offered.
   */
  readonly markers?: readonly string[]
  /** True while the family needs every line, marker or not (inside a block or a traceback). */
  greedy?(): boolean
  /** Parses one cleaned line (no `\n`, `\r` or ANSI codes); returns true when the line was consumed. Test cheap substrings before regexes. */
  parse(line: string, ctx: ParseContext): boolean
  /** End of input: close open blocks, flush buffered rows. */
  finish?(ctx: ParseContext): void
}

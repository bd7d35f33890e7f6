import type {ParseContext} from '../context.js'
import type {SettledBatch, WarningRow} from '../types.js'

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
   * (unless one is `greedy()`): `parse` must return false, with no side effect, on such a line. Omitted: every line is
   * offered.
   */
  readonly markers?: readonly string[]
  /** True while the family needs every line, marker or not (inside a block or a traceback). */
  greedy?(): boolean
  /**
   * Parses one cleaned line (no `\n`, `\r` or ANSI codes); returns true when the line was consumed. Test cheap
   * substrings before regexes.
   */
  parse(line: string, ctx: ParseContext): boolean
  /** End of input: close open blocks, flush buffered rows. */
  finish?(ctx: ParseContext): void
  /**
   * Completes the events of `batch`, which no later line can change: every event of some steps before the current one
   * (a long log hands them on while it is parsed), or all the rest after `finish`. What it finds wrong goes to
   * `warnings`.
   * A step's events are always settled together, so what a family works out per step must need nothing else.
   * `last`: the rest at the end (nothing needs letting go of: the parser is done).
   */
  settle?(ctx: ParseContext, batch: SettledBatch, warnings: WarningRow[], last: boolean): void
}

import type {ParseContext} from '../context.js'

/**
 * A named family of line patterns (one trainer's output format, or one kind of noise).
 * The parser offers each cleaned line to the families in order until one consumes it.
 * To support another trainer, write one file exporting a LineFamily and add it to `defaultFamilies()`.
 */
export interface LineFamily {
  readonly name: string
  /** Parses one cleaned line (no `\n`, `\r` or ANSI codes); returns true when the line was consumed. Test cheap substrings before regexes. */
  parse(line: string, ctx: ParseContext): boolean
  /** End of input: close open blocks, flush buffered rows. */
  finish?(ctx: ParseContext): void
}

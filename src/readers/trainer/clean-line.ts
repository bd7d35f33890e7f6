// Console lines as the pattern families see them: no ANSI codes, one `\r`-separated piece at a time.

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

import {Help} from '@oclif/core'
import {wrapWords} from '../render/fit-table.js'

/**
 * oclif leaves summaries and examples unwrapped; on a terminal this wraps them too, an example going on with ` \` so
 * it still pastes into a shell.
 */
export default class RunlogHelp extends Help {
  protected override log(...args: string[]): void {
    const width = process.stdout.isTTY ? process.stdout.columns : undefined
    if (!width) return super.log(...args)
    super.log(...args.map((text) => fitHelpText(text, width)))
  }
}

const NBSP = '\u00a0'

/** Each line of `text` wider than `width` on several lines, indented as it was (`$ ` commands ending in ` \`). */
export function fitHelpText(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => {
      // Colour codes (oclif's theme) take no room on screen.
      if (line.replace(/\x1b\[[0-9;]*m/g, '').length <= width) return [line]
      const indent = /^ */.exec(line)![0]
      const command = line.slice(indent.length).startsWith('$ ')
      const more = `${indent}${command ? '    ' : ''}`
      const room = Math.max(10, width - more.length - (command ? 2 : 0))
      // A `\` continues a line outside quotes only in a shell: single-quoted text stays on one line (NBSP).
      const text = line.slice(indent.length)
      const body = command ? text.replace(/'[^']*'/g, (q) => q.replace(/ /g, NBSP)) : text
      const lines = wrapWords(body, room).map((l) => l.replaceAll(NBSP, ' '))
      return lines.map((l, i) => `${i === 0 ? indent : more}${l}${command && i < lines.length - 1 ? ' \\' : ''}`)
    })
    .join('\n')
}

import {showControls} from './controls.js'

/**
 * Text from input (run names, dataset labels, log lines, file names) for a terminal line or table cell: escape
 * sequences, bells, carriage returns, newlines and bidi overrides are shown, never obeyed.
 */
export function terminalText(s: string): string {
  return showControls(s)
}

import {showControls} from './controls.js'

/** Escape sequences, bells, carriage returns, newlines and bidi overrides from input are shown, never obeyed. */
export function terminalText(s: string): string {
  return showControls(s)
}

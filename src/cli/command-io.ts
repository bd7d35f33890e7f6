import {format} from 'node:util'
import {NoRunRead} from '../errors.js'
import {jsonText} from '../render/safe/json.js'
import {terminalText} from '../render/safe/terminal.js'
import {colorFor, paint} from '../render/paint.js'
import {wrapWords} from '../render/fit-table.js'

/**
 * What a command's body prints through: the same lines whether oclif runs it (RunlogCommand) or the fast path
 * (fast-path.ts) does, so both print byte for byte the same.
 */
export interface CommandIo {
  /** `--json` was given (oclif's `jsonEnabled()`): the human output is not printed. */
  readonly json: boolean
  /** A line of the human output on stdout (nothing with `--json`), as oclif's `log` prints it. */
  log(message: string): void
  /** A line on stderr (nothing with `--json`), as oclif's `logToStderr` prints it. */
  logToStderr(message: string): void
  logJson(json: unknown): void
  warnLine(message: string): void
  skippedLine(problem: string): void
}

/** The I/O of a command run with (`json`) or without `--json`. */
export function commandIo(json: boolean): CommandIo {
  return {
    json,
    // oclif's ux.stdout / ux.stderr with one argument
    log: (message) => {
      if (!json) console.log(format(message))
    },
    logToStderr: (message) => {
      if (!json) console.error(format(message))
    },
    logJson,
    warnLine: (message) => warnLine(message, json),
    skippedLine,
  }
}

/** `--json` output as oclif prints it, with the characters a terminal could act on escaped (same JSON values). */
export function logJson(json: unknown): void {
  console.log(format(jsonText(json, 2)))
}

/** A warning line on stderr (kept out of stdout, so `--json` output stays clean); input text is shown, not obeyed. */
export function warnLine(message: string, json: boolean): void {
  const {notice} = paint(colorFor(process.stderr, {json}))
  // On a terminal the warning wraps to the window (a terminal's own wrap splits words); piped it stays one line.
  const width = process.stderr.isTTY && process.stderr.columns >= 20 ? process.stderr.columns : undefined
  const text = `warning: ${terminalText(message)}`
  const lines = width ? wrapWords(text, width) : [text]
  lines[0] = `${notice('warning:')}${lines[0].slice('warning:'.length)}`
  process.stderr.write(`${lines.join('\n')}\n`)
}

export function skippedLine(problem: string): void {
  process.stderr.write(`runlog: skipped ${problem}\n`)
}

/** Each failure is already on stderr; with --json only `json` (the error entries) is printed. */
export function failIfNoneRead(read: number, skipped: number, json: unknown): void {
  if (read === 0 && skipped > 0) throw new NoRunRead(json)
}

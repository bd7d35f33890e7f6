import {Command, ux} from '@oclif/core'
import * as settings from '../settings.js'
import {InputError, NoRunRead} from '../errors.js'
import {jsonText} from '../render/safe/json.js'
import {terminalText} from '../render/safe/terminal.js'
import {exitOnOutputError, installCleanExit, isOutputError} from './clean-exit.js'
import {colorFor, paint} from '../render/paint.js'
import {wrapWords} from '../render/fit-table.js'

/** Input problems become one line on stderr and exit 1, never a stack trace; flag errors keep oclif's exit 2. */
export abstract class RunlogCommand extends Command {
  /** Temporary files are removed on SIGINT/SIGTERM, and a failed write to stdout ends the run in one line. */
  protected override async init(): Promise<void> {
    installCleanExit()
    await super.init()
  }

  /** A warning line on stderr (kept out of stdout, so `--json` output stays clean); input text is shown, not obeyed. */
  protected warnLine(message: string): void {
    const {notice} = paint(colorFor(process.stderr, {json: this.jsonEnabled()}))
    // On a terminal the warning wraps to the window (a terminal's own wrap splits words); piped it stays one line.
    const width = process.stderr.isTTY && process.stderr.columns >= 20 ? process.stderr.columns : undefined
    const text = `warning: ${terminalText(message)}`
    const lines = width ? wrapWords(text, width) : [text]
    lines[0] = `${notice('warning:')}${lines[0].slice('warning:'.length)}`
    process.stderr.write(`${lines.join('\n')}\n`)
  }

  /** `--json` output as oclif prints it, with the characters a terminal could act on escaped (same JSON values). */
  protected override logJson(json: unknown): void {
    ux.stdout(jsonText(json, 2))
  }

  protected skippedLine(problem: string): void {
    process.stderr.write(`runlog: skipped ${problem}\n`)
  }

  /** Each failure is already on stderr; with --json only `json` (the error entries) is printed. */
  protected failIfNoneRead(read: number, skipped: number, json: unknown): void {
    if (read === 0 && skipped > 0) throw new NoRunRead(json)
  }

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (err instanceof NoRunRead) {
      if (this.jsonEnabled()) this.logJson(err.json)
      this.exit(1)
    }
    if (err instanceof InputError) {
      process.stderr.write(`runlog: ${terminalText(err.message)}\n`)
      this.exit(1)
    }
    if (err.oclif?.exit !== undefined || err.name === 'ExitError') return super.catch(err)
    const code = (err as NodeJS.ErrnoException).code
    const path = (err as NodeJS.ErrnoException).path
    if (isOutputError(err) && path) exitOnOutputError(err, path)
    if (code && (err as NodeJS.ErrnoException).path) {
      process.stderr.write(`runlog: ${terminalText(String((err as NodeJS.ErrnoException).path))}: ${code}\n`)
      this.exit(1)
    }
    if (settings.debug()) return super.catch(err)
    const first = terminalText(err.message.split('\n')[0])
    if (/Out of Memory Error|failed to (allocate|pin)/.test(first)) {
      process.stderr.write(
        `runlog: DuckDB ran out of memory (${first}); give it more with RUNLOG_DUCKDB_MEMORY (now ${settings.duckdbMemoryShown()})\n`,
      )
      this.exit(1)
    }
    process.stderr.write(`runlog: ${first} (set RUNLOG_DEBUG=1 for details)\n`)
    this.exit(1)
  }
}

import * as settings from '../settings.js'
import {InputError, NoRunRead} from '../errors.js'
import {terminalText} from '../render/safe/terminal.js'
import {exitOnOutputError, isOutputError} from './clean-exit.js'
import type {CommandIo} from './command-io.js'

export type CommandFailure = Error & {exitCode?: number; oclif?: {exit?: number}}

/**
 * Input problems become one line on stderr and exit code 1, never a stack trace. Returns the exit code once the error
 * is said, or undefined for an error oclif's own handling prints (flag errors keep their exit code 2; RUNLOG_DEBUG
 * shows the stack). Used by RunlogCommand.catch and by the fast path.
 */
export function sayCommandError(err: CommandFailure, io: CommandIo): number | undefined {
  if (err instanceof NoRunRead) {
    if (io.json) io.logJson(err.json)
    return 1
  }
  if (err instanceof InputError) {
    process.stderr.write(`runlog: ${terminalText(err.message)}\n`)
    return 1
  }
  if (err.oclif?.exit !== undefined || err.name === 'ExitError') return undefined
  const code = (err as NodeJS.ErrnoException).code
  const path = (err as NodeJS.ErrnoException).path
  if (isOutputError(err) && path) exitOnOutputError(err, path)
  if (code && path) {
    process.stderr.write(`runlog: ${terminalText(String(path))}: ${code}\n`)
    return 1
  }
  if (settings.debug()) return undefined
  const first = terminalText(err.message.split('\n')[0])
  if (/Out of Memory Error|failed to (allocate|pin)/.test(first)) {
    process.stderr.write(
      `runlog: DuckDB ran out of memory (${first}); give it more with RUNLOG_DUCKDB_MEMORY (now ${settings.duckdbMemoryShown()})\n`,
    )
    return 1
  }
  process.stderr.write(`runlog: ${first} (set RUNLOG_DEBUG=1 for details)\n`)
  return 1
}

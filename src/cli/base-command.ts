import {Command} from '@oclif/core'
import {DEFAULT_MEMORY_LIMIT} from '../engine/memory-limit.js'
import {InputError} from '../readers/wandb/errors.js'
import {colorFor, paint} from '../render/paint.js'

/**
 * Shared error handling: input problems (missing files, unreadable logs) become one line on stderr and exit 1,
 * never a stack trace. Flag errors keep oclif's exit code 2.
 */
export abstract class RunlogCommand extends Command {
  /** Prints a warning line on stderr (kept out of stdout, so `--json` output stays clean). */
  protected warnLine(message: string): void {
    const {notice} = paint(colorFor(process.stderr, {json: this.jsonEnabled()}))
    process.stderr.write(`${notice('warning:')} ${message}\n`)
  }

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (err instanceof InputError) {
      process.stderr.write(`runlog: ${err.message}\n`)
      this.exit(1)
    }
    if (err.oclif?.exit !== undefined || err.name === 'ExitError') return super.catch(err)
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EPIPE') this.exit(0)
    if (code && (err as NodeJS.ErrnoException).path) {
      process.stderr.write(`runlog: ${(err as NodeJS.ErrnoException).path}: ${code}\n`)
      this.exit(1)
    }
    if (process.env.RUNLOG_DEBUG) return super.catch(err)
    const first = err.message.split('\n')[0]
    if (/Out of Memory Error|failed to (allocate|pin)/.test(first)) {
      process.stderr.write(`runlog: DuckDB ran out of memory (${first}); give it more with RUNLOG_DUCKDB_MEMORY (now ${process.env.RUNLOG_DUCKDB_MEMORY?.trim() || DEFAULT_MEMORY_LIMIT})\n`)
      this.exit(1)
    }
    process.stderr.write(`runlog: ${first} (set RUNLOG_DEBUG=1 for details)\n`)
    this.exit(1)
  }
}

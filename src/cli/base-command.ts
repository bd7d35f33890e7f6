import {Command} from '@oclif/core'
import {installCleanExit} from './clean-exit.js'
import {type CommandIo, commandIo, failIfNoneRead, logJson, skippedLine, warnLine} from './command-io.js'
import {type CommandFailure, sayCommandError} from './command-error.js'

/** Input problems become one line on stderr and exit 1, never a stack trace; flag errors keep oclif's exit 2. */
export abstract class RunlogCommand extends Command {
  /** Temporary files are removed on SIGINT/SIGTERM, and a failed write to stdout ends the run in one line. */
  protected override async init(): Promise<void> {
    installCleanExit()
    await super.init()
  }

  /** What a command body (src/cli/run-*.ts) prints through, as the fast path gives it too. */
  protected io(): CommandIo {
    return {...commandIo(this.jsonEnabled()), log: (m) => this.log(m), logToStderr: (m) => this.logToStderr(m)}
  }

  /** A warning line on stderr (kept out of stdout, so `--json` output stays clean); input text is shown, not obeyed. */
  protected warnLine(message: string): void {
    warnLine(message, this.jsonEnabled())
  }

  /** `--json` output as oclif prints it, with the characters a terminal could act on escaped (same JSON values). */
  protected override logJson(json: unknown): void {
    logJson(json)
  }

  protected skippedLine(problem: string): void {
    skippedLine(problem)
  }

  /** Each failure is already on stderr; with --json only `json` (the error entries) is printed. */
  protected failIfNoneRead(read: number, skipped: number, json: unknown): void {
    failIfNoneRead(read, skipped, json)
  }

  protected override async catch(err: CommandFailure): Promise<unknown> {
    const exit = sayCommandError(err, commandIo(this.jsonEnabled()))
    if (exit === undefined) return super.catch(err)
    this.exit(exit)
  }
}

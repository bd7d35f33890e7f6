/**
 * Each error is printed as one line naming the file, flag or setting and the problem, never a stack trace.
 * Imports nothing from runlog.
 */

/** An input problem the user can act on: a file, flag or setting and what is wrong with it. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`)
    this.name = 'InputError'
  }
}

/** A `runlog check` rule that does not parse, with where it came from and the column of the problem. */
export class RuleError extends Error {
  constructor(
    /** Where the rule came from: `--rule`, or `FILE:LINE`. */
    readonly origin: string,
    readonly rule: string,
    /** 1-based column of the problem in `rule`. */
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${origin}: bad rule "${rule}" at column ${column}: ${problem}`)
    this.name = 'RuleError'
  }
}

/** No run of several could be read: the command still prints what it has (`json`), then exits 1. */
export class NoRunRead extends Error {
  constructor(readonly json: unknown) {
    super('no run could be read')
  }
}

/** One line about a failure to read `path`: an InputError's own message, else the path and the error's first line. */
export function describeError(path: string, error: unknown): string {
  if (error instanceof InputError) return error.message
  const e = error as NodeJS.ErrnoException
  const what = e?.code && e.path ? `${e.path}: ${e.code}` : String(e?.message ?? error).split('\n')[0]
  return what.startsWith(path) ? what : `${path}: ${what}`
}

/** An input problem the user can act on: printed as one line, never as a stack trace. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`)
    this.name = 'InputError'
  }
}

/** One line about a failure to read `path`: an InputError's own message, else the path and the error's first line. */
export function describeError(path: string, error: unknown): string {
  if (error instanceof InputError) return error.message
  const e = error as NodeJS.ErrnoException
  const what = e?.code && e.path ? `${e.path}: ${e.code}` : String(e?.message ?? error).split('\n')[0]
  return what.startsWith(path) ? what : `${path}: ${what}`
}

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

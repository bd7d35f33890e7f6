/**
 * A signal runs the `exit` handlers (they remove temporary files and folders), then exits with 128 + the signal's
 * number, as a shell reports a process the signal killed.
 */
const SIGNAL_EXIT_CODES: Record<string, number> = {SIGINT: 130, SIGTERM: 143, SIGHUP: 129}

/** Exit code when stdout's reader went away (`runlog … | head -1`), as for a process killed by SIGPIPE. */
export const EPIPE_EXIT_CODE = 141

let installed = false

export function installCleanExit(): void {
  if (installed) return
  installed = true
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) process.once(signal, () => process.exit(code))
  // A failed write to stdout arrives as an 'error' event (not a thrown error) when it is written through the stream.
  // oclif's own listener ignores EPIPE (exit 0 with output lost) and rethrows the rest as an uncaught exception (a
  // stack trace): ours replaces it.
  process.stdout.removeAllListeners('error')
  process.stdout.on('error', (error: NodeJS.ErrnoException) => exitOnOutputError(error, 'stdout'))
}

/** Whether an error is a failed write of runlog's output (no space, a closed pipe, an I/O error). */
export function isOutputError(error: NodeJS.ErrnoException): boolean {
  return error.syscall === 'write' && typeof error.code === 'string'
}

/** Silently for a closed pipe, like other Unix tools; else with one line naming `target`. */
export function exitOnOutputError(error: NodeJS.ErrnoException, target: string): never {
  if (error.code === 'EPIPE') process.exit(EPIPE_EXIT_CODE)
  process.stderr.write(`runlog: ${target}: cannot write (${error.code}${describe(error)})\n`)
  process.exit(1)
}

function describe(error: NodeJS.ErrnoException): string {
  const m = /^[A-Z]+: ([^,]+)/.exec(error.message)
  return m ? `: ${m[1]}` : ''
}

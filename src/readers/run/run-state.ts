export type RunState = 'finished' | 'failed' | 'running' | 'crashed'

/** How recently a log without an exit record must have changed to count as still running. */
export const RUNNING_WINDOW_MS = 5 * 60 * 1000
/**
 * A live run writes system stats every few seconds, so older newest content means a copy of a dead run (a fresh
 * `git clone` or `cp` gives old logs a new mtime).
 */
export const STALE_CONTENT_MS = 30 * 60 * 1000

/**
 * Without an exit record: `running` when the log changed recently and its newest record is recent, else `crashed`.
 * A log with no time in it is `crashed`: a fresh copy of a dead run has a new mtime.
 */
export function runState(
  exitCode: number | null,
  logMtimeMs: number,
  newestRecordMs: number | null,
  nowMs = Date.now(),
): RunState {
  if (exitCode !== null) return exitCode === 0 ? 'finished' : 'failed'
  if (nowMs - logMtimeMs > RUNNING_WINDOW_MS) return 'crashed'
  if (newestRecordMs === null || nowMs - newestRecordMs > STALE_CONTENT_MS) return 'crashed'
  return 'running'
}

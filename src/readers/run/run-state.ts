export type RunState = 'finished' | 'failed' | 'running' | 'crashed'

/** How recently a log without an exit record must have changed to count as still running. */
export const RUNNING_WINDOW_MS = 5 * 60 * 1000
/**
 * A live run writes system stats every few seconds, so older newest content means a copy of a dead run (a fresh
 * `git clone` or `cp` gives old logs a new mtime).
 */
export const STALE_CONTENT_MS = 30 * 60 * 1000

/**
 * `finished` (exit code 0), `failed` (non-zero), `running` (no exit record, log changed in the last 5 minutes and its
 * newest record is recent), `crashed` (no exit record, otherwise). A log with no time in it at all (empty, header only)
 * is `crashed`: its mtime alone says nothing (a fresh copy of a dead run has a new one).
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

import type {ReadProgress} from '../readers/read-progress.js'
import {logBytes} from './log-bytes.js'

/**
 * The progress of reading a run and then its stdout log, counted against the bytes of both: `run` is told the run's
 * log's progress, `stdout` the stdout log's (after the run's). Both undefined without `onProgress`.
 */
export function bothLogsProgress(
  onProgress: ReadProgress | undefined,
  stdout: string | undefined,
): {run?: ReadProgress; stdout?: ReadProgress} {
  if (!onProgress) return {}
  const stdoutBytes = stdout ? logBytes(stdout) : 0
  let runBytes = 0
  return {
    run(read, size) {
      runBytes = size
      onProgress(read, size + stdoutBytes)
    },
    stdout: (read, size) => onProgress(runBytes + read, runBytes + size),
  }
}

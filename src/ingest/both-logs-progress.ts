import type {ReadProgress} from '../readers/read-progress.js'
import {logBytes} from './log-bytes.js'

/** One progress over the bytes of both logs, the stdout log counted after the run's. */
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

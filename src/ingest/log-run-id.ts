import {basename} from 'node:path'

/** The run id of a trainer log read as a run: its file name without `.log`, `.txt` or `.out`. */
export function logRunId(path: string): string {
  return basename(path).replace(/\.(log|txt|out)$/, '')
}

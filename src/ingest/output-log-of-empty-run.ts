import {statSync} from 'node:fs'
import {join} from 'node:path'
import {specialKind} from '../readers/input-file.js'
import type {RunData} from '../readers/run/read-run.js'
import {FILE_HEADER_SIZE} from '../readers/wandb/log-container.js'

/** A run whose `.wandb` holds no record is read from its `files/output.log`, when that is a regular file. */
export function outputLogOfEmptyRun(data: RunData, warnings: string[]): string | null {
  if (!data.location.dir || data.overview.bytes > FILE_HEADER_SIZE) return null
  const file = join(data.location.dir, 'files', 'output.log')
  let st
  try {
    st = statSync(file)
  } catch {
    return null
  }
  if (st.isFile()) return file
  // Said like any other side file that is not read: a FIFO there must not go unnoticed (nor be opened).
  warnings.push(`${file}: ${specialKind(st) ?? 'not a regular file'}, not a file (skipped, never opened)`)
  return null
}

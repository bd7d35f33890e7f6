import type {RunOverview} from '../readers/run/read-run.js'
import {renderRunList} from '../render/run-list.js'
import {stdoutLayout} from '../render/terminal.js'
import {type RunError, listRuns} from '../runs/list-runs.js'
import {ProgressBar} from '../render/progress.js'
import {defaultRunsFolder} from './default-run.js'
import {type CommandIo, failIfNoneRead} from './command-io.js'

const JSON_FIELDS = [
  'dir',
  'id',
  'name',
  'project',
  'state',
  'exit_code',
  'steps',
  'history_rows',
  'wandb_version',
  'started_at',
  'runtime_s',
  'bytes',
  'unreadable_bytes',
] as const

export type LsEntry = Pick<RunOverview, (typeof JSON_FIELDS)[number]>
/** A run that could not be read, in `--json` (after the runs that could). */
export type LsError = RunError

export interface LsFlags {
  format: string
  wide?: boolean
}

/** `runlog ls DIR… [--format …] [--wide]`: the runs below `dirs` (default ./wandb); `--json` prints the result. */
export async function runLs(dirs: string[], flags: LsFlags, io: CommandIo): Promise<Array<LsEntry | LsError>> {
  if (dirs.length === 0) dirs = [defaultRunsFolder('ls')]
  const progress = new ProgressBar('reading runs', {json: io.json})
  const listing = await listRuns(dirs, (done, total) => progress.update(done, total))
  progress.done()
  for (const n of listing.notices) io.warnLine(n)
  for (const e of listing.errors) io.skippedLine(e.error)
  const entries = listing.runs.map((r) => Object.fromEntries(JSON_FIELDS.map((k) => [k, r[k]])) as LsEntry)
  const result = [...entries, ...listing.errors]
  failIfNoneRead(entries.length, listing.errors.length, result)
  if (!io.json) {
    if (entries.length === 0) io.log(`No wandb runs found below ${dirs.join(', ')}.`)
    else io.log(renderRunList(entries, flags.format as 'table' | 'md' | 'csv', stdoutLayout({wide: flags.wide})))
  }
  return result
}

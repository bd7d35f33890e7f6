import {Args, Flags} from '@oclif/core'
import {RunlogCommand} from '../cli/base-command.js'
import type {RunOverview} from '../readers/run/read-run.js'
import {renderRunList} from '../render/run-list.js'
import {stdoutLayout} from '../render/terminal.js'
import {wideFlag} from '../cli/report-flags.js'
import {type RunError, listRuns} from '../runs/list-runs.js'
import {ProgressBar} from '../render/progress.js'
import {defaultRunsFolder} from '../cli/default-run.js'

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

export default class Ls extends RunlogCommand {
  static override summary = 'List the wandb runs below one or more folders, newest first.'
  static override description =
    'Finds every run directory (offline-run-*, run-*) below each DIR (default ./wandb) and reads its .wandb log: state, exit code, steps, wandb version, size and any unreadable bytes.'
  static override examples = ['<%= config.bin %> ls', '<%= config.bin %> ls ~/experiments/wandb --json']
  static override enableJsonFlag = true
  static override strict = false
  static override usage = 'ls [DIR...] [FLAGS]'
  static override args = {dir: Args.string({description: 'folders to search (default ./wandb)'})}
  static override flags = {
    format: Flags.string({description: 'output format', options: ['table', 'md', 'csv'], default: 'table'}),
    ...wideFlag,
  }

  async run(): Promise<Array<LsEntry | LsError>> {
    const {argv, flags} = await this.parse(Ls)
    const dirs = (argv as string[]).length > 0 ? (argv as string[]) : [defaultRunsFolder('ls')]
    const progress = new ProgressBar('reading runs', {json: this.jsonEnabled()})
    const listing = await listRuns(dirs, (done, total) => progress.update(done, total))
    progress.done()
    for (const n of listing.notices) this.warnLine(n)
    for (const e of listing.errors) this.skippedLine(e.error)
    const entries = listing.runs.map((r) => Object.fromEntries(JSON_FIELDS.map((k) => [k, r[k]])) as LsEntry)
    const result = [...entries, ...listing.errors]
    this.failIfNoneRead(entries.length, listing.errors.length, result)
    if (!this.jsonEnabled()) {
      if (entries.length === 0) this.log(`No wandb runs found below ${dirs.join(', ')}.`)
      else this.log(renderRunList(entries, flags.format as 'table' | 'md' | 'csv', stdoutLayout({wide: flags.wide})))
    }
    return result
  }
}

import {Args, Flags} from '@oclif/core'
import {relative} from 'node:path'
import {RunlogCommand} from '../cli/base-command.js'
import type {RunOverview} from '../readers/run/read-run.js'
import {csvTable, markdownTable, textTable} from '../render/text-table.js'
import {formatBytes, formatDuration} from '../render/units.js'
import {listRuns} from '../runs/list-runs.js'
import {ProgressBar} from '../render/progress.js'
import {defaultRunsFolder} from '../cli/default-run.js'

/** The fields `ls --json` prints, in order. */
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
  }

  async run(): Promise<LsEntry[]> {
    const {argv, flags} = await this.parse(Ls)
    const dirs = (argv as string[]).length > 0 ? (argv as string[]) : [defaultRunsFolder('ls')]
    const progress = new ProgressBar('reading runs', {json: this.jsonEnabled()})
    const listing = await listRuns(dirs, (done, total) => progress.update(done, total))
    progress.done()
    for (const e of listing.errors) this.warnLine(e)
    const entries = listing.runs.map((r) => Object.fromEntries(JSON_FIELDS.map((k) => [k, r[k]])) as LsEntry)
    if (!this.jsonEnabled()) {
      if (entries.length === 0) this.log(`No wandb runs found below ${dirs.join(', ')}.`)
      else this.log(render(entries, flags.format))
      if (listing.errors.length > 0) this.warnLine(`${listing.errors.length} run(s) could not be read`)
    }
    return entries
  }
}

function render(entries: LsEntry[], format: string): string {
  const head = ['started', 'id', 'name', 'project', 'state', 'exit', 'steps', 'rows', 'wandb', 'runtime', 'size', 'unreadable', 'dir']
  const rows = entries.map((e) => [
    e.started_at ? e.started_at.replace('T', ' ').slice(0, 19) : null,
    e.id,
    e.name,
    e.project,
    e.state,
    e.exit_code,
    e.steps,
    e.history_rows,
    e.wandb_version,
    format === 'table' ? formatDuration(e.runtime_s) : e.runtime_s,
    format === 'table' ? formatBytes(e.bytes) : e.bytes,
    format === 'table' ? (e.unreadable_bytes > 0 ? formatBytes(e.unreadable_bytes) : '') : e.unreadable_bytes,
    format === 'csv' ? e.dir : relative(process.cwd(), e.dir) || '.',
  ])
  if (format === 'csv') return csvTable(head, rows)
  if (format === 'md') return markdownTable(head, rows)
  return textTable(head, rows)
}

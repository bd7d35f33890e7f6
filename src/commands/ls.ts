import {Args, Flags} from '@oclif/core'
import {RunlogCommand} from '../cli/base-command.js'
import {wideFlag} from '../cli/report-flags.js'
import {type LsEntry, type LsError, runLs} from '../cli/run-ls.js'

export type {LsEntry, LsError}

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
    return runLs(argv as string[], flags, this.io())
  }
}

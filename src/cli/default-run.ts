import {existsSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {InputError} from '../errors.js'
import {findLogIn} from '../readers/run/locate-run.js'

const SHOWN = 5

/** `./wandb/latest-run`; without one, the error names what was found nearby to pass instead. */
export function defaultRun(command: string, cwd = process.cwd()): string {
  const latest = join('wandb', 'latest-run')
  if (existsSync(join(cwd, latest))) return latest
  throw new InputError(
    `./${latest}`,
    'not found; pass a run directory, a .wandb file or a trainer log: ' +
      `\`runlog ${command} RUN\`${found(runCandidates(cwd))}`,
  )
}

/** The folder `ls` and `summarize --all` search when none is given: `./wandb`, or an error naming what to pass. */
export function defaultRunsFolder(command: string, cwd = process.cwd()): string {
  if (isDir(join(cwd, 'wandb'))) return 'wandb'
  const folders = children(cwd)
    .filter((n) => isDir(join(cwd, n, 'wandb')))
    .map((n) => `${n}/wandb`)
  const runs = children(cwd).filter((n) => isDir(join(cwd, n)) && findLogIn(join(cwd, n)) !== null)
  const hint = `\`runlog ${command} DIR\`${found([...folders, ...runs])}`
  throw new InputError('./wandb', `not found; pass the folder that holds the runs: ${hint}`)
}

/** Run directories in ./wandb, logs here, and wandb folders one level down: what a user most likely meant. */
export function runCandidates(cwd: string): string[] {
  const wandb = join(cwd, 'wandb')
  const runs = children(wandb)
    .filter((n) => n !== 'latest-run' && findLogIn(join(wandb, n)) !== null)
    .sort()
    .reverse() // run directories are named by start time: newest first
    .map((n) => `wandb/${n}`)
  const files = children(cwd).filter((n) => /\.(log|wandb)$/.test(n) && !isDir(join(cwd, n)))
  const folders = children(cwd)
    .filter((n) => n !== 'wandb' && isDir(join(cwd, n, 'wandb')))
    .map((n) => `${n}/wandb`)
  return [...runs, ...files, ...folders]
}

function found(candidates: string[]): string {
  if (candidates.length === 0) return ' (nothing that looks like a run here)'
  const more = candidates.length > SHOWN ? ` and ${candidates.length - SHOWN} more` : ''
  return ` (found here: ${candidates.slice(0, SHOWN).join(', ')}${more})`
}

function children(dir: string): string[] {
  try {
    return readdirSync(dir).sort()
  } catch {
    return []
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

import {statSync} from 'node:fs'
import {findLogIn} from '../readers/run/locate-run.js'

/**
 * The size of a run's log: the `.wandb` in a run directory, or the file itself (a `.wandb` or a trainer log). 0 when
 * it cannot be read: reading it later says why.
 */
export function logBytes(path: string): number {
  try {
    const log = statSync(path).isDirectory() ? findLogIn(path) : path
    return log ? statSync(log).size : 0
  } catch {
    return 0
  }
}

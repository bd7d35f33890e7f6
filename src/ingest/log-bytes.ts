import {statSync} from 'node:fs'
import {findLogIn} from '../readers/run/locate-run.js'

/** 0 when it cannot be read: reading it later says why. */
export function logBytes(path: string): number {
  try {
    const log = statSync(path).isDirectory() ? findLogIn(path) : path
    return log ? statSync(log).size : 0
  } catch {
    return 0
  }
}

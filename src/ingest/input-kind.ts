import {statSync} from 'node:fs'
import {InputError} from '../errors.js'

export function isWandbLog(path: string): boolean {
  try {
    const st = statSync(path)
    if (st.isDirectory()) return true
    return path.endsWith('.wandb')
  } catch {
    throw new InputError(path, 'no such file or directory')
  }
}

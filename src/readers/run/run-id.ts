import {basename} from 'node:path'

/** `run-<id>.wandb` → `<id>`. */
export function runIdFromPath(logFile: string): string {
  const m = /^run-(.+)\.wandb$/.exec(basename(logFile))
  return m ? m[1] : basename(logFile, '.wandb')
}
